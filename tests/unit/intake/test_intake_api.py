"""The intake routes in process, with in-memory fakes behind the ports."""

from datetime import timedelta

from intake_support import ENTERPRISE, ESTABLISHMENT, OTHER_ENTERPRISE, PDF, TRAINING, full_body, mentor, nrn, years_ago

from kernel import clock


def test_a_draft_needs_only_the_key_fields_and_stores_identifiers_normalised(client):
    status, body = client.call("POST", "/applications", {
        "enterprise_number": "0403.170.701", "establishment_number": "2123.456.791",
        "training_code": TRAINING, "kind": "new"})
    assert status == 201
    assert body["status"] == "draft"
    assert body["enterprise_number"] == ENTERPRISE and body["establishment_number"] == ESTABLISHMENT
    assert body["filed_by"] == {"sub": "user-1", "role": "employer"}
    assert body["on_behalf_of"] == ENTERPRISE


def test_every_failing_field_is_listed_and_nothing_is_stored(client, ports):
    status, body = client.call("POST", "/applications", {
        "enterprise_number": "0403170702", "establishment_number": "1123456791", "training_code": "no-such",
        "kind": "new", "colour": "red",
        "company": {"joint_committee": "30", "address": {"postal_code": "ABC"}},
        "contact": {"email": "not-an-email"},
        "mentors": [mentor(national_register_number="80031512362")] * 21,
    })
    assert status == 422
    fields = {(e["field"], e["code"]) for e in body["errors"]}
    assert {
        ("enterprise_number", "invalid_enterprise_number"),
        ("establishment_number", "invalid_establishment_number"),
        ("training_code", "unknown_training"),
        ("colour", "unknown_field"),
        ("company.joint_committee", "invalid_joint_committee"),
        ("company.address.postal_code", "invalid_format"),
        ("contact.email", "invalid_email"),
        ("mentors", "too_many"),
    } <= fields
    assert ports.applications.items == {}


def test_a_national_register_number_is_never_echoed_in_an_error(client):
    _, body = client.call("POST", "/applications", full_body(mentors=[mentor(national_register_number="80031512362")]))
    assert "80031512362" not in str(body)
    assert {"field": "mentors[0].national_register_number", "code": "invalid_national_register_number"}.items() <= body[
        "errors"
    ][0].items()


def test_a_renewal_draft_names_the_recognition_it_renews(client):
    status, body = client.call("POST", "/applications", full_body(kind="renewal"))
    assert status == 422 and body["errors"][0]["field"] == "renews_recognition_id"


def test_an_employer_cannot_file_for_another_enterprise(client):
    status, _ = client.call("POST", "/applications", full_body(), enterprise=OTHER_ENTERPRISE)
    assert status == 403


def test_partnerships_and_appeals_may_not_use_the_intake_routes(client):
    for role in ("partnership", "appeals"):
        assert client.call("POST", "/applications", {"bad": 1}, role=role)[0] == 403
        assert client.call("GET", "/applications", role=role)[0] == 403


def test_another_enterprises_application_is_not_found(client):
    created = client.create()
    assert client.call("GET", f"/applications/{created['id']}", enterprise=OTHER_ENTERPRISE)[0] == 404
    assert client.call("GET", f"/applications/{created['id']}/history", enterprise=OTHER_ENTERPRISE)[0] == 404
    assert client.call("GET", "/applications", enterprise=OTHER_ENTERPRISE)[1] == []


def test_an_intermediary_acts_only_for_its_mandates(client):
    assert client.call("POST", "/applications", full_body(), role="intermediary", mandates=[OTHER_ENTERPRISE])[0] == 403
    created = client.create(role="intermediary", mandates=["0403.170.701"])
    assert created["filed_by"]["role"] == "intermediary"
    status, listed = client.call("GET", "/applications", role="intermediary", mandates=[ENTERPRISE])
    assert status == 200 and [a["id"] for a in listed] == [created["id"]]
    assert (
        client.call("GET", f"/applications/{created['id']}", role="intermediary", mandates=[OTHER_ENTERPRISE])[0] == 404
    )


def test_national_register_numbers_are_masked_in_responses(client):
    created = client.create()
    assert created["mentors"][0]["national_register_number"] == "800315*****"
    _, fetched = client.call("GET", f"/applications/{created['id']}")
    assert fetched["mentors"][0]["national_register_number"] == "800315*****"


def test_a_patch_merges_objects_replaces_lists_and_is_refused_after_submission(client, ports):
    created = client.create({"enterprise_number": ENTERPRISE, "establishment_number": ESTABLISHMENT,
                             "training_code": TRAINING, "kind": "new", "company": {"name": "Old"}})
    status, patched = client.call("PATCH", f"/applications/{created['id']}", {
        "company": {"joint_committee": "140.03"}, "mentors": [mentor(first_name="Bo")]})
    assert status == 200
    assert patched["company"]["name"] == "Old" and patched["company"]["joint_committee"] == "140.03"
    assert [m["first_name"] for m in patched["mentors"]] == ["Bo"]
    assert client.call("PATCH", f"/applications/{created['id']}", {"kind": None})[0] == 422
    assert client.call("PATCH", f"/applications/{created['id']}", {"enterprise_number": OTHER_ENTERPRISE})[0] == 422

    ready = client.ready()
    assert client.call("POST", f"/applications/{ready['id']}/submit")[0] == 202
    assert client.call("PATCH", f"/applications/{ready['id']}", {"company": {"name": "X"}})[0] == 409


def test_a_document_slot_gets_a_presigned_put_under_the_application(client):
    created = client.create()
    slot = client.upload(created["id"])
    # The URL is bound to the declared type and size and writes the key once (S3 checks all three).
    assert slot["upload_method"] == "PUT" and slot["upload_headers"] == {
        "Content-Type": "application/pdf", "Content-Length": str(len(PDF)), "If-None-Match": "*"}
    assert f"applications/{created['id']}/" in slot["upload_url"]
    assert slot["expires_at"] > clock.iso(clock.now() + timedelta(minutes=14))


def test_documents_are_limited_in_size_type_and_mentor(client):
    app_id = client.create()["id"]
    path = f"/applications/{app_id}/documents"
    base = {"type": "other", "filename": "a.pdf", "content_type": "application/pdf", "size_bytes": 10}
    assert client.call("POST", path, {**base, "size_bytes": 10 * 1024 * 1024 + 1})[0] == 413
    assert client.call("POST", path, {**base, "content_type": "application/zip"})[0] == 422
    assert client.call("POST", path, {**base, "filename": "../etc/passwd"})[0] == 422
    assert client.call("POST", path, {**base, "type": "criminal_record_extract"})[0] == 422
    assert client.call("POST", path, {**base, "type": "criminal_record_extract", "mentor_index": 3})[0] == 422
    assert client.call("POST", path, {**base, "type": "criminal_record_extract", "mentor_index": 0})[0] == 201


def test_a_complete_draft_is_submitted_with_a_decision_due_date_and_the_full_file_on_the_bus(client, ports):
    created = client.ready()
    status, body = client.call("POST", f"/applications/{created['id']}/submit")
    assert status == 202, body
    assert body["status"] == "submitted" and body["submitted_at"] and body["decision_due"]
    assert body["policy_version"]
    [event] = ports.publisher.published
    assert event.event_name == "ApplicationSubmitted"
    snapshot = event.data["application"]
    assert snapshot["mentors"][0]["national_register_number"] == nrn(__import__("datetime").date(1980, 3, 15))
    document = snapshot["documents"][0]
    assert document["bucket"] == "documents" and document["key"].startswith(f"applications/{created['id']}/")
    assert len(document["sha256"]) == 64
    assert body["documents"][0]["verified"] is True and "key" not in body["documents"][0]
    assert ports.applications.items[created["id"]][2] == []  # outbox cleared


def test_submission_lists_every_failing_item(client):
    created = client.create(full_body(mentors=[
        mentor(national_register_number=nrn(years_ago(24)), experience_years=2,
               extract_issued_on=(clock.today() - timedelta(days=400)).isoformat()),
        mentor(national_register_number=nrn(years_ago(22))),
    ], declarations={"sworn_statement": False}, contact=None))
    client.upload(created["id"], b"not a pdf at all", mentor_index=0)
    status, body = client.call("POST", f"/applications/{created['id']}/submit")
    assert status == 422
    fields = {(e["field"], e["code"]) for e in body["errors"]}
    assert fields >= {
        ("contact.name", "required"), ("contact.email", "required"),
        ("declarations.organisation_and_equipment", "required"),
        ("declarations.sworn_statement", "must_be_true"),
        ("mentors[0].derogation_proof", "required"),
        ("mentors[0].extract_issued_on", "extract_too_old"),
        ("mentors[1].national_register_number", "mentor_too_young"),
        ("mentors[1].criminal_record_extract", "missing_document"),
        ("documents[0]", "content_mismatch"),
    }


def test_an_intermediary_needs_a_mandate_document(client):
    kw = {"role": "intermediary", "mandates": [ENTERPRISE]}
    created = client.ready(**kw)
    status, body = client.call("POST", f"/applications/{created['id']}/submit", **kw)
    assert (
        status == 422
        and {"field": "documents.mandate", "code": "missing_document"}.items() <= body["errors"][0].items()
    )
    client.upload(created["id"], doc_type="mandate", mentor_index=None, **kw)
    assert client.call("POST", f"/applications/{created['id']}/submit", **kw)[0] == 202


def test_a_second_open_application_for_the_same_key_is_a_conflict(client):
    first, second = client.ready(), client.ready()
    assert client.call("POST", f"/applications/{first['id']}/submit")[0] == 202
    assert client.call("POST", f"/applications/{first['id']}/submit")[0] == 409
    assert client.call("POST", f"/applications/{second['id']}/submit")[0] == 409
    assert client.call("POST", f"/applications/{first['id']}/withdraw")[0] == 200
    assert client.call("POST", f"/applications/{second['id']}/submit")[0] == 202


def test_withdrawal_is_published_once_submitted_and_refused_after_a_decision(client, ports):
    draft = client.create()
    assert client.call("POST", f"/applications/{draft['id']}/withdraw")[1]["status"] == "withdrawn"
    assert ports.publisher.names() == []
    assert client.call("POST", f"/applications/{draft['id']}/withdraw")[0] == 409
    submitted = client.ready()
    client.call("POST", f"/applications/{submitted['id']}/submit")
    client.call("POST", f"/applications/{submitted['id']}/withdraw")
    assert ports.publisher.names() == ["ApplicationSubmitted", "ApplicationWithdrawn"]


def test_messages_are_refused_before_routing(client):
    created = client.ready()
    client.call("POST", f"/applications/{created['id']}/submit")
    answer = {"message": "hello", "question_id": "q1"}
    assert client.call("POST", f"/applications/{created['id']}/messages", answer)[0] == 409


def test_the_same_idempotency_key_creates_one_application(client, ports):
    headers = {"idempotency-key": "k-1"}
    first = client.call("POST", "/applications", full_body(), headers=headers)
    again = client.call("POST", "/applications", full_body(), headers=headers)
    assert first == again and len(ports.applications.items) == 1
    assert client.call("POST", "/applications", full_body(kind="new", mentors=[]), headers=headers)[0] == 422


def test_a_support_request_is_published_for_the_callers_enterprise_only(client, ports):
    body = {"enterprise_number": "0403 170 701", "topic": "exploratory", "message": "Can we talk?",
            "contact": {"name": "Jan", "email": "jan@peeters.example"}}
    status, created = client.call("POST", "/support-requests", body)
    assert status == 201 and created["id"]
    assert ports.publisher.published[0].event_name == "SupportRequested"
    assert client.call("POST", "/support-requests", body, enterprise=OTHER_ENTERPRISE)[0] == 403
    assert client.call("POST", "/support-requests", {**body, "topic": "chat"})[0] == 422


def test_history_is_a_timeline_oldest_first(client):
    created = client.ready()
    client.call("POST", f"/applications/{created['id']}/submit")
    status, history = client.call("GET", f"/applications/{created['id']}/history")
    assert status == 200
    assert [h["what"] for h in history] == ["created", "document_registered", "submitted"]
    assert history[0]["actor"] == {"sub": "user-1", "role": "employer"} and history[0]["at"]


def test_a_document_slot_can_be_removed_from_a_draft_only(client, ports):
    created = client.create()
    slot = client.upload(created["id"])
    path = f"/applications/{created['id']}/documents/{slot['id']}"
    assert client.call("DELETE", path, enterprise=OTHER_ENTERPRISE)[0] == 404
    assert client.call("DELETE", path)[0] == 204
    assert client.call("DELETE", path)[0] == 404
    assert ports.documents.objects == {}
    assert client.call("GET", f"/applications/{created['id']}")[1]["documents"] == []
