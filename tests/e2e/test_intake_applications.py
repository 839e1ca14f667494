"""The employer side over HTTP on the local runtime: draft, upload to the presigned URL, submit,
every refusal the contract names, and the routed application coming back from the bus."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import requests
from testkit.identifiers import dotted, enterprise_number, establishment_number, national_register_number

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n% extract model 596.2\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
MENTOR_NRN = "80031512361"  # born 1980-03-15
TRAINING = "elektrische-installaties-duaal"


class Company:
    """One company (fresh numbers per test: the runtime is shared) and its employer token."""

    def __init__(self, api) -> None:
        self.api = api
        self.enterprise = enterprise_number()
        self.establishment = establishment_number()
        self.token = api.token("employer", enterprise_number=self.enterprise, sub=f"emp-{self.enterprise}")

    def body(self, **overrides: Any) -> dict[str, Any]:
        today = self.api.today()
        return {
            "enterprise_number": dotted(self.enterprise),
            "establishment_number": self.establishment,
            "training_code": TRAINING,
            "kind": "new",
            "company": {"name": "Elektro Peeters", "joint_committee": "111",
                        "address": {"street": "Stationsstraat 1", "postal_code": "9000", "city": "Gent"}},
            "contact": {"name": "Jan Peeters", "email": "jan@peeters.example"},
            "mentors": [{"first_name": "An", "last_name": "Peeters", "national_register_number": MENTOR_NRN,
                         "experience_years": 10, "extract_issued_on": today.isoformat()}],
            "declarations": {"organisation_and_equipment": True, "financial_capacity": True,
                             "no_disqualifying_convictions": True, "sworn_statement": True},
            **overrides,
        }

    def create(self, token: str | None = None, **overrides: Any) -> dict[str, Any]:
        response = self.api.post("/applications", token or self.token, self.body(**overrides))
        assert response.status_code == 201, response.text
        return response.json()

    def upload(self, app_id: str, data: bytes = PDF, *, doc_type: str = "criminal_record_extract",
               mentor_index: int | None = 0, content_type: str = "application/pdf", token: str | None = None) -> dict:
        body = {"type": doc_type, "filename": "doc.pdf", "content_type": content_type, "size_bytes": len(data)}
        if mentor_index is not None:
            body["mentor_index"] = mentor_index
        slot = self.api.post(f"/applications/{app_id}/documents", token or self.token, body)
        assert slot.status_code == 201, slot.text
        slot = slot.json()
        # The upload URL is its own authorisation: no bearer token, straight to the bucket.
        put = requests.request(
            slot["upload_method"], slot["upload_url"], data=data, headers=slot["upload_headers"], timeout=30
        )
        assert put.status_code in (200, 204), put.text
        return slot

    def submit(self, app_id: str, token: str | None = None) -> requests.Response:
        return self.api.post(f"/applications/{app_id}/submit", token or self.token)


def _errors(response: requests.Response) -> set[tuple[str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return {(e["field"], e["code"]) for e in response.json()["errors"]}


def test_an_application_is_filed_uploaded_submitted_and_routed(api):
    company = Company(api)
    created = company.create()
    assert created["status"] == "draft" and created["enterprise_number"] == company.enterprise
    assert created["mentors"][0]["national_register_number"] == "800315*****"
    company.upload(created["id"])

    submitted = company.submit(created["id"])
    assert submitted.status_code == 202, submitted.text
    body = submitted.json()
    assert body["status"] == "submitted" and body["decision_due"] and body["submitted_at"]
    assert body["documents"][0]["verified"] is True

    api.settle()
    routed = api.get(f"/applications/{created['id']}", company.token).json()
    assert routed["partnership_id"] == "mtech"  # joint committee 111
    assert routed["status"] == "in_review"
    history = api.get(f"/applications/{created['id']}/history", company.token).json()
    assert [h["what"] for h in history][:3] == ["created", "document_registered", "submitted"], history
    assert "routed" in [h["what"] for h in history]
    assert [a["id"] for a in api.get("/applications", company.token).json()] == [created["id"]]


def test_submission_lists_every_missing_or_failing_item(api):
    company = Company(api)
    today = api.today()
    created = company.create(
        contact=None,
        declarations={"organisation_and_equipment": False, "sworn_statement": False},
        mentors=[
            {"first_name": "Young", "last_name": "One",
             "national_register_number": national_register_number(date(today.year - 24, 1, 1)), "experience_years": 3,
             "extract_issued_on": (today - timedelta(days=400)).isoformat()},
            {"first_name": "Too", "last_name": "Young",
             "national_register_number": national_register_number(date(today.year - 21, 1, 1)), "experience_years": 6,
             "extract_issued_on": today.isoformat()},
        ],
    )
    company.upload(created["id"], PNG, mentor_index=0)  # declared a PDF, uploaded a PNG
    errors = _errors(company.submit(created["id"]))
    assert errors >= {
        ("contact.name", "required"), ("contact.email", "required"),
        ("declarations.financial_capacity", "required"),
        ("declarations.sworn_statement", "must_be_true"),
        ("mentors[0].derogation_proof", "required"),
        ("mentors[0].extract_issued_on", "extract_too_old"),
        ("mentors[1].national_register_number", "mentor_too_young"),
        ("mentors[1].criminal_record_extract", "missing_document"),
        ("documents[0]", "content_mismatch"),
    }
    assert ("declarations.organisation_and_equipment", "required") not in errors  # "no" is an answer
    assert api.get(f"/applications/{created['id']}", company.token).json()["status"] == "draft"


def test_an_upload_of_another_size_is_refused_and_nothing_uploaded_is_caught_at_submission(api):
    company = Company(api)
    created = company.create()
    slot = api.post(f"/applications/{created['id']}/documents", company.token, {
        "type": "criminal_record_extract", "filename": "x.pdf", "content_type": "application/pdf",
        "size_bytes": len(PDF), "mentor_index": 0}).json()
    assert ("documents[0]", "not_uploaded") in _errors(company.submit(created["id"]))
    # The URL signs the declared Content-Length: the bucket refuses other bytes (on AWS as here).
    put = requests.put(slot["upload_url"], data=PDF + b"more", headers=slot["upload_headers"], timeout=30)
    assert put.status_code == 403 and "SignatureDoesNotMatch" in put.text
    assert ("documents[0]", "not_uploaded") in _errors(company.submit(created["id"]))


def test_no_mentor_is_refused(api):
    company = Company(api)
    created = company.create(mentors=[])
    assert ("mentors", "too_few") in _errors(company.submit(created["id"]))


def test_invalid_fields_are_all_listed_when_the_draft_is_created(api):
    company = Company(api)
    response = api.post("/applications", company.token, company.body(
        establishment_number="1234567890", training_code="nope", colour="red",
        company={"joint_committee": "3020"}, contact={"email": "nope"}))
    assert _errors(response) >= {
        ("establishment_number", "invalid_establishment_number"), ("training_code", "unknown_training"),
        ("colour", "unknown_field"), ("company.joint_committee", "invalid_joint_committee"),
        ("contact.email", "invalid_email"),
    }
    assert api.get("/applications", company.token).json() == []


def test_documents_over_ten_megabytes_or_of_another_type_are_refused(api):
    company = Company(api)
    created = company.create()
    path = f"/applications/{created['id']}/documents"
    body = {"type": "other", "filename": "x.pdf", "content_type": "application/pdf", "size_bytes": 10 * 1024 * 1024 + 1}
    assert api.post(path, company.token, body).status_code == 413
    assert api.post(path, company.token, {**body, "size_bytes": 10, "content_type": "text/html"}).status_code == 422


def test_a_second_open_application_for_the_same_key_is_a_conflict(api):
    company = Company(api)
    first, second = company.create(), company.create()
    company.upload(first["id"])
    company.upload(second["id"])
    assert company.submit(first["id"]).status_code == 202
    assert company.submit(first["id"]).status_code == 409
    assert company.submit(second["id"]).status_code == 409
    assert api.patch(f"/applications/{first['id']}", company.token, {"company": {"name": "X"}}).status_code == 409
    withdrawn = api.post(f"/applications/{first['id']}/withdraw", company.token)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert company.submit(second["id"]).status_code == 202


def test_an_intermediary_files_with_a_mandate_for_its_mandated_enterprises_only(api):
    company = Company(api)
    token = api.token("intermediary", mandates=[company.enterprise], sub=f"school-{company.enterprise}")
    outsider = api.token("intermediary", mandates=[enterprise_number()], sub="other-school")
    assert api.post("/applications", outsider, company.body()).status_code == 403
    created = company.create(token=token)
    assert created["filed_by"]["role"] == "intermediary"
    assert api.get(f"/applications/{created['id']}", outsider).status_code == 404
    company.upload(created["id"], token=token)
    assert ("documents.mandate", "missing_document") in _errors(company.submit(created["id"], token))
    company.upload(created["id"], doc_type="mandate", mentor_index=None, token=token)
    assert company.submit(created["id"], token).status_code == 202
    assert api.get(f"/applications/{created['id']}", company.token).json()["status"] in ("submitted", "in_review")


def test_other_companies_and_other_roles_see_nothing(api):
    company, other = Company(api), Company(api)
    created = company.create()
    assert api.post("/applications", other.token, company.body()).status_code == 403
    assert api.get(f"/applications/{created['id']}", other.token).status_code == 404
    partnership = api.token("partnership", partnership_id="mtech")
    assert api.get(f"/applications/{created['id']}", partnership).status_code == 403
    assert api.post("/applications", partnership, company.body()).status_code == 403
    assert api.get("/applications").status_code == 401


def test_the_same_idempotency_key_creates_one_draft(api):
    company = Company(api)
    headers = {"idempotency-key": f"create-{company.enterprise}"}
    first = api.post("/applications", company.token, company.body(), headers=headers)
    again = api.post("/applications", company.token, company.body(), headers=headers)
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    changed = api.post("/applications", company.token, company.body(kind="new", mentors=[]), headers=headers)
    assert changed.status_code == 422
    assert len(api.get("/applications", company.token).json()) == 1


def test_answers_go_to_the_partnership_only_after_routing(api):
    company = Company(api)
    created = company.create()
    company.upload(created["id"])
    path = f"/applications/{created['id']}/messages"
    assert api.post(path, company.token, {"message": "hi", "question_id": "q"}).status_code == 409
    assert company.submit(created["id"]).status_code == 202
    api.settle()
    # Routed, but nothing asked yet: there is no question to answer (409, a state conflict).
    assert api.post(path, company.token, {"message": "Unasked.", "question_id": "q"}).status_code == 409
    partnership = api.token("partnership", partnership_id="mtech")
    asked = api.post(f"/review/applications/{created['id']}/questions", partnership, {"message": "Which machines?"})
    assert asked.status_code == 201, asked.text
    api.settle()
    question_id = asked.json()["question_id"]
    assert api.post(path, company.token, {"message": "Lathes.", "question_id": "other"}).status_code == 422
    answered = api.post(path, company.token, {"message": "We have two lathes.", "question_id": question_id})
    assert answered.status_code == 201, answered.text
    assert answered.json()["partnership_id"] == "mtech" and answered.json()["question_id"] == question_id
    again = api.post(path, company.token, {"message": "And a drill.", "question_id": question_id})
    assert again.status_code == 409, again.text


def test_a_support_request_is_accepted_for_the_callers_enterprise(api):
    company = Company(api)
    body = {"enterprise_number": company.enterprise, "topic": "exploratory", "message": "Can we talk?",
            "contact": {"name": "Jan", "email": "jan@peeters.example"}}
    created = api.post("/support-requests", company.token, body)
    assert created.status_code == 201 and created.json()["id"]
    assert api.post("/support-requests", Company(api).token, body).status_code == 403


def _publish(api, data) -> None:
    """Put an event on the bus as its producing service would (review, appeal)."""
    from kernel.publisher import envelope_for, message_attributes

    envelope = envelope_for(data, source="e2e", correlation_id=f"e2e-{type(data).__name__}")
    topic = next(t.arn for t in api.rt.template.topics if t.logical_id == "EventTopic")
    api.rt.client("sns").publish(TopicArn=topic, Message=envelope.to_json(),
                                 MessageAttributes=message_attributes(envelope))


def test_an_active_recognition_blocks_a_new_application_and_a_renewal_must_name_it(api):
    from kernel import clock
    from kernel.events import RecognitionGrantedV1

    company = Company(api)
    today = api.today()
    recognition_id = f"rec-{company.enterprise}"
    _publish(api, RecognitionGrantedV1(
        recognition_id=recognition_id, partnership_id="mtech", enterprise_number=company.enterprise,
        establishment_number=company.establishment, training_code=TRAINING, valid_from=today - timedelta(days=1700),
        valid_until=today + timedelta(days=60), granted_at=clock.now()))
    api.settle()
    new = company.create()
    company.upload(new["id"])
    assert company.submit(new["id"]).status_code == 409

    wrong = company.create(kind="renewal", renews_recognition_id="rec-unknown")
    company.upload(wrong["id"])
    assert ("renews_recognition_id", "not_renewable") in _errors(company.submit(wrong["id"]))

    renewal = company.create(kind="renewal", renews_recognition_id=recognition_id)
    company.upload(renewal["id"])
    assert company.submit(renewal["id"]).status_code == 202


def test_an_excluded_enterprise_cannot_submit_until_the_appeal_is_upheld(api):
    from kernel import clock
    from kernel.events import AppealDecidedV1, MeasureImposedV1

    company = Company(api)
    measure_id = f"m-{company.enterprise}"
    _publish(
        api,
        MeasureImposedV1(
            measure_id=measure_id,
            type="exclusion",
            partnership_id="vpdl",
            enterprise_number=company.enterprise,
            reason="serious breach",
            appealable=True,
            imposed_at=clock.now(),
            details={"scope": "enterprise", "until": None},
        ),
    )
    api.settle()
    created = company.create()
    company.upload(created["id"])
    assert ("enterprise_number", "excluded") in _errors(company.submit(created["id"]))
    _publish(api, AppealDecidedV1(appeal_id=f"a-{company.enterprise}", subject_id=measure_id, subject_kind="measure",
                                  enterprise_number=company.enterprise, outcome="upheld", decided_at=clock.now()))
    api.settle()
    assert company.submit(created["id"]).status_code == 202
