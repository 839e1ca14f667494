"""The HTTP and bus edges with fakes behind bootstrap.ports()."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from testkit.apigw import http_event

from appeal import bootstrap
from appeal.handlers import api, events
from kernel.envelope import Envelope
from kernel.events import DecisionRecordedV1, NoticeIssuedV1
from kernel.publisher import envelope_for

UTC = UTC
COMPANY, OTHER = "0403170701", "0123456749"
DECIDED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def wired(ports, moving_clock):
    bootstrap.override(ports)
    moving_clock.at(DECIDED + timedelta(days=2))
    yield ports
    bootstrap.reset()


class Ctx:
    function_name, memory_limit_in_mb, aws_request_id = "appeal", 256, "req-1"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:appeal"


def sqs_event(*envelopes: Envelope) -> dict:
    records = [
        {
            "messageId": f"m-{i}",
            "receiptHandle": "r",
            "body": e.to_json(),
            "attributes": {"ApproximateReceiveCount": "1"},
            "messageAttributes": {},
            "md5OfBody": "",
            "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:appeal",
            "awsRegion": "eu-west-1",
        }
        for i, e in enumerate(envelopes)
    ]
    return {"Records": records}


def deliver(*envelopes: Envelope) -> dict:
    return events.handler(sqs_event(*envelopes), Ctx())


def refusal_on_the_bus(decision_id="dec-1", outcome="refused", enterprise=COMPANY) -> None:
    data = DecisionRecordedV1(
        decision_id=decision_id,
        application_id="app-1",
        partnership_id="horeca",
        enterprise_number=enterprise,
        establishment_number="2123456791",
        training_code="T001",
        outcome=outcome,
        reasons=["no extract"],
        decided_at=DECIDED,
    )
    notice = NoticeIssuedV1(
        notice_id=f"n-{decision_id}",
        kind="refusal" if outcome == "refused" else "approval",  # notification's kinds
        subject_id=decision_id,
        enterprise_number=COMPANY,
        issued_at=DECIDED,
        appeal_deadline=DECIDED.date() + timedelta(days=10) if outcome == "refused" else None,
        pdf_key="k",
    )
    # The notice first: the consumer tolerates the reordering.
    result = deliver(
        envelope_for(notice, source="notification", correlation_id="c"),
        envelope_for(data, source="review", correlation_id="c"),
    )
    assert result == {"batchItemFailures": []}


def call(method, path, body=None, role="employer", enterprise=COMPANY, headers=None, query=""):
    claims = {"sub": f"{role}-1", "role": role}
    if enterprise:
        claims["enterprise_number"] = enterprise
    if role == "intermediary":
        claims["mandates"] = [COMPANY]
    event = http_event(method, path, body=body, claims=claims, headers=headers, query=query, route_key="$default")
    response = api.app.resolve(event, None)
    return response["statusCode"], json.loads(response["body"]) if response.get("body") else None


def lodge(body=None, **kw):
    return call("POST", "/appeals", body or {"subject_id": "dec-1", "grounds": "The extract was uploaded."}, **kw)


def test_the_company_concerned_lodges_an_appeal(wired):
    refusal_on_the_bus()
    status, body = lodge()
    assert status == 201
    assert body["status"] == "lodged" and body["lodged_at"].endswith("Z")
    assert body["acknowledgement_due"] == "2026-03-14"
    assert body["appeal_deadline"] == "2026-03-12" and body["appeal_deadline_basis"] == "notice"
    assert "admissibility" not in body


def test_the_company_may_quote_the_notices_reference_instead_of_the_id(wired):
    """Issue 16 point 4: the notice prints a DL reference; POST /appeals resolves it to the act."""
    from kernel.identifiers import act_reference

    refusal_on_the_bus()
    reference = act_reference("dec-1", 2026)  # notification derives the same one for the refusal's notice
    status, body = lodge({"subject_id": reference, "grounds": "The extract was uploaded."})
    assert status == 201 and body["subject_id"] == "dec-1"
    assert lodge({"subject_id": act_reference("dec-9", 2026), "grounds": "x"})[0] == 404
    assert lodge({"subject_id": reference, "grounds": "again"}, enterprise=OTHER)[0] == 404


@pytest.mark.parametrize("role", ["intermediary", "partnership", "appeals"])
def test_only_an_employer_may_appeal(wired, role):
    refusal_on_the_bus()
    status, body = lodge(role=role)
    assert status == 403


def test_the_role_is_checked_before_the_body(wired):
    status, _ = lodge({"nonsense": True}, role="intermediary")
    assert status == 403


def test_another_company_gets_a_404(wired):
    refusal_on_the_bus()
    assert lodge(enterprise=OTHER)[0] == 404


def test_an_approval_is_422(wired):
    refusal_on_the_bus(outcome="approved")
    status, body = lodge()
    assert status == 422 and body["errors"][0]["code"] == "not_appealable"


def test_a_second_open_appeal_is_409(wired):
    refusal_on_the_bus()
    assert lodge()[0] == 201
    assert lodge()[0] == 409


def test_a_missing_grounds_field_is_422_but_empty_grounds_are_an_inadmissible_appeal(wired):
    refusal_on_the_bus()
    status, body = lodge({"subject_id": "dec-1"})
    assert status == 422 and body["errors"][0]["field"] == "grounds"
    status, body = lodge({"subject_id": "dec-1", "grounds": ""})
    assert status == 201
    assert body["admissibility"]["admissible"] is False and body["admissibility"]["reasons"] == ["not_motivated"]


def test_the_idempotency_key_replays_the_first_response(wired):
    refusal_on_the_bus()
    first = lodge(headers={"idempotency-key": "k-1"})
    again = lodge(headers={"idempotency-key": "k-1"})
    assert first == again and first[0] == 201
    assert len(wired.store.appeals) == 1
    assert lodge({"subject_id": "dec-1", "grounds": "other"}, headers={"idempotency-key": "k-1"})[0] == 422


def test_the_appellant_and_the_coordinator_read_the_appeal_others_do_not(wired):
    refusal_on_the_bus()
    _, appeal = lodge()
    path = f"/appeals/{appeal['id']}"
    assert call("GET", path)[0] == 200
    assert call("GET", path, role="appeals", enterprise=None)[0] == 200
    assert call("GET", path, enterprise=OTHER)[0] == 404
    assert call("GET", path, role="partnership", enterprise=None)[0] == 403
    assert call("GET", "/appeals/unknown", role="appeals", enterprise=None)[0] == 404


def test_the_queue_is_for_the_coordinator_oldest_first_with_a_status_filter(wired, moving_clock):
    refusal_on_the_bus("dec-1")
    refusal_on_the_bus("dec-2")
    _, first = lodge()
    moving_clock.at(DECIDED + timedelta(days=3))
    _, second = lodge({"subject_id": "dec-2", "grounds": ""})
    status, queue = call("GET", "/appeals", role="appeals", enterprise=None)
    assert status == 200 and [a["id"] for a in queue] == [first["id"], second["id"]]
    _, lodged = call("GET", "/appeals", role="appeals", enterprise=None, query="status=lodged")
    assert [a["id"] for a in lodged] == [first["id"]]
    assert call("GET", "/appeals", role="appeals", enterprise=None, query="status=bogus")[0] == 400
    assert call("GET", "/appeals", role="partnership", enterprise=None)[0] == 403
    assert call("GET", "/appeals", role="intermediary", enterprise=None)[0] == 403


def test_an_employer_lists_its_own_appeals_and_no_other_company_s(wired, moving_clock):
    refusal_on_the_bus("dec-1")
    refusal_on_the_bus("dec-2", enterprise=OTHER)
    _, own = lodge()
    moving_clock.at(DECIDED + timedelta(days=3))
    _, other = lodge({"subject_id": "dec-2", "grounds": "Ours."}, enterprise=OTHER)
    status, listed = call("GET", "/appeals")
    assert status == 200 and [a["id"] for a in listed] == [own["id"]]
    assert listed[0]["enterprise_number"] == COMPANY and listed[0]["status"] == "lodged"
    assert [a["id"] for a in call("GET", "/appeals", enterprise=OTHER)[1]] == [other["id"]]
    assert call("GET", "/appeals", query="status=upheld")[1] == []


def test_the_queue_flags_an_appeal_not_acknowledged_in_time(wired, moving_clock):
    refusal_on_the_bus()
    _, appeal = lodge()
    moving_clock.at(DECIDED + timedelta(days=13))
    _, [row] = call("GET", "/appeals", role="appeals", enterprise=None)
    assert row["acknowledgement_overdue"] is True and row["decision_due"] is None


def test_the_acknowledgement_alarm_marks_the_appeal(wired):
    refusal_on_the_bus()
    _, appeal = lodge()
    [(_, envelope)] = wired.timers.pending.values()
    assert deliver(envelope) == {"batchItemFailures": []}
    assert wired.store.get(appeal["id"]).acknowledgement_overdue


def test_admissibility_then_decision_through_the_routes(wired):
    refusal_on_the_bus()
    _, appeal = lodge()
    path = f"/appeals/{appeal['id']}"
    assert call("POST", path + "/decision", {"outcome": "upheld", "reasons": ["x"]}, role="appeals")[0] == 409
    assert call("POST", path + "/admissibility", {"admissible": True}, role="employer")[0] == 403
    assert call("POST", path + "/admissibility", {"admissible": False, "reasons": []}, role="appeals")[0] == 422
    status, body = call("POST", path + "/admissibility", {"admissible": True, "reasons": []}, role="appeals")
    assert status == 200 and body["status"] == "admissible" and body["admissibility"]["decided_by"] == "coordinator"
    assert call("POST", path + "/admissibility", {"admissible": True}, role="appeals")[0] == 409
    assert call("POST", path + "/decision", {"outcome": "upheld"}, role="appeals")[0] == 422
    assert call("POST", path + "/decision", {"outcome": "won", "reasons": ["x"]}, role="appeals")[0] == 422
    status, body = call(
        "POST", path + "/decision", {"outcome": "upheld", "reasons": "A single reason."}, role="appeals"
    )
    assert status == 200 and body["status"] == "upheld"
    assert body["decision"]["reasons"] == ["A single reason."]
    assert call("GET", path)[1]["status"] == "upheld"
    assert wired.publisher.names()[-1] == "AppealDecided"


def test_a_redelivered_event_is_handled_once(wired):
    refusal_on_the_bus()
    _, appeal = lodge()
    [(_, envelope)] = wired.timers.pending.values()
    assert deliver(envelope, envelope) == {"batchItemFailures": []}
    assert len(wired.processed.ids) == 3  # the notice, the decision and the alarm, once each


def test_an_unreadable_record_is_reported_as_a_failure(wired):
    event = sqs_event(envelope_for(NoticeIssuedV1(
        notice_id="n", kind="k", subject_id="s", enterprise_number=COMPANY, issued_at=DECIDED, pdf_key="k"
    ), source="t", correlation_id="c"))
    event["Records"][0]["body"] = "not json"
    assert events.handler(event, Ctx()) == {"batchItemFailures": [{"itemIdentifier": "m-0"}]}


def test_the_acknowledgement_is_overdue_from_midnight_in_brussels(wired, moving_clock):
    refusal_on_the_bus()
    _, appeal = lodge()
    assert appeal["acknowledgement_due"] == "2026-03-14"
    moving_clock.at(datetime(2026, 3, 14, 22, 59, tzinfo=UTC))  # 23:59 on the last day in Brussels
    assert (
        call("GET", f"/appeals/{appeal['id']}", role="appeals", enterprise=None)[1]["acknowledgement_overdue"] is False
    )
    moving_clock.at(datetime(2026, 3, 14, 23, 30, tzinfo=UTC))  # 00:30 on 15 March in Brussels, still 14 March in UTC
    assert (
        call("GET", f"/appeals/{appeal['id']}", role="appeals", enterprise=None)[1]["acknowledgement_overdue"] is True
    )
