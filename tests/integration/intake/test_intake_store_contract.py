"""One contract for intake's application store: the same tests run against the in-memory fake
(adapters/memory.py) and the DynamoDB adapter on moto with the table as the template declares it,
so a fake cannot promise what the adapter does not do."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws
from testkit import tables

from intake.adapters.applications import DynamoApplicationStore
from intake.adapters.memory import InMemoryApplicationStore, InMemoryProjections
from intake.adapters.projections import DynamoProjections
from intake.domain.application import Application
from intake.usecases.ports import ApplicationStore, KeyHeld, StaleWrite
from kernel import aws, clock
from kernel.events import Actor

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
