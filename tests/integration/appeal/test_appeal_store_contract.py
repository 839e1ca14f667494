"""One contract for the appeal store: the same tests run against the in-memory fake
(adapters/memory.py) and the DynamoDB adapter on moto with the table as the template declares it,
so a fake cannot promise what the adapter does not do."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from moto import mock_aws
from testkit import tables
from testkit.clock import Clock

from appeal.adapters.dynamo import DynamoAppealStore
from appeal.adapters.memory import InMemoryAppealStore
from appeal.domain.appeals import Appeal, lodge
from appeal.domain.subjects import Notice
from appeal.usecases.ports import AppealStore, StaleWrite
from kernel import aws, clock
from kernel.errors import Conflict
from reference.policy import policy

COMPANY, OTHER = "0403170701", "0123456749"
DECIDED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["fake", "dynamodb"])
def store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppealStore]:
    if request.param == "fake":
        yield InMemoryAppealStore()
    else:
        tables.offline_credentials(monkeypatch)
        with mock_aws():
            aws.reset()
            yield DynamoAppealStore(tables.table("AppealTable", "appeal-contract"))
            aws.reset()
    Clock.reset()


def remember_refusal(store, decision_id="dec-1", enterprise=COMPANY) -> None:
    store.record_subject(
        decision_id,
        kind="decision",
        subject_type="refused",
        enterprise_number=enterprise,
        partnership_id="vpdl",
        decided_at=DECIDED,
    )


def test_subject_facts_and_notices_merge_in_any_order(store):
    store.record_notice("dec-1", Notice("n-1", DECIDED, date(2026, 3, 12)))
    assert store.get_subject("dec-1") is None
    remember_refusal(store)
    remember_refusal(store)  # a redelivery changes nothing
    store.record_notice("dec-1", Notice("n-2", DECIDED + timedelta(days=1), date(2026, 3, 13)))
    subject = store.get_subject("dec-1")
    assert (subject.kind, subject.subject_type, subject.enterprise_number) == ("decision", "refused", COMPANY)
    assert subject.decided_at == DECIDED
    assert subject.notice == Notice("n-1", DECIDED, date(2026, 3, 12))


def test_an_undelivered_notice_is_kept_with_its_subject_in_any_order(store):
    store.record_undelivered("dec-1", "n-1")  # before anything else of the subject
    assert store.get_subject("dec-1") is None
    remember_refusal(store)
    store.record_undelivered("dec-1", "n-9")
    store.record_undelivered("dec-1", "n-9")  # a redelivery changes nothing
    store.record_notice("dec-1", Notice("n-1", DECIDED, date(2026, 3, 12)))
    subject = store.get_subject("dec-1")
    assert subject.undelivered_notices == frozenset({"n-1", "n-9"})
    assert subject.notice == Notice("n-1", DECIDED, date(2026, 3, 12))


def test_an_appeal_round_trips_and_holds_its_subject(store):
    remember_refusal(store)
    Clock().at(DECIDED + timedelta(days=1))

    def new(appeal_id, grounds="motivated"):
        return lodged(store, appeal_id, grounds=grounds)

    first = new("a-1")
    store.add(first)
    assert store.get("a-1") == first
    with pytest.raises(Conflict):
        store.add(new("a-2"))
    with pytest.raises(Conflict):
        store.add(new("a-3", grounds=""))  # inadmissible at once, still refused while a-1 is open
    assert store.flag_acknowledgement_overdue("a-1") is True
    assert store.get("a-1").acknowledgement_overdue

    closed = replace(first, status="inadmissible")
    with pytest.raises(StaleWrite):
        store.save(closed, expected_status="admissible")
    store.save(closed, expected_status="lodged")
    assert store.flag_acknowledgement_overdue("a-1") is False
    store.add(new("a-4"))  # the subject was freed
    assert [a.appeal_id for a in store.list()] == ["a-1", "a-4"]
    assert [a.appeal_id for a in store.list("lodged")] == ["a-4"]
    # every appeal added is pending until announced (the outbox of AppealLodged)
    assert [a.appeal_id for a in store.pending("dec-1")] == ["a-1", "a-4"]
    store.announced(store.get("a-1"))
    assert [a.appeal_id for a in store.pending("dec-1")] == ["a-4"]
    assert store.get_subject("dec-1").subject_type == "refused"  # the markers sit beside the facts


def lodged(store, appeal_id: str, *, subject_id: str = "dec-1", grounds: str = "motivated", company: str = COMPANY
           ) -> Appeal:
    return lodge(
        appeal_id=appeal_id,
        subject=store.get_subject(subject_id),
        enterprise_number=company,
        lodged_by="emp",
        grounds=grounds,
        now=clock.now().replace(microsecond=0),
        policy=policy().for_partnership("vpdl"),
    )


def test_an_unknown_appeal_or_subject_is_none(store):
    assert store.get("nope") is None and store.get_subject("nope") is None
    assert store.pending("nope") == [] and store.list() == [] and store.for_enterprise(COMPANY) == []


def test_saving_an_appeal_never_added_is_a_stale_write(store):
    remember_refusal(store)
    Clock().at(DECIDED + timedelta(days=1))
    with pytest.raises(StaleWrite):
        store.save(lodged(store, "ghost"), expected_status="lodged")
    assert store.get("ghost") is None


def test_flagging_an_unknown_appeal_is_false(store):
    assert store.flag_acknowledgement_overdue("nope") is False


def test_a_company_lists_only_its_own_appeals_oldest_first(store):
    for decision_id, enterprise in (("dec-1", COMPANY), ("dec-2", OTHER), ("dec-3", COMPANY)):
        remember_refusal(store, decision_id, enterprise)
    Clock().at(DECIDED + timedelta(days=1))
    store.add(lodged(store, "a-late", subject_id="dec-3"))
    Clock().at(DECIDED + timedelta(hours=2))
    store.add(lodged(store, "a-early", subject_id="dec-1"))
    store.add(lodged(store, "a-other", subject_id="dec-2", company=OTHER))
    assert [a.appeal_id for a in store.for_enterprise(COMPANY)] == ["a-early", "a-late"]
    assert [a.appeal_id for a in store.for_enterprise(OTHER)] == ["a-other"]
    decided = replace(store.get("a-early"), status="inadmissible")
    store.save(decided, expected_status="lodged")
    assert [a.status for a in store.for_enterprise(COMPANY)] == ["inadmissible", "lodged"]


def test_a_reference_names_one_subject_for_good(store):
    assert store.subject_for_reference("DL-2027-0123456789") is None
    store.record_reference("DL-2027-0123456789", "dec-1")
    store.record_reference("DL-2027-0123456789", "dec-2")  # a replay of another subject changes nothing
    assert store.subject_for_reference("DL-2027-0123456789") == "dec-1"
