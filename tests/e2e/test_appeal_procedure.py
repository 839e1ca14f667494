"""The appeal procedure over HTTP on the local runtime (DOMAIN.md section 6).

The company's application goes through intake and routing; the refusal comes from review's
decision route when that route is there, else this test publishes the DecisionRecorded review
would have published; the notice (with its appeal deadline) comes from notification, else this
test publishes the NoticeIssued. Every step after that is the appeal service's own routes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from testkit.identifiers import enterprise_number, establishment_number

from kernel.calendar import next_working_day
from kernel.envelope import derived_event_id
from kernel.events import DecisionRecordedV1, NoticeIssuedV1
from kernel.publisher import envelope_for, message_attributes

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n% extract model 596.2\n%%EOF\n"


# ------------------------------------------------------------------ identities
# ------------------------------------------------------------------ what other services provide
# The runtime runs the working tree, so what is importable here is what the runtime serves.
def review_decides() -> bool:
    """Review's decision route exists (then review also applies an upheld appeal)."""
    try:
        from review.handlers.api import app
    except ImportError:
        return False
    routes = [*app._static_routes, *app._dynamic_routes]
    return any(r.method == "POST" and r.openapi_path.endswith("/decision") for r in routes)


def notices_are_issued() -> bool:
    """Notification turns a DecisionRecorded into a notice (with its NoticeIssued)."""
    try:
        from notification.handlers.events import HANDLERS
    except ImportError:
        return False
    return "DecisionRecorded" in HANDLERS


def publish(api, data) -> None:
    """Put an envelope on the bus as its producing service would (boto3 against the runtime's moto)."""
    envelope = envelope_for(data, source="e2e", correlation_id=f"e2e-{data.__class__.__name__}")
    api.rt.client("sns").publish(
        TopicArn=next(t.arn for t in api.rt.template.topics if t.logical_id == "EventTopic"),
        Message=envelope.to_json(),
        MessageAttributes=message_attributes(envelope),
    )


def submitted_application(api, enterprise: str) -> dict[str, Any]:
    """A complete application filed by ``enterprise``, submitted and routed."""
    token = api.token("employer", enterprise_number=enterprise)
    training = api.get("/trainings").json()[0]["code"]
    today = api.today()
    draft = api.post(
        "/applications",
        token,
        {
            "enterprise_number": enterprise,
            "establishment_number": establishment_number(),
            "training_code": training,
            "kind": "new",
            "company": {
                "name": "Bakkerij De Appel",
                "joint_committee": "200",
                "address": {"street": "Kerkstraat 1", "postal_code": "9000", "city": "Gent"},
            },
            "contact": {"name": "An Peeters", "email": "an@example.be"},
            "mentors": [
                {
                    "first_name": "Jan",
                    "last_name": "Janssens",
                    "national_register_number": "80031512361",
                    "experience_years": 12,
                    "extract_issued_on": (today - timedelta(days=20)).isoformat(),
                }
            ],
            "declarations": {
                "organisation_and_equipment": True,
                "financial_capacity": True,
                "no_disqualifying_convictions": True,
                "sworn_statement": True,
            },
        },
    )
    assert draft.status_code == 201, draft.text
    application = draft.json()
    document = api.post(
        f"/applications/{application['id']}/documents",
        token,
        {
            "type": "criminal_record_extract",
            "filename": "extract.pdf",
            "content_type": "application/pdf",
            "size_bytes": len(PDF),
            "mentor_index": 0,
        },
    )
    assert document.status_code == 201, document.text
    upload = document.json()
    put = api.session.put(upload["upload_url"], data=PDF, headers=upload.get("upload_headers") or {}, timeout=30)
    assert put.status_code in (200, 204), put.text
    submitted = api.post(f"/applications/{application['id']}/submit", token)
    assert submitted.status_code == 202, submitted.text
    api.settle()
    return api.get(f"/applications/{application['id']}", token).json()


def refusal_with_notice(api) -> dict[str, Any]:
    """A refused application and its notice, as the company sees them. Returns the decision_id,
    the application and the notice."""
    enterprise = enterprise_number()
    application = submitted_application(api, enterprise)
    partnership_id = application.get("partnership_id") or "vpdl"
    if review_decides():
        partnership = api.token("partnership", partnership_id=partnership_id)
        decided = api.post(
            f"/review/applications/{application['id']}/decision",
            partnership,
            {"outcome": "refused", "reasons": ["The mentor's experience is not shown."]},
        )
        assert decided.status_code == 201, decided.text
        decision_id = decided.json()["decision_id"]
    else:
        decision_id = derived_event_id(application["id"], "e2e-decision")
        publish(
            api,
            DecisionRecordedV1(
                decision_id=decision_id,
                application_id=application["id"],
                partnership_id=partnership_id,
                enterprise_number=enterprise,
                establishment_number=application["establishment_number"],
                training_code=application["training_code"],
                outcome="refused",
                reasons=["The mentor's experience is not shown."],
                decided_at=api.rt.now(),
            ),
        )
    if not notices_are_issued():
        issued_on = api.today()
        publish(
            api,
            NoticeIssuedV1(
                notice_id=f"notice-{decision_id}",
                kind="refusal",
                subject_id=decision_id,
                enterprise_number=enterprise,
                partnership_id=partnership_id,
                application_id=application["id"],
                issued_at=datetime.combine(issued_on, time(9, 0), tzinfo=UTC),
                appeal_deadline=appeal_deadline(issued_on),
                pdf_key=f"notices/{decision_id}.pdf",
            ),
        )
    api.settle()
    employer = api.token("employer", enterprise_number=enterprise)
    notices = api.get(f"/notices?subject_id={decision_id}", employer)
    notice = notices.json()[0] if notices.status_code == 200 and notices.json() else None
    return {"decision_id": decision_id, "application": application, "enterprise": enterprise, "notice": notice}


GROUNDS = "The mentor has twelve years of experience; see the attached CV."


def lodge(api, enterprise: str, subject_id: str, grounds: str = GROUNDS):
    return api.post(
        "/appeals", api.token("employer", enterprise_number=enterprise), {"subject_id": subject_id, "grounds": grounds}
    )


def appeal_deadline(notice_day: date) -> date:
    """Ten calendar days, moved off a Saturday, Sunday or public holiday (policy, art. 53 Judicial Code)."""
    return next_working_day(notice_day + timedelta(days=10))


# ------------------------------------------------------------------ the procedure
def test_refusal_appealed_on_day_nine_is_upheld_and_the_register_recognises_the_company(api):
    refused = refusal_with_notice(api)
    notice_day = api.today()
    if notices_are_issued():
        assert refused["notice"] is not None, "notification issued no notice for the refusal"
        assert refused["notice"]["appeal_deadline"] == appeal_deadline(notice_day).isoformat()

    api.advance(9)
    lodged = lodge(api, refused["enterprise"], refused["decision_id"])
    assert lodged.status_code == 201, lodged.text
    appeal = lodged.json()
    assert appeal["status"] == "lodged"
    assert appeal["appeal_deadline"] == appeal_deadline(notice_day).isoformat()
    assert appeal["acknowledgement_due"] == (api.today() + timedelta(days=10)).isoformat()

    coordinator = api.token("appeals")
    queue = api.get("/appeals?status=lodged", coordinator).json()
    assert appeal["id"] in [a["id"] for a in queue]

    admissible = api.post(f"/appeals/{appeal['id']}/admissibility", coordinator, {"admissible": True, "reasons": []})
    assert admissible.status_code == 200, admissible.text
    assert admissible.json()["status"] == "admissible"

    upheld = api.post(
        f"/appeals/{appeal['id']}/decision",
        coordinator,
        {"outcome": "upheld", "reasons": ["The experience is shown by the CV in the file."]},
    )
    assert upheld.status_code == 200, upheld.text
    decided_on = api.today()
    api.settle()

    seen = api.get(f"/appeals/{appeal['id']}", api.token("employer", enterprise_number=refused["enterprise"]))
    assert seen.json()["status"] == "upheld"

    if not review_decides():
        pytest.skip("review is not deployed: the recognition after an upheld appeal cannot be verified yet")
    application = refused["application"]
    verified = api.get(
        "/register/verify",
        params={
            "enterprise_number": refused["enterprise"],
            "establishment_number": application["establishment_number"],
            "training_code": application["training_code"],
        },
    ).json()
    assert verified["recognized"] is True, verified
    assert verified["valid_from"] == decided_on.isoformat()


def test_an_appeal_the_day_after_the_last_day_is_recorded_as_inadmissible_for_the_deadline(api):
    refused = refusal_with_notice(api)
    notice_day = api.today()
    api.advance((appeal_deadline(notice_day) - notice_day).days + 1)  # day 11, later when day 10 was moved
    lodged = lodge(api, refused["enterprise"], refused["decision_id"])
    assert lodged.status_code == 201, lodged.text
    appeal = lodged.json()
    assert appeal["status"] == "inadmissible"
    assert appeal["admissibility"]["reasons"] == ["deadline_passed"]
    assert appeal["appeal_deadline"] == appeal_deadline(notice_day).isoformat()

    coordinator = api.token("appeals")
    assert api.post(f"/appeals/{appeal['id']}/admissibility", coordinator, {"admissible": True}).status_code == 409
    assert (
        api.post(f"/appeals/{appeal['id']}/decision", coordinator, {"outcome": "upheld", "reasons": ["x"]}).status_code
        == 409
    )


def test_another_company_can_neither_appeal_nor_see_the_appeal(api):
    refused = refusal_with_notice(api)
    other = enterprise_number()
    assert lodge(api, other, refused["decision_id"]).status_code == 404

    appeal = lodge(api, refused["enterprise"], refused["decision_id"]).json()
    assert api.get(f"/appeals/{appeal['id']}", api.token("employer", enterprise_number=other)).status_code == 404
    intermediary = api.token("intermediary", mandates=[refused["enterprise"]])
    assert api.post("/appeals", intermediary, {"subject_id": refused["decision_id"], "grounds": "x"}).status_code == 403


def test_an_appeal_left_unanswered_past_its_acknowledgement_date_is_flagged(api):
    refused = refusal_with_notice(api)
    appeal = lodge(api, refused["enterprise"], refused["decision_id"]).json()
    scheduler = api.rt.client("scheduler")
    group = api.rt.template.schedule_groups[0].name
    from appeal.usecases.lodging import acknowledgement_timer

    assert scheduler.get_schedule(Name=acknowledgement_timer(appeal["id"]), GroupName=group)
    coordinator = api.token("appeals")
    assert api.get(f"/appeals/{appeal['id']}", coordinator).json()["acknowledgement_overdue"] is False

    api.advance(11)
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.get_schedule(Name=acknowledgement_timer(appeal["id"]), GroupName=group)  # it fired
    coordinator = api.token("appeals")  # tokens are short-lived: the one from before the advance expired
    row = next(a for a in api.get("/appeals?status=lodged", coordinator).json() if a["id"] == appeal["id"])
    assert row["acknowledgement_overdue"] is True
