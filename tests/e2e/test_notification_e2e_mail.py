"""Official notices over HTTP on the local runtime: a company files through intake, routing sends
it to the construction partnership, review decides, and notification mails the notice (PDF
attached, link in the body) and lists it at GET /notices.

Stopgap: when review's decision route is not in the tree, this test publishes the
DecisionRecorded review would have published (boto3 against the runtime's moto).
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from testkit.identifiers import dotted, enterprise_number, establishment_number

from kernel.calendar import next_working_day
from kernel.envelope import derived_event_id
from kernel.events import DecisionRecordedV1
from kernel.publisher import envelope_for, message_attributes

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n% extract model 596.2\n%%EOF\n"
MENTOR_NRN = "80031512361"
TRAINING = "ruwbouw-duaal"  # Ruwbouw duaal
PARTNERSHIP = "construction"  # joint committee 124
PARTNERSHIP_MAIL = "bouw@example.be"


def review_decides() -> bool:
    try:
        from review.handlers.api import app
    except ImportError:
        return False
    return any(
        r.method == "POST" and r.openapi_path.endswith("/decision") for r in [*app._static_routes, *app._dynamic_routes]
    )


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def file_application(api, contact: str | None = None) -> dict[str, Any]:
    """``contact``: the company's address (default one of its own; SES's simulator to see a bounce)."""
    enterprise = enterprise_number()
    establishment = establishment_number()
    contact = contact or f"contact-{enterprise}@bouw.example"
    token = api.token("employer", enterprise_number=enterprise)
    today = api.today()
    draft = api.post("/applications", token, {
        "enterprise_number": enterprise, "establishment_number": establishment, "training_code": TRAINING,
        "kind": "new",
        "company": {"name": "Bouwwerken Claes BV", "joint_committee": "124",
                    "address": {"street": "Kerkstraat 1", "postal_code": "9000", "city": "Gent"}},
        "contact": {"name": "Lies Claes", "email": contact},
        "mentors": [{"first_name": "Jan", "last_name": "Janssens", "national_register_number": MENTOR_NRN,
                     "experience_years": 12, "extract_issued_on": (today - timedelta(days=20)).isoformat()}],
        "declarations": {"organisation_and_equipment": True, "financial_capacity": True,
                         "no_disqualifying_convictions": True, "sworn_statement": True},
    })
    assert draft.status_code == 201, draft.text
    application = draft.json()
    slot = api.post(f"/applications/{application['id']}/documents", token, {
        "type": "criminal_record_extract", "filename": "extract.pdf", "content_type": "application/pdf",
        "size_bytes": len(PDF), "mentor_index": 0,
    })
    assert slot.status_code == 201, slot.text
    upload = slot.json()
    put = api.session.put(upload["upload_url"], data=PDF, headers=upload.get("upload_headers") or {}, timeout=30)
    assert put.status_code in (200, 204), put.text
    submitted = api.post(f"/applications/{application['id']}/submit", token)
    assert submitted.status_code == 202, submitted.text
    api.settle()
    application = api.get(f"/applications/{application['id']}", token).json()
    return {"application": application, "enterprise": enterprise, "establishment": establishment, "contact": contact}


def decide(api, filed: dict[str, Any], outcome: str, reasons: list[str]) -> dict[str, Any]:
    application = filed["application"]
    if review_decides():
        partnership = api.token("partnership", partnership_id=PARTNERSHIP)
        decided = api.post(f"/review/applications/{application['id']}/decision", partnership,
                           {"outcome": outcome, "reasons": reasons})
        assert decided.status_code == 201, decided.text
        api.settle()
        return decided.json()
    decision_id = derived_event_id(application["id"], "e2e-decision")
    envelope = envelope_for(DecisionRecordedV1(
        decision_id=decision_id, application_id=application["id"], partnership_id=PARTNERSHIP,
        enterprise_number=filed["enterprise"], establishment_number=filed["establishment"], training_code=TRAINING,
        outcome=outcome, reasons=reasons, decided_at=api.rt.now(),
    ), source="e2e", correlation_id="e2e-notification")
    api.rt.client("sns").publish(
        TopicArn=next(t.arn for t in api.rt.template.topics if t.logical_id == "EventTopic"),
        Message=envelope.to_json(), MessageAttributes=message_attributes(envelope),
    )
    api.settle()
    return {"decision_id": decision_id}


def mails_to(api, address: str) -> list[dict[str, Any]]:
    return api.mail(to=address)


def test_a_refusal_is_mailed_with_a_pdf_that_downloads_and_carries_the_appeal_route(api):
    filed = file_application(api)
    assert filed["application"]["partnership_id"] == PARTNERSHIP
    acknowledgements = mails_to(api, filed["contact"])
    assert any("Ontvangstbevestiging" in m["subject"] for m in acknowledgements)
    assert any("Bouwwerken Claes BV" in m["subject"] for m in mails_to(api, PARTNERSHIP_MAIL))

    decision_id = decide(api, filed, "refused", ["De mentor heeft geen opleiding gevolgd."])["decision_id"]
    dispatch_day = api.today()
    (mail,) = [m for m in mails_to(api, filed["contact"]) if "weigering" in m["subject"]]
    assert [a["content_type"] for a in mail["attachments"]] == ["application/pdf"]
    link = re.search(r"https?://\S+\.pdf\?\S+", mail["body"]).group(0)  # the download; the portal address precedes it
    downloaded = api.session.get(link, timeout=30)
    assert downloaded.status_code == 200 and downloaded.content.startswith(b"%PDF")
    text = pdf_text(downloaded.content)
    enterprise = filed["enterprise"]
    assert dotted(enterprise) in text
    assert "Ruwbouw duaal" in text and "De mentor heeft geen opleiding gevolgd." in text
    assert "beroepscommissie van het Vlaams Partnerschap Duaal Leren" in text and "aangetekende brief" in text
    assert MENTOR_NRN not in text

    employer = api.token("employer", enterprise_number=enterprise)
    listed = api.get(f"/notices?subject_id={decision_id}", employer)
    assert listed.status_code == 200, listed.text
    (notice,) = listed.json()
    assert notice["kind"] == "refusal"
    deadline = notice["appeal_deadline"]
    # 10 calendar days after the day of dispatch (a Brussels date: one day later late at night UTC),
    # moved off a Saturday, Sunday or public holiday (policy terms_moved_to_next_working_day).
    assert deadline in {next_working_day(dispatch_day + timedelta(days=d)).isoformat() for d in (10, 11)}
    assert api.session.get(notice["pdf_url"], timeout=30).content.startswith(b"%PDF")

    partnership = api.token("partnership", partnership_id=PARTNERSHIP)
    assert decision_id in [n["subject_id"] for n in api.get("/notices", partnership).json()]
    assert api.get("/notices", api.token("appeals")).status_code == 403


def test_an_approval_has_no_appeal_deadline_and_schedules_the_reminders(api):
    filed = file_application(api)
    decision = decide(api, filed, "approved", [])
    decision_id = decision["decision_id"]
    employer = api.token("employer", enterprise_number=filed["enterprise"])
    (notice,) = api.get(f"/notices?subject_id={decision_id}", employer).json()
    assert notice["kind"] == "approval" and "appeal_deadline" not in notice
    text = pdf_text(api.session.get(notice["pdf_url"], timeout=30).content)
    assert "Jan Janssens" in text and "Beroepsmogelijkheid" not in text
    if not review_decides():
        pytest.skip("review does not grant recognitions yet: no reminders to check")
    recognition_id, valid_until = decision["recognition_id"], date.fromisoformat(decision["valid_until"])
    scheduler = api.rt.client("scheduler")
    group = next(g["Name"] for g in scheduler.list_schedule_groups()["ScheduleGroups"] if g["Name"] != "default")
    for days in (90, 30, 7):
        schedule = scheduler.get_schedule(Name=f"ntf-renew-{recognition_id}-{days}", GroupName=group)
        assert schedule["ScheduleExpression"].startswith(f"at({valid_until - timedelta(days=days)}T")
    assert scheduler.get_schedule(Name=f"ntf-mentor-{recognition_id}-30", GroupName=group)
