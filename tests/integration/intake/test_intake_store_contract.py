"""One contract for intake's application store: the same tests run against the in-memory fake
(adapters/memory.py) and the DynamoDB adapter on moto with the table as the template declares it,
so a fake cannot promise what the adapter does not do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws
from testkit import tables

from intake.adapters.applications import DynamoApplicationStore
from intake.adapters.memory import InMemoryApplicationStore
from intake.domain.application import Application
from intake.usecases.ports import ApplicationStore, StaleWrite
from kernel import aws, clock
from kernel.events import Actor

ENTERPRISE, OTHER = "0403170701", "0123456749"


@pytest.fixture(params=["fake", "dynamodb"])
def store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[ApplicationStore]:
    if request.param == "fake":
        yield InMemoryApplicationStore()
        return
    tables.offline_credentials(monkeypatch)
    with mock_aws():
        aws.reset()
        yield DynamoApplicationStore(tables.table("IntakeTable", "intake-contract"))
        aws.reset()


def draft(app_id: str = "app-1", enterprise: str = ENTERPRISE) -> Application:
    return Application.start(app_id, {"enterprise_number": enterprise, "establishment_number": "2123456791",
                                      "training_code": "elektrische-installaties-duaal", "kind": "new"},
                             Actor(sub="u", role="employer"), clock.now())


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
