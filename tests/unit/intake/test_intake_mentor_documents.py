"""A mentor's documents belong to that mentor, by identity (a mentor id intake gives, matched by
national register number), never by position in the mentors list (issue: Alice's extract counted
for Bob after a PATCH replaced the mentors)."""

from __future__ import annotations

from datetime import UTC, date

from intake_support import full_body, mentor, nrn

from intake.domain.application import Application
from kernel import clock

ALICE = mentor(first_name="Alice", last_name="Peeters", national_register_number=nrn(date(1980, 3, 15), 101))
BOB = mentor(first_name="Bob", last_name="Janssens", national_register_number=nrn(date(1979, 7, 1), 202))


def _codes(body) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in (body or {}).get("errors", [])}


def _submit(client, app_id):
    return client.call("POST", f"/applications/{app_id}/submit")


def _patch(client, app_id, body):
    status, view = client.call("PATCH", f"/applications/{app_id}", body)
    assert status == 200, view
    return view


def test_an_extract_is_given_to_the_mentor_by_identity_at_upload(client):
    created = client.create(full_body(mentors=[ALICE, BOB]))
    alice_id, bob_id = (m["mentor_id"] for m in created["mentors"])
    assert alice_id and bob_id and alice_id != bob_id
    slot = client.upload(created["id"], mentor_index=1)
    assert slot["mentor_id"] == bob_id
    view = client.call("GET", f"/applications/{created['id']}")[1]
    assert view["documents"][0]["mentor_id"] == bob_id and view["documents"][0]["mentor_index"] == 1


def test_alices_extract_does_not_count_for_bob_after_a_patch_replaces_the_mentors(client):
    created = client.create(full_body(mentors=[ALICE]))
    client.upload(created["id"], mentor_index=0)
    view = _patch(client, created["id"], {"mentors": [BOB]})
    status, body = _submit(client, created["id"])
    assert status == 422
    assert {
        ("mentors[0].criminal_record_extract", "missing_document"),
        ("documents[0].mentor_id", "no_such_mentor"),
    } <= _codes(body)
    assert view["mentors"][0]["mentor_id"] != created["mentors"][0]["mentor_id"]
    assert view["documents"][0]["mentor_index"] is None  # Alice is gone


def test_documents_follow_their_mentor_when_the_list_is_reordered(client):
    created = client.create(full_body(mentors=[ALICE, BOB]))
    client.upload(created["id"], mentor_index=0)  # Alice's
    client.upload(created["id"], mentor_index=1)  # Bob's
    view = _patch(client, created["id"], {"mentors": [BOB, ALICE]})
    assert [m["first_name"] for m in view["mentors"]] == ["Bob", "Alice"]
    assert [m["mentor_id"] for m in view["mentors"]] == [
        created["mentors"][1]["mentor_id"],
        created["mentors"][0]["mentor_id"],
    ]
    assert [d["mentor_index"] for d in view["documents"]] == [1, 0]
    assert _submit(client, created["id"])[0] == 202


def test_a_mentor_keeps_its_documents_when_its_number_is_filled_in_later(client):
    unnumbered = {k: v for k, v in ALICE.items() if k != "national_register_number"}
    created = client.create(full_body(mentors=[unnumbered]))
    client.upload(created["id"], mentor_index=0)
    view = _patch(client, created["id"], {"mentors": [ALICE]})
    assert view["mentors"][0]["mentor_id"] == created["mentors"][0]["mentor_id"]
    assert _submit(client, created["id"])[0] == 202


def test_another_person_under_the_echoed_mentor_id_is_a_new_mentor(client):
    created = client.create(full_body(mentors=[ALICE]))
    client.upload(created["id"], mentor_index=0)
    view = _patch(client, created["id"], {"mentors": [{**BOB, "mentor_id": created["mentors"][0]["mentor_id"]}]})
    assert view["mentors"][0]["mentor_id"] != created["mentors"][0]["mentor_id"]  # the number says: not Alice
    assert ("mentors[0].criminal_record_extract", "missing_document") in _codes(_submit(client, created["id"])[1])


def test_a_round_trip_of_the_view_keeps_every_mentor(client):
    created = client.create(full_body(mentors=[ALICE, BOB]))
    client.upload(created["id"], mentor_index=0)
    client.upload(created["id"], mentor_index=1)
    mentors = [{k: v for k, v in m.items()} for m in created["mentors"]]
    for m, original in zip(mentors, (ALICE, BOB), strict=True):
        m["national_register_number"] = original["national_register_number"]  # the view masks it
    mentors[0]["experience_years"] = 12
    view = _patch(client, created["id"], {"mentors": mentors})
    assert [m["mentor_id"] for m in view["mentors"]] == [m["mentor_id"] for m in created["mentors"]]
    assert _submit(client, created["id"])[0] == 202


def test_a_derogation_proof_names_its_mentor_and_counts_for_that_mentor_only(client):
    young = mentor(first_name="Jong", national_register_number=nrn(date(clock.today().year - 24, 1, 1), 303))
    created = client.create(full_body(mentors=[young, BOB]))
    path = f"/applications/{created['id']}/documents"
    status, body = client.call("POST", path, {"type": "derogation_proof", "filename": "diploma.pdf",
                                              "content_type": "application/pdf", "size_bytes": 100})
    assert status == 422 and ("mentor_index", "required") in _codes(body)
    client.upload(created["id"], mentor_index=0)
    client.upload(created["id"], mentor_index=1)
    client.upload(created["id"], doc_type="derogation_proof", mentor_index=1)  # Bob's, not the young mentor's
    assert ("mentors[0].derogation_proof", "required") in _codes(_submit(client, created["id"])[1])
    client.upload(created["id"], doc_type="derogation_proof", mentor_index=0)
    assert _submit(client, created["id"])[0] == 202


def test_the_bus_and_the_history_name_the_mentor_of_each_document(client, ports):
    created = client.create(full_body(mentors=[ALICE, BOB]))
    client.upload(created["id"], mentor_index=1)
    client.upload(created["id"], mentor_index=0)
    history = client.call("GET", f"/applications/{created['id']}/history")[1]
    registered = [h["details"] for h in history if h["what"] == "document_registered"]
    assert [d["mentor_id"] for d in registered] == [
        created["mentors"][1]["mentor_id"],
        created["mentors"][0]["mentor_id"],
    ]
    assert _submit(client, created["id"])[0] == 202
    snapshot = ports.publisher.published[-1].data["application"]
    ids = [m["mentor_id"] for m in snapshot["mentors"]]
    assert ids == [m["mentor_id"] for m in created["mentors"]]
    assert [(d["mentor_id"], d["mentor_index"]) for d in snapshot["documents"]] == [(ids[1], 1), (ids[0], 0)]


def test_a_draft_stored_before_mentor_ids_keeps_each_document_with_the_mentor_it_was_uploaded_for(client, ports):
    created = client.create(full_body(mentors=[ALICE, BOB]))
    client.upload(created["id"], mentor_index=1)
    body, version, outbox = ports.applications.items[created["id"]]
    import json

    legacy = json.loads(body)
    for m in legacy["mentors"]:
        m.pop("mentor_id")
    legacy.pop("mentor_serial")
    for d in legacy["documents"]:
        d.pop("mentor_id")
        d["mentor_index"] = 1
    app = Application.model_validate(legacy)
    assert app.documents[0].mentor_id == app.mentors[1].mentor_id != app.mentors[0].mentor_id


def test_a_derogation_proof_stored_without_a_mentor_counts_for_no_mentor():
    from datetime import datetime

    from intake.domain.application import DocumentRecord
    from intake.domain.documents import StoredObject
    from intake.domain.requests import CreateApplication
    from intake.domain.submission import SubmissionContext, submission_errors
    from kernel.events import Actor
    from reference.policy import policy

    now = datetime(2026, 6, 1, 10, tzinfo=UTC)
    young = mentor(national_register_number=nrn(date(2002, 6, 1)), extract_issued_on="2026-05-01")  # 24
    app = Application.start("app-1", CreateApplication.model_validate(full_body(mentors=[young])).model_dump(),
                            Actor(sub="u", role="employer"), now)
    for i, (doc_type, mentor_id) in enumerate(
        [("criminal_record_extract", app.mentors[0].mentor_id), ("derogation_proof", None)]
    ):
        app.documents.append(
            DocumentRecord(
                id=f"d{i}",
                type=doc_type,
                filename="f.pdf",
                content_type="application/pdf",
                size_bytes=100,
                mentor_id=mentor_id,
                bucket="b",
                key=f"k{i}",
                registered_at=now,
            )
        )
    stored = StoredObject(size_bytes=100, first_bytes=b"%PDF-1.7", sha256="0" * 64)
    ctx = SubmissionContext(today=date(2026, 6, 1), policy=policy().for_partnership(None).values,
                            stored={d.id: stored for d in app.documents})
    assert ("mentors[0].derogation_proof", "required") in {(e.field, e.code) for e in submission_errors(app, ctx)}


def test_a_draft_stored_before_mentor_ids_whose_mentors_changed_after_the_upload_gives_the_document_to_no_one(
    client, ports
):
    import json

    created = client.create(full_body(mentors=[ALICE]))
    client.upload(created["id"], mentor_index=0)
    _patch(client, created["id"], {"mentors": [BOB]})
    legacy = json.loads(ports.applications.items[created["id"]][0])
    for m in legacy["mentors"]:
        m.pop("mentor_id")
    legacy.pop("mentor_serial")
    for d in legacy["documents"]:
        d.pop("mentor_id")
        d["mentor_index"] = 0  # what the old code stored: Alice's place, which Bob took
    app = Application.model_validate(legacy)
    assert app.mentor_index(app.documents[0].mentor_id) is None
