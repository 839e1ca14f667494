"""Criminal-record extracts are deleted once the final decision's appeal window has closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aws_lambda_powertools import Logger
from intake_support import ENTERPRISE, ESTABLISHMENT, TRAINING

from intake.handlers.events import HANDLERS
from intake.usecases.retention import purge_timer
from kernel import clock
from kernel.calendar import local_date, start_of_day
from kernel.consumer import handle_envelope
from kernel.envelope import Envelope
from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    DecisionRecordedV1,
    NoticeDeliveryFailedV1,
    NoticeIssuedV1,
)
from kernel.processed import InMemoryProcessedEvents
from kernel.publisher import envelope_for

KEY = dict(enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT, training_code=TRAINING)
logger = Logger(service="test")


def deliver(data, event_id=None) -> Envelope:
    envelope = envelope_for(data, source="test", correlation_id="c", event_id=event_id)
    deliver_envelope(envelope)
    return envelope


def deliver_envelope(envelope: Envelope) -> None:
    handle_envelope(envelope, handlers=HANDLERS, processed=InMemoryProcessedEvents(), logger=logger)


def submitted_with_documents(client) -> str:
    """An application holding an extract, a derogation proof and another document."""
    created = client.ready()
    client.upload(created["id"], doc_type="derogation_proof", mentor_index=0)
    client.upload(created["id"], doc_type="other", mentor_index=None)
    assert client.call("POST", f"/applications/{created['id']}/submit")[0] == 202
    return created["id"]


def decision(app_id, outcome="approved") -> DecisionRecordedV1:
    return DecisionRecordedV1(
        decision_id="dec-1", application_id=app_id, partnership_id="mtech", outcome=outcome,
        reasons=[] if outcome == "approved" else ["no equipment"], decided_at=clock.now(),
        recognition_id="rec-1" if outcome == "approved" else None, **KEY)


def refusal_notice(app_id, deadline) -> NoticeIssuedV1:
    return NoticeIssuedV1(notice_id="n-1", kind="refusal", subject_id="dec-1", enterprise_number=ENTERPRISE,
                          application_id=app_id, issued_at=clock.now(), appeal_deadline=deadline, pdf_key="n-1.pdf")


def lodged(status="lodged") -> AppealLodgedV1:
    return AppealLodgedV1(appeal_id="ap-1", subject_id="dec-1", subject_kind="decision", enterprise_number=ENTERPRISE,
                          grounds="We have the equipment.", lodged_at=clock.now(),
                          acknowledgement_due=clock.today() + timedelta(days=10), status=status)


def appeal_decided(decided_at) -> AppealDecidedV1:
    return AppealDecidedV1(appeal_id="ap-1", subject_id="dec-1", subject_kind="decision", enterprise_number=ENTERPRISE,
                           outcome="upheld", reasons=["equipment shown"], decided_at=decided_at)


def pending(ports) -> dict:
    """Timer name -> (instant, purge_on) of every pending purge."""
    return {name: (at, env.data["purge_on"]) for name, (at, env) in ports.timers.pending.items()}


def fire(ports, name, days_later=0, monkeypatch=None) -> None:
    at, envelope = ports.timers.pending[name]
    monkeypatch.setattr(clock, "_offset", at - clock.now() + clock._offset + timedelta(days=days_later, minutes=1))
    deliver_envelope(envelope)


def view(client, app_id) -> dict:
    return client.call("GET", f"/applications/{app_id}")[1]


def test_an_approval_schedules_the_purge_the_day_after_the_decision(client, ports):
    app_id = submitted_with_documents(client)
    deliver(decision(app_id))
    purge_on = local_date(clock.now()) + timedelta(days=1)  # retention in the policy: 0 days
    assert pending(ports) == {purge_timer("dec-1", purge_on): (start_of_day(purge_on), purge_on.isoformat())}


def test_a_refusal_schedules_the_purge_after_its_appeal_deadline_whatever_comes_first(client, ports):
    app_id = submitted_with_documents(client)
    deadline = local_date(clock.now()) + timedelta(days=10)
    deliver(refusal_notice(app_id, deadline))  # the notice may overtake the decision on the queue
    assert pending(ports) == {}
    deliver(decision(app_id, "refused"))
    purge_on = deadline + timedelta(days=1)
    assert pending(ports) == {purge_timer("dec-1", purge_on): (start_of_day(purge_on), purge_on.isoformat())}


def test_an_appeal_postpones_the_purge_until_the_day_after_the_appeal_decision(client, ports):
    app_id = submitted_with_documents(client)
    deadline = local_date(clock.now()) + timedelta(days=10)
    deliver(decision(app_id, "refused"))
    deliver(refusal_notice(app_id, deadline))
    first = purge_timer("dec-1", deadline + timedelta(days=1))
    deliver(lodged())
    assert pending(ports) == {} and ports.timers.cancelled == [first]
    decided_at = clock.now() + timedelta(days=40)
    deliver(appeal_decided(decided_at))
    purge_on = local_date(decided_at) + timedelta(days=1)
    assert pending(ports) == {purge_timer("dec-1", purge_on): (start_of_day(purge_on), purge_on.isoformat())}


def test_an_inadmissible_appeal_keeps_the_original_window(client, ports):
    app_id = submitted_with_documents(client)
    deadline = local_date(clock.now()) + timedelta(days=10)
    deliver(decision(app_id, "refused"))
    deliver(refusal_notice(app_id, deadline))
    deliver(lodged())
    deliver(AppealAdmissibilityDecidedV1(appeal_id="ap-1", subject_id="dec-1", enterprise_number=ENTERPRISE,
                                         admissible=False, reasons=["unmotivated"], decided_at=clock.now()))
    assert [p[1] for p in pending(ports).values()] == [(deadline + timedelta(days=1)).isoformat()]


def test_the_pinned_retention_value_adds_days_after_the_window(client, ports):
    app_id = submitted_with_documents(client)
    stored, _ = ports.applications.get(app_id)
    stored.policy["values"]["sensitive_document_retention_days"] = 30
    ports.applications.save(stored, [])
    deliver(decision(app_id))
    assert [p[1] for p in pending(ports).values()] == [(local_date(clock.now()) + timedelta(days=31)).isoformat()]


def test_the_purge_deletes_only_the_extracts_logs_it_and_shows_them_purged(client, ports, monkeypatch):
    app_id = submitted_with_documents(client)
    deliver(decision(app_id))
    stored, _ = ports.applications.get(app_id)
    keys = {d.type: d.key for d in stored.documents}
    [name] = ports.timers.pending
    fire(ports, name, monkeypatch=monkeypatch)

    assert keys["criminal_record_extract"] not in ports.documents.objects
    assert keys["derogation_proof"] in ports.documents.objects and keys["other"] in ports.documents.objects
    documents = {d["type"]: d for d in view(client, app_id)["documents"]}
    assert documents["criminal_record_extract"]["purged"] and documents["criminal_record_extract"]["purged_at"]
    assert not documents["derogation_proof"]["purged"] and not documents["other"]["purged"]
    history = client.call("GET", f"/applications/{app_id}/history")[1]
    [entry] = [h for h in history if h["what"] == "documents_purged"]
    assert entry["actor"] == {"role": "retention_job"} and entry["details"]["types"] == ["criminal_record_extract"]
    [logged] = ports.access_log.entries(app_id)
    assert logged["action"] == "purged" and logged["actor"] == "retention_job"
    assert logged["document_id"] == documents["criminal_record_extract"]["id"] and logged["versions_deleted"] == 1


def test_a_duplicate_timer_is_harmless(client, ports, monkeypatch):
    app_id = submitted_with_documents(client)
    deliver(decision(app_id))
    [name] = ports.timers.pending
    fire(ports, name, monkeypatch=monkeypatch)
    before = view(client, app_id)["documents"]
    _, envelope = ports.timers.pending[name]
    deliver_envelope(envelope)  # the same timer again (a second delivery)
    deliver_envelope(envelope.model_copy(update={"event_id": "another-timer"}))  # or a second schedule
    assert view(client, app_id)["documents"] == before
    history = client.call("GET", f"/applications/{app_id}/history")[1]
    assert [h["what"] for h in history].count("documents_purged") == 1
    assert len(ports.access_log.entries(app_id)) == 1


def test_a_timer_that_fires_while_an_appeal_runs_deletes_nothing(client, ports, monkeypatch):
    app_id = submitted_with_documents(client)
    deadline = local_date(clock.now()) + timedelta(days=10)
    deliver(decision(app_id, "refused"))
    deliver(refusal_notice(app_id, deadline))
    [name] = ports.timers.pending
    _, envelope = ports.timers.pending[name]
    deliver(lodged())  # say the cancel came too late: the timer fires anyway
    ports.timers.pending[name] = (start_of_day(deadline + timedelta(days=1)), envelope)
    fire(ports, name, days_later=5, monkeypatch=monkeypatch)
    assert not any(d["purged"] for d in view(client, app_id)["documents"])
    assert ports.access_log.entries(app_id) == []


@pytest.mark.parametrize("kind", ["approval", "mentor_ban"])
def test_notices_without_a_refusal_deadline_add_no_facts(client, ports, kind):
    app_id = submitted_with_documents(client)
    deliver(NoticeIssuedV1(notice_id="n-2", kind=kind, subject_id="dec-1", enterprise_number=ENTERPRISE,
                           application_id=app_id, issued_at=clock.now(), pdf_key="n-2.pdf",
                           appeal_deadline=clock.today() if kind == "mentor_ban" else None))
    assert ports.retention.facts("dec-1").appeal_deadline is None


def test_the_purge_tells_the_bus_which_documents_are_gone_even_when_a_retry_finds_them_purged(
    client, ports, monkeypatch
):
    """Issue 11 point 10: review kept listing purged extracts with links that answered 404."""
    app_id = submitted_with_documents(client)
    deliver(decision(app_id))
    [name] = ports.timers.pending
    fire(ports, name, monkeypatch=monkeypatch)
    [purged] = [e for e in ports.publisher.published if e.event_name == "SensitiveDocumentsPurged"]
    extract = next(d for d in view(client, app_id)["documents"] if d["type"] == "criminal_record_extract")
    assert purged.data["application_id"] == app_id and purged.data["document_ids"] == [extract["id"]]
    _, envelope = ports.timers.pending[name]
    deliver_envelope(envelope)  # redelivered after a publish that failed: the same event again
    again = [e for e in ports.publisher.published if e.event_name == "SensitiveDocumentsPurged"]
    assert {e.event_id for e in again} == {purged.event_id} and len(again) == 2


def test_a_refusal_whose_notice_has_no_appeal_deadline_keeps_the_extracts_at_most_the_policys_maximum(client, ports):
    # No e-mail address known: the notice counts no receipt, so it names no deadline and the appeal term has not
    # started. The extracts may not go while it can still start, nor be kept forever.
    from reference.policy import policy

    app_id = submitted_with_documents(client)
    deliver(decision(app_id, "refused"))
    deliver(refusal_notice(app_id, None))
    longest = policy().values.sensitive_document_max_retention_days.value
    purge_on = local_date(clock.now()) + timedelta(days=longest + 1)
    assert pending(ports) == {purge_timer("dec-1", purge_on): (start_of_day(purge_on), purge_on.isoformat())}
    deliver(lodged())  # an appeal lodged once the company had the notice another way: nothing goes while it runs
    assert pending(ports) == {}
    decided_at = clock.now() + timedelta(days=40)
    deliver(appeal_decided(decided_at))
    after = local_date(decided_at) + timedelta(days=1)
    assert [p[1] for p in pending(ports).values()] == [max(after, purge_on).isoformat()]


def test_a_later_notice_with_a_deadline_brings_the_purge_forward_to_its_window(client, ports):
    app_id = submitted_with_documents(client)
    deliver(decision(app_id, "refused"))
    deliver(refusal_notice(app_id, None))
    deadline = local_date(clock.now()) + timedelta(days=30)
    deliver(NoticeIssuedV1(notice_id="n-3", kind="refusal", subject_id="dec-1", enterprise_number=ENTERPRISE,
                           application_id=app_id, issued_at=clock.now(), appeal_deadline=deadline, pdf_key="n-3.pdf"))
    assert [p[1] for p in pending(ports).values()] == [(deadline + timedelta(days=1)).isoformat()]


def bounced(app_id, notice_id="n-1") -> NoticeDeliveryFailedV1:
    return NoticeDeliveryFailedV1(notice_id=notice_id, kind="refusal", subject_id="dec-1", enterprise_number=ENTERPRISE,
                                  application_id=app_id, outcome="bounced", reported_at=clock.now())


def at_most_the_policys_maximum() -> str:
    from reference.policy import policy

    longest = policy().values.sensitive_document_max_retention_days.value
    return (local_date(clock.now()) + timedelta(days=longest + 1)).isoformat()


@pytest.mark.parametrize("bounce_first", [False, True])
def test_a_refusal_whose_notice_bounced_keeps_the_extracts_as_if_it_named_no_deadline(client, ports, bounce_first):
    # The printed deadline counted from a receipt that did not happen: the term has not started, so the
    # extracts may be needed for an appeal after that date (and the bus may bring the bounce first).
    app_id = submitted_with_documents(client)
    deliver(decision(app_id, "refused"))
    deadline = local_date(clock.now()) + timedelta(days=10)
    if bounce_first:
        deliver(bounced(app_id))
    deliver(refusal_notice(app_id, deadline))
    if not bounce_first:
        assert [p[1] for p in pending(ports).values()] == [(deadline + timedelta(days=1)).isoformat()]
        deliver(bounced(app_id))
    assert [p[1] for p in pending(ports).values()] == [at_most_the_policys_maximum()]


def test_a_bounce_of_another_notice_leaves_the_delivered_notice_s_window(client, ports):
    app_id = submitted_with_documents(client)
    deliver(decision(app_id, "refused"))
    deadline = local_date(clock.now()) + timedelta(days=10)
    deliver(refusal_notice(app_id, deadline))
    deliver(bounced(app_id, notice_id="n-other"))
    assert [p[1] for p in pending(ports).values()] == [(deadline + timedelta(days=1)).isoformat()]
