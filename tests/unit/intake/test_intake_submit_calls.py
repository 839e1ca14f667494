"""Issue 13 point 8: a submission reads no key holder when nothing holds the key; the conditional
hold is the check. A conflict still answers 409 before the file's own errors (422), with the id of
the application that holds the key."""

import dataclasses

import pytest

from intake.adapters.memory import InMemoryApplicationStore, InMemoryProjections


class CountingProjections(InMemoryProjections):
    def __init__(self) -> None:
        super().__init__()
        self.holder_reads = 0

    def open_application(self, key):  # noqa: ANN001, ANN201
        self.holder_reads += 1
        return super().open_application(key)


@pytest.fixture
def ports(ports):  # the intake ports, with a projections fake that counts the holder's reads
    projections = CountingProjections()
    return dataclasses.replace(ports, applications=InMemoryApplicationStore(projections, ports.retention),
                               projections=projections)


def test_a_submission_that_nothing_blocks_reads_no_key_holder(client, ports):
    first = client.ready()
    assert client.call("POST", f"/applications/{first['id']}/submit")[0] == 202
    assert ports.projections.holder_reads == 0


def test_a_submission_blocked_by_an_open_one_names_it_before_the_files_own_errors(client, ports):
    first = client.ready()
    assert client.call("POST", f"/applications/{first['id']}/submit")[0] == 202
    incomplete = client.create()  # no documents: it breaks the rules too
    status, body = client.call("POST", f"/applications/{incomplete['id']}/submit")
    assert status == 409 and first["id"] in body["detail"]
    ready = client.ready()
    status, body = client.call("POST", f"/applications/{ready['id']}/submit")
    assert status == 409 and first["id"] in body["detail"]
