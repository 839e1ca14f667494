"""National register numbers (DOMAIN.md section 1): a number born in the future is an invalid
number, not a young mentor; a number whose birth date is unknown (day or month 00) is a real
number, and the age rule is then settled by a derogation proof or by the policy."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from intake_support import full_body, mentor
from testkit.identifiers import with_check

from intake.domain.application import Application, DocumentRecord
from intake.domain.documents import StoredObject
from intake.domain.requests import CreateApplication
from intake.domain.submission import SubmissionContext, submission_errors
from kernel import clock
from kernel.events import Actor
from reference.policy import policy

TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 10, tzinfo=UTC)


def number(yymmdd: str, after_2000: bool, serial: str = "123") -> str:
    return with_check(yymmdd + serial, after_2000=after_2000)


def _codes(body) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in body.get("errors", [])}


def _messages(body) -> dict[tuple[str, str], str]:
    return {(e["field"], e["code"]): e["message"] for e in body.get("errors", [])}


def test_a_number_born_in_the_future_is_an_invalid_number_when_the_draft_is_filed(client):
    future = number(f"{(clock.today().year + 1) % 100:02d}0101", after_2000=True)
    status, body = client.call("POST", "/applications", full_body(mentors=[mentor(national_register_number=future)]))
    assert status == 422
    assert _codes(body) == {("mentors[0].national_register_number", "invalid_national_register_number")}
    assert "future" in _messages(body)[("mentors[0].national_register_number", "invalid_national_register_number")]
    assert future not in str(body)


def test_a_number_with_an_unknown_birth_date_is_accepted(client):
    status, body = client.call(
        "POST", "/applications", full_body(mentors=[mentor(national_register_number=number("800000", False))])
    )
    assert status == 201, body


def test_the_invalid_number_message_says_unknown_dates_are_allowed(client):
    status, body = client.call(
        "POST", "/applications", full_body(mentors=[mentor(national_register_number="80031512362")])
    )
    message = _messages(body)[("mentors[0].national_register_number", "invalid_national_register_number")]
    assert status == 422 and "00" in message and "future" in message


# ------------------------------------------------------------------ at submission (domain)
PDF = StoredObject(size_bytes=100, first_bytes=b"%PDF-1.7", sha256="0" * 64)


def _draft(nrn: str, *, proof: bool = False) -> Application:
    fields = CreateApplication.model_validate(
        full_body(mentors=[mentor(national_register_number=nrn, extract_issued_on="2026-05-01")])
    ).model_dump()
    app = Application.start("app-1", fields, Actor(sub="u", role="employer"), NOW)
    for i, doc_type in enumerate(["criminal_record_extract"] + (["derogation_proof"] if proof else [])):
        app.documents.append(DocumentRecord(id=f"d{i}", type=doc_type, filename="f.pdf", content_type="application/pdf",
                                            size_bytes=100, mentor_id=app.mentors[0].mentor_id, bucket="b", key=f"k{i}",
                                            registered_at=NOW))
    return app


def _errors(app: Application, **values) -> dict[tuple[str, str], str]:
    effective = policy().for_partnership(None).values
    if values:
        changed = {n: getattr(effective, n).model_copy(update={"value": v}) for n, v in values.items()}
        effective = effective.model_copy(update=changed)
    ctx = SubmissionContext(today=TODAY, policy=effective, stored={d.id: PDF for d in app.documents})
    return {(e.field, e.code): e.message for e in submission_errors(app, ctx)}


def test_a_future_birth_date_is_reported_as_an_invalid_number_not_a_young_mentor():
    app = _draft(number("000101", True))
    app.mentors = [app.mentors[0].model_copy(update={"national_register_number": number("300101", True)})]  # 2030
    errors = _errors(app)
    assert set(errors) == {("mentors[0].national_register_number", "invalid_national_register_number")}


@pytest.mark.parametrize("yymmdd,after_2000", [("800000", False), ("000000", True), ("010500", True)])
def test_an_unknown_birth_date_that_cannot_be_under_25_passes_the_age_rule(yymmdd, after_2000):
    # Today is 1 June 2026: born in 1980, in 2000, or in May 2001 means 25 or older.
    assert _errors(_draft(number(yymmdd, after_2000))) == {}


@pytest.mark.parametrize("yymmdd", ["010000", "010600"])  # some day in 2001 / in June 2001: 24 or 25
def test_an_unknown_birth_date_that_may_be_under_25_needs_a_derogation_proof(yymmdd):
    errors = _errors(_draft(number(yymmdd, True)))
    assert set(errors) == {("mentors[0].derogation_proof", "required")}
    message = errors[("mentors[0].derogation_proof", "required")]
    assert (
        "unknown" in message
        and "derogation_proof" in message
        and "unknown_birth_date_needs_derogation_proof" in message
    )
    assert _errors(_draft(number(yymmdd, True), proof=True)) == {}


def test_the_policy_may_accept_an_unknown_birth_date_without_a_proof():
    app = _draft(number("010000", True))
    assert _errors(app, unknown_birth_date_needs_derogation_proof=False) == {}


def test_an_unknown_birth_date_that_is_surely_under_23_is_too_young():
    errors = _errors(_draft(number("050000", True)))  # born in 2005: 20 or 21
    assert set(errors) == {("mentors[0].national_register_number", "mentor_too_young")}


def test_the_unknown_birth_date_policy_value_has_its_status_and_source():
    entry = policy().values.unknown_birth_date_needs_derogation_proof
    assert entry.value is True and entry.status == "NF" and entry.source
