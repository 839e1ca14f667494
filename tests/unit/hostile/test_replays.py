"""An Idempotency-Key replays a response only to the caller who made it, and only after the
replaying request has passed the same authorisation as a first request (CONTRACT.md). A replay
says so with ``Idempotency-Replayed: true``."""

from __future__ import annotations

from hostile_support import CLAIMS, COMPANY, OTHER_COMPANY, QUESTION, application_body

KEY = {"idempotency-key": "k-1"}


def as_(role: str, **claims) -> dict:
    return {**CLAIMS[role], **claims}


def test_the_same_caller_gets_the_replay_marked_as_one(stack):
    first = stack.call("POST", "/applications", body=application_body(establishment_number="2123456989"), headers=KEY)
    again = stack.call("POST", "/applications", body=application_body(establishment_number="2123456989"), headers=KEY)
    assert first.status == again.status == 201 and first.body == again.body
    assert first.header("Idempotency-Replayed") is None
    assert again.header("Idempotency-Replayed") == "true"


def test_an_employer_of_another_enterprise_with_the_same_sub_does_not_get_the_message_replayed(stack):
    path = f"/applications/{stack.ids['routed']}/messages"
    first = stack.call("POST", path, body={"message": "Two lathes.", "question_id": QUESTION}, headers=KEY)
    assert first.status == 201, first.text
    # Same sub, another enterprise: the application is not theirs, whatever the key says.
    other = stack.call("POST", path, claims=as_("employer", enterprise_number=OTHER_COMPANY),
                       body={"message": "Two lathes.", "question_id": QUESTION}, headers=KEY)
    assert other.status == 404 and "Two lathes" not in other.text


def test_an_intermediary_with_other_mandates_does_not_get_the_application_replayed(stack):
    body = application_body(establishment_number="2123456989")
    first = stack.call("POST", "/applications", "intermediary", body=body, headers=KEY)
    assert first.status == 201, first.text
    other = stack.call(
        "POST", "/applications", claims=as_("intermediary", mandates=[OTHER_COMPANY]), body=body, headers=KEY
    )
    assert other.status == 403 and "Jan Peeters" not in other.text


def test_an_intermediary_whose_mandate_was_withdrawn_gets_no_upload_url(stack):
    path = f"/applications/{stack.ids['draft']}/documents"
    body = {"type": "mandate", "filename": "mandate.pdf", "content_type": "application/pdf", "size_bytes": 1000}
    first = stack.call("POST", path, "intermediary", body=body, headers=KEY)
    assert first.status == 201, first.text
    withdrawn = stack.call("POST", path, claims=as_("intermediary", mandates=[]), body=body, headers=KEY)
    assert withdrawn.status == 404 and "upload_url" not in withdrawn.text


def test_a_support_request_is_not_replayed_to_an_employer_of_another_enterprise(stack):
    body = {"enterprise_number": COMPANY, "topic": "exploratory", "message": "Can we talk?",
            "contact": {"name": "Jan Peeters", "email": "jan@peeters.example"}}
    assert stack.call("POST", "/support-requests", body=body, headers=KEY).status == 201
    other = stack.call("POST", "/support-requests", claims=as_("employer", enterprise_number=OTHER_COMPANY),
                       body=body, headers=KEY)
    assert other.status == 403 and "Can we talk" not in other.text


def test_a_partnership_with_the_same_sub_in_another_partnership_does_not_get_the_question_replayed(stack):
    path = f"/review/applications/{stack.ids['routed']}/questions"
    first = stack.call("POST", path, "partnership", body={"message": "Which machines?"}, headers=KEY)
    assert first.status == 201, first.text
    other = stack.call("POST", path, claims=as_("partnership", partnership_id="horeca"),
                       body={"message": "Which machines?"}, headers=KEY)
    assert other.status == 404 and "question_id" not in other.text


def test_a_measure_is_not_replayed_to_another_partnership(stack):
    path = f"/review/recognitions/{stack.ids['recognition']}/measures"
    body = {"type": "guidance", "reason": "Mentor hours", "plan": "Weekly check-ins",
            "due_date": "2099-01-01"}
    first = stack.call("POST", path, "partnership", body=body, headers=KEY)
    assert first.status == 201, first.text
    other = stack.call("POST", path, claims=as_("partnership", partnership_id="horeca"), body=body, headers=KEY)
    assert other.status == 404 and "measure_id" not in other.text


def test_an_appeal_is_not_replayed_to_an_employer_of_another_enterprise(stack):
    body = {"subject_id": stack.ids["subject"], "grounds": "The extract was uploaded in time."}
    first = stack.call("POST", "/appeals", body=body, headers=KEY)
    assert first.status == 201, first.text
    again = stack.call("POST", "/appeals", body=body, headers=KEY)
    assert again.status == 201 and again.header("Idempotency-Replayed") == "true"
    other = stack.call(
        "POST", "/appeals", claims=as_("employer", enterprise_number=OTHER_COMPANY), body=body, headers=KEY
    )
    assert other.status == 404 and first.body["id"] not in other.text


def test_the_appeals_role_replays_no_employer_appeal(stack):
    body = {"subject_id": stack.ids["subject"], "grounds": "The extract was uploaded in time."}
    assert stack.call("POST", "/appeals", body=body, headers=KEY).status == 201
    coordinator = stack.call(
        "POST", "/appeals", claims=as_("appeals", sub=CLAIMS["employer"]["sub"]), body=body, headers=KEY
    )
    assert coordinator.status == 403
