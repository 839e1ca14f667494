"""An intermediary acts for a company with a signed mandate (DOMAIN.md section 4): what counts is
who acts on the application, at every step, not who filed the draft."""

from __future__ import annotations

from intake_support import ENTERPRISE
from test_intake_reactions import asked, deliver, routed

SCHOOL = {"role": "intermediary", "mandates": [ENTERPRISE], "sub": "school-1"}


def _submit(client, app_id, **kw):
    return client.call("POST", f"/applications/{app_id}/submit", **kw)


def _codes(body) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in (body or {}).get("errors", [])}


def test_an_intermediary_submitting_an_employers_draft_needs_the_mandate(client):
    created = client.ready()  # filed by the employer
    status, body = _submit(client, created["id"], **SCHOOL)
    assert status == 422 and ("documents.mandate", "missing_document") in _codes(body)
    client.upload(created["id"], doc_type="mandate", mentor_index=None, **SCHOOL)
    status, body = _submit(client, created["id"], **SCHOOL)
    assert status == 202, body
    assert body["submitted_by"]["role"] == "intermediary" and body["filed_by"]["role"] == "employer"


def test_a_draft_an_intermediary_changed_needs_the_mandate_whoever_submits_it(client):
    created = client.ready()
    path = f"/applications/{created['id']}"
    assert (
        client.call("PATCH", path, {"contact": {"name": "Els Leerkracht", "email": "els@school.example"}}, **SCHOOL)[0]
        == 200
    )
    status, body = _submit(client, created["id"])
    assert status == 422 and ("documents.mandate", "missing_document") in _codes(body)


def test_an_employer_filing_and_submitting_alone_needs_no_mandate(client):
    created = client.ready()
    assert _submit(client, created["id"])[0] == 202


def test_an_intermediary_cannot_withdraw_a_submitted_application_without_a_mandate_on_file(client):
    created = client.ready()
    assert _submit(client, created["id"])[0] == 202
    status, body = client.call("POST", f"/applications/{created['id']}/withdraw", **SCHOOL)
    assert status == 422 and ("documents.mandate", "missing_document") in _codes(body)
    assert client.call("GET", f"/applications/{created['id']}")[1]["status"] == "submitted"
    assert client.call("POST", f"/applications/{created['id']}/withdraw")[0] == 200


def test_an_intermediary_answers_questions_only_with_a_mandate_on_file(client, ports):
    created = client.ready()
    assert _submit(client, created["id"])[0] == 202
    deliver(routed(created["id"], ports.publisher.published[-1].data["application"]))
    deliver(asked(created["id"], "q1"))
    answer = {"message": "We have two lathes.", "question_id": "q1"}
    status, body = client.call("POST", f"/applications/{created['id']}/messages", answer, **SCHOOL)
    assert status == 422 and ("documents.mandate", "missing_document") in _codes(body)
    assert client.call("POST", f"/applications/{created['id']}/messages", answer)[0] == 201

    with_mandate = client.ready(**SCHOOL)
    client.upload(with_mandate["id"], doc_type="mandate", mentor_index=None, **SCHOOL)
    assert client.call("POST", f"/applications/{created['id']}/withdraw")[0] == 200  # frees the key
    assert _submit(client, with_mandate["id"], **SCHOOL)[0] == 202
    deliver(routed(with_mandate["id"], ports.publisher.published[-1].data["application"]))
    deliver(asked(with_mandate["id"], "q2"))
    yes = {"message": "Yes.", "question_id": "q2"}
    assert client.call("POST", f"/applications/{with_mandate['id']}/messages", yes, **SCHOOL)[0] == 201


def test_an_intermediary_without_the_mandate_claim_finds_nothing(client):
    created = client.ready()
    outsider = {"role": "intermediary", "mandates": ["0123456749"], "sub": "school-2"}
    assert _submit(client, created["id"], **outsider)[0] == 404
    assert client.call("PATCH", f"/applications/{created['id']}", {"contact": {"name": "X"}}, **outsider)[0] == 404
