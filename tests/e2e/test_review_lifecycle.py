"""The partnership side over HTTP on the local runtime: an application filed through intake and
routed by joint committee lands in the partnership's queue and feed; its decision puts the company
in the public register; a missed deadline is flagged; a recognition expires after five years."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import requests
from testkit.identifiers import dotted, enterprise_number, establishment_number

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n% extract model 596.2\n%%EOF\n"
MENTOR_NRN = "80031512361"
TRAINING = "elektrische-installaties-duaal"  # joint committee 111 routes to mtech
PARTNERSHIP = "mtech"


class Company:
    """A company with fresh numbers (the runtime is shared between tests) and its employer token."""

    def __init__(self, api) -> None:
        self.api = api
        self.enterprise = enterprise_number()
        self.establishment = establishment_number()
        self.token = api.token("employer", enterprise_number=self.enterprise, sub=f"emp-{self.enterprise}")

    def submitted_application(self, **overrides: Any) -> str:
        today = self.api.today()
        body = {
            "enterprise_number": self.enterprise, "establishment_number": self.establishment,
            "training_code": TRAINING, "kind": "new",
            "company": {"name": "Elektro Peeters", "joint_committee": "111",
                        "address": {"street": "Stationsstraat 1", "postal_code": "9000", "city": "Gent"}},
            "contact": {"name": "Jan Peeters", "email": "jan@peeters.example"},
            "mentors": [{"first_name": "An", "last_name": "Peeters", "national_register_number": MENTOR_NRN,
                         "experience_years": 10, "extract_issued_on": today.isoformat()}],
            "declarations": {"organisation_and_equipment": True, "financial_capacity": True,
                             "no_disqualifying_convictions": True, "sworn_statement": True},
            **overrides,
        }
        created = self.api.post("/applications", self.token, body)
        assert created.status_code == 201, created.text
        app_id = created.json()["id"]
        slot = self.api.post(f"/applications/{app_id}/documents", self.token, {
            "type": "criminal_record_extract", "filename": "extract.pdf", "content_type": "application/pdf",
            "size_bytes": len(PDF), "mentor_index": 0}).json()
        put = requests.request(
            slot["upload_method"], slot["upload_url"], data=PDF, headers=slot["upload_headers"], timeout=30
        )
        assert put.status_code in (200, 204), put.text
        submitted = self.api.post(f"/applications/{app_id}/submit", self.token)
        assert submitted.status_code == 202, submitted.text
        self.api.settle()
        return app_id

    def verify(self, on: date | None = None) -> dict[str, Any]:
        query = {"enterprise_number": dotted(self.enterprise),
                 "establishment_number": self.establishment, "training_code": TRAINING}
        if on:
            query["on"] = on.isoformat()
        response = self.api.get("/register/verify", params=query)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def partnership(api) -> str:
    return api.token("partnership", partnership_id=PARTNERSHIP, sub="reviewer-mtech")


def queue_item(api, token: str, app_id: str, status: str | None = None) -> dict[str, Any] | None:
    response = api.get("/review/queue" + (f"?status={status}" if status else ""), token)
    assert response.status_code == 200, response.text
    return next((i for i in response.json() if i["application_id"] == app_id), None)


def feed_events(runtime, app_id: str) -> list[str]:
    """Event names on the partnership's feed queue about this application (left on the queue)."""
    sqs = runtime.client("sqs")
    url = runtime.queue_url("MtechFeedQueue")
    names: list[str] = []
    # Other tests' applications pile up on the shared feed: hide what was read for the rest of
    # the scan (a visibility of 0 would return the same first ten messages every time).
    for _ in range(100):
        reply = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=20)
        messages = reply.get("Messages", [])
        if not messages:
            break
        for m in messages:
            envelope = json.loads(m["Body"])
            if envelope["data"].get("application_id") == app_id:
                names.append(envelope["event_name"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return names


def test_a_routed_application_is_reviewed_decided_and_then_in_the_register(api, runtime, partnership):
    company = Company(api)
    app_id = company.submitted_application()

    item = queue_item(api, partnership, app_id)
    assert item is not None and item["status"] == "in_review" and item["overdue"] is False
    assert item["days_left"] == (date.fromisoformat(item["decision_due"]) - api.today()).days
    other = api.token("partnership", partnership_id="horeca", sub="reviewer-horeca")
    assert queue_item(api, other, app_id) is None
    assert api.get(f"/review/applications/{app_id}", other).status_code == 404

    file = api.get(f"/review/applications/{app_id}", partnership)
    assert file.status_code == 200, file.text
    file = file.json()
    assert file["application"]["mentors"][0]["national_register_number"] == MENTOR_NRN
    download = requests.get(file["documents"][0]["download_url"], timeout=30)
    assert download.status_code == 200 and download.content == PDF

    asked = api.post(f"/review/applications/{app_id}/questions", partnership, {"message": "Which equipment?"})
    assert asked.status_code == 201, asked.text
    api.settle()
    answered = api.post(f"/applications/{app_id}/messages", company.token,
                        {"message": "Two test benches.", "question_id": asked.json()["question_id"]})
    assert answered.status_code in (200, 201), answered.text
    visit = api.post(
        f"/review/applications/{app_id}/site-visits", partnership, {"planned_for": api.today().isoformat()}
    )
    assert visit.status_code == 201, visit.text
    report = api.post(f"/review/applications/{app_id}/site-visits/{visit.json()['visit_id']}/report", partnership,
                      {"findings": "Workshop as described.", "satisfactory": True})
    assert report.status_code == 201, report.text
    api.settle()
    file = api.get(f"/review/applications/{app_id}", partnership).json()
    assert [a["message"] for a in file["answers"]] == ["Two test benches."]
    assert file["site_visits"][0]["satisfactory"] is True
    assert company.verify()["status"] == "none"

    decided = api.post(f"/review/applications/{app_id}/decision", partnership, {"outcome": "approved", "reasons": []})
    assert decided.status_code == 201, decided.text
    decision = decided.json()
    assert decision["valid_from"] == api.today().isoformat()
    again = api.post(f"/review/applications/{app_id}/decision", partnership, {"outcome": "refused", "reasons": ["x"]})
    assert again.status_code == 409
    api.settle()

    answer = company.verify()
    assert answer["recognized"] is True and answer["status"] == "active"
    assert answer["recognition_id"] == decision["recognition_id"]
    listed = api.get("/register", params={"enterprise_number": company.enterprise}).json()["items"]
    assert [r["recognition_id"] for r in listed] == [decision["recognition_id"]]
    assert "mentors" not in listed[0] and MENTOR_NRN not in json.dumps(listed)
    assert {"ApplicationRouted", "QuestionAnswered", "SiteVisitReported"} <= set(feed_events(runtime, app_id))


def test_an_application_left_undecided_past_its_deadline_is_overdue(api, runtime, partnership):
    company = Company(api)
    app_id = company.submitted_application()
    due = date.fromisoformat(queue_item(api, partnership, app_id)["decision_due"])
    api.advance((due - api.today()).days + 1)
    partnership = api.token("partnership", partnership_id=PARTNERSHIP, sub="reviewer-mtech")  # tokens expire

    item = queue_item(api, partnership, app_id, status="overdue")
    assert item is not None and item["overdue"] is True and item["days_left"] < 0
    supervisor = api.token("partnership", partnership_id="vpdl", sub="reviewer-vpdl")
    assert queue_item(api, supervisor, app_id) is not None
    events = feed_events(runtime, app_id)
    assert "DecisionDeadlineApproaching" in events and "DecisionDeadlineMissed" in events


def test_a_recognition_expires_after_five_years_and_leaves_the_register(api, partnership):
    company = Company(api)
    app_id = company.submitted_application()
    decided = api.post(f"/review/applications/{app_id}/decision", partnership, {"outcome": "approved"}).json()
    valid_until = date.fromisoformat(decided["valid_until"])
    assert (valid_until - date.fromisoformat(decided["valid_from"])).days in (1825, 1826)  # 5 years - 1 day

    api.advance((valid_until - api.today()).days + 1)
    partnership = api.token("partnership", partnership_id=PARTNERSHIP, sub="reviewer-mtech")  # tokens expire

    answer = company.verify()
    assert answer["recognized"] is False and answer["status"] == "expired"
    assert company.verify(on=valid_until)["recognized"] is True
    assert api.get("/register", params={"enterprise_number": company.enterprise}).json()["items"] == []
    mine = api.get(f"/review/recognitions/{decided['recognition_id']}", partnership).json()
    assert mine["status"] == "expired"
    listed = api.get("/review/recognitions", partnership, params={"status": "expired"}).json()
    assert decided["recognition_id"] in {r["recognition_id"] for r in listed["items"]}
