"""Named cases of issue 19 (and issue 11.13), one test each; the corpus runs them over every route."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hostile_support import application_body
from testkit.identifiers import with_check

from intake.domain.filenames import extension_problem, filename_problem
from review.adapters.documents import content_disposition


def test_a_merge_patch_is_taken_with_its_own_media_type(stack):
    """issue 11.13: PATCH with application/merge-patch+json answered 500."""
    reply = stack.call("PATCH", f"/applications/{stack.ids['draft']}", body={"company": {"name": "Nieuwe naam"}},
                       headers={"content-type": "application/merge-patch+json"})
    assert reply.status == 200, reply.text
    assert reply.body["company"]["name"] == "Nieuwe naam"


@pytest.mark.parametrize("media_type", ["application/merge-patch+json", "application/json-patch+json",
                                        "application/vnd.api+json"])
def test_other_json_media_types_are_415_on_a_post(stack, media_type):
    reply = stack.call("POST", "/applications", body=application_body(establishment_number=with_check("21234599")),
                       headers={"content-type": media_type})
    assert reply.status == 415 and reply.content_type == "application/problem+json"


def test_a_correlation_id_the_envelope_would_refuse_is_replaced_and_the_question_reaches_the_bus(stack):
    """issue 19.2: the question was stored, then the envelope refused the id: 500, nothing published."""
    reply = stack.call("POST", f"/review/applications/{stack.ids['routed']}/questions", "partnership",
                       body={"message": "Which machines?"}, headers={"x-correlation-id": "c" * 201})
    assert reply.status == 201, reply.text
    [event] = stack.review.publisher.published
    assert event.event_name == "QuestionAsked" and event.correlation_id == "req-hostile"


def test_a_well_formed_correlation_id_is_kept(stack):
    reply = stack.call("POST", f"/review/applications/{stack.ids['routed']}/questions", "partnership",
                       body={"message": "Which machines?"}, headers={"x-correlation-id": "client-42"})
    assert reply.status == 201 and stack.review.publisher.published[0].correlation_id == "client-42"


def test_a_long_path_id_with_an_idempotency_key_is_404_before_any_lookup(stack):
    """issue 19.6: DynamoDB refused the 2 KB key: 500."""
    reply = stack.call("POST", f"/applications/{'a' * 2100}/submit", headers={"idempotency-key": "k"})
    assert reply.status == 404 and reply.content_type == "application/problem+json"


def test_an_array_body_is_400_not_its_first_element(stack):
    """issue 19.8"""
    reply = stack.call(
        "POST", "/applications", raw=json.dumps([application_body(establishment_number=with_check("21234599"))])
    )
    assert reply.status == 400 and reply.body["detail"] == "The body must be a JSON object."


def test_500_000_reasons_are_refused_at_once(stack):
    """issue 19.7: a 48 MB 422 in 5 s (the 20-item limit was checked after every item)."""
    body = {"outcome": "dismissed", "reasons": [1] * 500_000}
    reply = stack.call("POST", f"/appeals/{stack.ids['admissible_appeal']}/decision", "appeals", body=body)
    assert reply.status == 400 and len(reply.text) < 1000


def test_loose_types_are_refused_in_review_and_appeal_bodies(stack):
    """issue 19.10"""
    appeal = f"/appeals/{stack.ids['appeal']}/admissibility"
    assert stack.call("POST", appeal, "appeals", body={"admissible": 1.0}).status == 422
    report = f"/review/applications/{stack.ids['routed']}/site-visits/{stack.ids['visit']}/report"
    reply = stack.call("POST", report, "partnership", body={"findings": "Fine.", "satisfactory": "yes"})
    assert reply.status == 422 and reply.body["errors"][0]["field"] == "satisfactory"
    measure = f"/review/recognitions/{stack.ids['recognition']}/measures"
    reply = stack.call("POST", measure, "partnership", body={"type": "mentor_ban", "reason": "x", "mentor_index": "10"})
    assert reply.status == 422 and reply.body["errors"][0]["field"] == "mentor_index"
    assert stack.appeal.store.get(stack.ids["appeal"]).status == "lodged"


def test_a_date_with_a_time_is_not_a_date_in_a_query(stack):
    """issue 19.10: on=2026-01-01T00:00:00Z was taken as a date."""
    query = "enterprise_number=0403170701&establishment_number=2123456791&training_code=x&on=2026-01-01T00:00:00Z"
    reply = stack.call("GET", "/register/verify", None, query=query)
    assert reply.status == 400 and reply.body["errors"][0]["field"] == "on"
    ok = stack.call("GET", "/register/verify", None, query=query.replace("T00:00:00Z", ""))
    assert ok.status == 200


@pytest.mark.parametrize("text", ["a\x00b", "\x1b[31mred", "bell\x07", "   ", "", "\t\n"])
def test_control_characters_and_blank_text_never_reach_the_employer(stack, text):
    """issue 19.11: NUL, ESC, BEL and whitespace-only questions were stored and mailed."""
    reply = stack.call(
        "POST", f"/review/applications/{stack.ids['routed']}/questions", "partnership", body={"message": text}
    )
    assert reply.status == 422 and not stack.review.publisher.published


@pytest.mark.parametrize(
    "name",
    [
        "report.pdf.exe",
        "..",
        "CON",
        ".htaccess",
        "inv\u202efdp.exe",
        "a/b.pdf",
        "scan.png",
        "com1.pdf",
        "file\u200b.pdf",
    ],
)
def test_filenames_that_are_not_plain_names_of_the_declared_type_are_refused(stack, name):
    """issue 19.9"""
    reply = stack.call(
        "POST",
        f"/applications/{stack.ids['draft']}/documents",
        body={"type": "other", "filename": name, "content_type": "application/pdf", "size_bytes": 10},
    )
    assert reply.status == 422 and reply.body["errors"][0]["field"] == "filename", reply.text


@pytest.mark.parametrize(
    "name,content_type",
    [
        ("Uittreksel strafregister.pdf", "application/pdf"),
        ("attest_2026 (1).PDF", "application/pdf"),
        ("Überprüfung.jpeg", "image/jpeg"),
        ("证书.png", "image/png"),
        ("d'Hondt & zonen.jpg", "image/jpeg"),
    ],
)
def test_ordinary_filenames_in_any_script_are_taken(name, content_type):
    assert filename_problem(name) is None and extension_problem(name, content_type) is None


def test_content_disposition_follows_rfc_6266_with_an_ascii_fallback():
    header = content_disposition('证书 "final".pdf')
    assert header.isascii()
    assert header == ("attachment; filename=\"__ _final_.pdf\"; filename*=UTF-8''%E8%AF%81%E4%B9%A6%20%22final%22.pdf")


def test_the_download_link_carries_the_encoded_name(monkeypatch):
    """issue 19.9: a non-Latin-1 name went raw into response-content-disposition."""
    from moto import mock_aws

    from kernel import aws
    from review.adapters import documents

    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        aws.reset()
        url = documents.S3DocumentLinks("docs").download_url("k", "Überprüfung.pdf", 300)
        aws.reset()
    [disposition] = parse_qs(urlsplit(url).query)["response-content-disposition"]
    assert disposition.isascii() and "filename*=UTF-8''%C3%9Cberpr%C3%BCfung.pdf" in disposition
    assert unquote(disposition.split("''", 1)[1]) == "Überprüfung.pdf"


@pytest.mark.parametrize("query", ["subject_id=a%00b", "subject_id=" + "x" * 1001])
def test_query_values_follow_the_text_rules_of_bodies(stack, query):
    from urllib.parse import unquote

    name, value = query.split("=", 1)
    reply = stack.call("GET", "/register", None, query=f"{name}={unquote(value)}")
    assert reply.status == 400 and reply.body["errors"][0]["field"] == "subject_id"


def test_a_submission_with_an_oversized_correlation_id_is_submitted_and_announced(stack):
    """issue 19.2: submit answered 500 once the application was stored as submitted."""
    from hostile_support import ready_application

    app_id = ready_application(stack, with_check("21234577"))
    reply = stack.call("POST", f"/applications/{app_id}/submit", headers={"x-correlation-id": "s" * 500})
    assert reply.status == 202, reply.text
    [event] = stack.intake.publisher.published
    assert event.event_name == "ApplicationSubmitted" and event.correlation_id == "req-hostile"
