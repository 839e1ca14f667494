"""One contract for intake's application store: the same tests run against the in-memory fake
(adapters/memory.py) and the DynamoDB adapter on moto with the table as the template declares it,
so a fake cannot promise what the adapter does not do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from moto import mock_aws
from testkit import tables

from intake.adapters.applications import DynamoApplicationStore
from intake.adapters.memory import InMemoryApplicationStore, InMemoryProjections, InMemoryRetentionStore
from intake.adapters.projections import DynamoProjections
from intake.adapters.retention import DynamoRetentionStore
from intake.domain.application import Application
from intake.usecases.ports import ApplicationStore, Decided, KeyHeld, StaleWrite
from kernel import aws, clock
from kernel.events import Actor
from kernel.processed import AlreadyProcessed, DynamoProcessedEvents, InMemoryProcessedEvents, handling

ENTERPRISE, OTHER = "0403170701", "0123456749"


@pytest.fixture(params=["fake", "dynamodb"])
def stores(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ApplicationStore, Any]]:
    """The application store and the projections whose key holds its saves take."""
    if request.param == "fake":
        projections = InMemoryProjections()
        yield InMemoryApplicationStore(projections), projections
        return
    tables.offline_credentials(monkeypatch)
    with mock_aws():
        aws.reset()
        name = tables.table("IntakeTable", "intake-contract")
        yield DynamoApplicationStore(name), DynamoProjections(name)
        aws.reset()


@pytest.fixture(params=["fake", "dynamodb"])
def decision_stores(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, ...]]:
    """The application store, the projections and retention store its decided saves write, and the
    consumer's markers (all in the one table for the adapters)."""
    if request.param == "fake":
        projections, retention = InMemoryProjections(), InMemoryRetentionStore()
        yield InMemoryApplicationStore(projections, retention), projections, retention, InMemoryProcessedEvents()
        return
    tables.offline_credentials(monkeypatch)
    with mock_aws():
        aws.reset()
        name = tables.table("IntakeTable", "intake-contract")
        yield (DynamoApplicationStore(name), DynamoProjections(name), DynamoRetentionStore(name),
               DynamoProcessedEvents(name))
        aws.reset()


@pytest.fixture
def store(stores: tuple[ApplicationStore, Any]) -> ApplicationStore:
    return stores[0]


def draft(app_id: str = "app-1", enterprise: str = ENTERPRISE) -> Application:
    return Application.start(app_id, {"enterprise_number": enterprise, "establishment_number": "2123456791",
                                      "training_code": "elektrische-installaties-duaal", "kind": "new"},
                             Actor(sub="u", role="employer"), clock.now())


def test_a_save_that_holds_the_key_takes_it_with_the_change_or_writes_neither(stores):
    """Issue 13 point 8: a submission's save and its key's hold are one write."""
    store, projections = stores
    store.add(draft("app-1"))
    store.add(draft("app-2"))
    first, _ = store.get("app-1")
    key = first.key()
    store.save(first, ['{"submitted": 1}'], hold_key=key)
    assert projections.open_application(key) == "app-1" and store.get("app-1")[0].version == 2
    again, _ = store.get("app-1")
    store.save(again, [], hold_key=key)  # its own hold: taken again
    second, _ = store.get("app-2")
    with pytest.raises(KeyHeld):
        store.save(second, ['{"lost": 1}'], hold_key=key)
    assert second.version == 1 and store.get("app-2")[1] == [] and projections.open_application(key) == "app-1"
    stale, _ = store.get("app-2")
    stale.version = 7
    projections.release_key(key, "app-1")
    with pytest.raises(StaleWrite):
        store.save(stale, [], hold_key=key)
    assert projections.open_application(key) is None  # the stale save took nothing


def test_an_unknown_application_is_none(store):
    assert store.get("nope") is None


def test_an_added_application_reads_back_at_version_one_with_an_empty_outbox(store):
    app = draft()
    store.add(app)
    loaded, outbox = store.get("app-1")
    assert loaded == app and loaded.version == 1 and outbox == []


def test_adding_a_taken_id_is_a_stale_write(store):
    store.add(draft())
    with pytest.raises(StaleWrite):
        store.add(draft())


def test_a_save_bumps_the_version_and_keeps_its_outbox(store):
    store.add(draft())
    app, _ = store.get("app-1")
    app.company = None
    store.save(app, ['{"event": 1}'])
    assert app.version == 2
    loaded, outbox = store.get("app-1")
    assert loaded.version == 2 and outbox == ['{"event": 1}']


def test_a_save_from_a_stale_read_is_refused_and_leaves_the_version_alone(store):
    store.add(draft())
    first, _ = store.get("app-1")
    second, _ = store.get("app-1")
    store.save(first, [])
    with pytest.raises(StaleWrite):
        store.save(second, ['{"lost": 1}'])
    assert second.version == 1
    assert store.get("app-1")[0].version == 2 and store.get("app-1")[1] == []


def test_saving_an_application_that_was_never_added_is_a_stale_write(store):
    with pytest.raises(StaleWrite):
        store.save(draft("ghost"), [])
    assert store.get("ghost") is None


def test_the_outbox_is_cleared_only_at_the_version_that_wrote_it(store):
    store.add(draft())
    app, _ = store.get("app-1")
    store.save(app, ['{"event": 1}'])
    store.clear_outbox("app-1", app.version - 1)  # an older writer's clear: a later save owns the outbox
    assert store.get("app-1")[1] == ['{"event": 1}']
    store.clear_outbox("app-1", app.version)
    assert store.get("app-1")[1] == []


def test_clearing_the_outbox_of_an_unknown_application_changes_nothing(store):
    store.clear_outbox("nope", 1)
    assert store.get("nope") is None


def test_a_company_lists_only_its_own_applications_oldest_first(store, kernel_clock):
    kernel_clock.at(clock.now())
    store.add(draft("b"))
    kernel_clock.advance(seconds=5)
    store.add(draft("a"))
    store.add(draft("other", enterprise=OTHER))
    assert [a.id for a in store.for_enterprise(ENTERPRISE)] == ["b", "a"]
    assert [a.id for a in store.for_enterprise(OTHER)] == ["other"]
    assert store.for_enterprise("0999999999") == []


def _decided(key, decision_id: str = "d-1") -> Decided:
    return Decided(key=key, decision_id=decision_id, recognition_id="r-1", partnership_id="vpdl",
                   valid_from=date(2027, 1, 1), valid_until=date(2031, 12, 31),
                   facts={"application_id": "app-1", "outcome": "approved", "decided_on": date(2027, 1, 1)})


def test_a_decided_save_frees_the_key_records_the_recognition_and_the_facts_with_the_marker(decision_stores):
    """Issue 13 point 8: DecisionRecorded's writes and its marker are one write, or none of them."""
    store, projections, retention, processed = decision_stores
    store.add(draft("app-1"))
    app, _ = store.get("app-1")
    key = app.key()
    store.save(app, [], hold_key=key)
    stale, _ = store.get("app-1")
    stale.version = 1
    with handling("e-1", "DecisionRecorded", processed), pytest.raises(StaleWrite):
        store.save(stale, [], mark_event=True, decided=_decided(key))
    assert projections.open_application(key) == "app-1" and projections.recognition("r-1") is None
    assert retention.facts("d-1").outcome is None and not processed.is_processed("e-1")  # nothing of it
    current, _ = store.get("app-1")
    with handling("e-1", "DecisionRecorded", processed) as marker:
        store.save(current, [], mark_event=True, decided=_decided(key))
        assert marker.written
    assert current.version == 3 and store.get("app-1")[0].version == 3
    assert projections.open_application(key) is None
    (entry,) = projections.recognitions_for(key)
    assert (entry.recognition_id, entry.partnership_id, entry.valid_until) == ("r-1", "vpdl", date(2031, 12, 31))
    assert retention.facts("d-1").outcome == "approved" and processed.is_processed("e-1")
    again, _ = store.get("app-1")
    with handling("e-1", "DecisionRecorded", processed), pytest.raises(AlreadyProcessed):
        store.save(again, [], mark_event=True, decided=_decided(key))  # a copy meets the marker
    assert store.get("app-1")[0].version == 3 and again.version == 3


def test_a_decided_save_leaves_a_key_another_application_holds_and_writes_the_rest(decision_stores):
    store, projections, retention, _ = decision_stores
    store.add(draft("app-1"))
    store.add(draft("app-2"))
    app, _ = store.get("app-1")
    key = app.key()
    other, _ = store.get("app-2")
    store.save(other, [], hold_key=key)
    store.save(app, [], decided=_decided(key))
    assert projections.open_application(key) == "app-2"  # not app-1's to free
    assert projections.recognition("r-1") is not None and retention.facts("d-1").outcome == "approved"
    assert store.get("app-1")[0].version == 2
