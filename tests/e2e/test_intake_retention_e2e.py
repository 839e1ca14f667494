"""Criminal-record extracts on the local runtime: approved, the appeal window closes with the
decision day, and the next day the retention job has deleted every stored version of the
extract; the employer sees it purged."""

from __future__ import annotations

import pytest
import requests
from testkit.identifiers import enterprise_number, establishment_number

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n% extract model 596.2\n%%EOF\n"
TRAINING = "elektrische-installaties-duaal"  # joint committee 111 routes to mtech


MENTOR_NRN = "75061012330"  # born 10 June 1975; a literal, so the log scan looks for it


def _put(slot: dict, data: bytes) -> None:
    put = requests.request(
        slot["upload_method"], slot["upload_url"], data=data, headers=slot["upload_headers"], timeout=30
    )
    assert put.status_code in (200, 204), put.text


def submitted_with_two_uploads(api, runtime) -> tuple[str, str]:
    """An application whose extract has two versions in the bucket (the URL writes once, so the
    second is written around it, as an operator could); (id, enterprise)."""
    enterprise = enterprise_number()
    establishment = establishment_number()
    token = api.token("employer", enterprise_number=enterprise, sub=f"emp-{enterprise}")
    body = {
        "enterprise_number": enterprise,
        "establishment_number": establishment,
        "training_code": TRAINING,
        "kind": "new",
        "company": {
            "name": "Elektro Janssens",
            "joint_committee": "111",
            "address": {"street": "Kerkstraat 2", "postal_code": "9000", "city": "Gent"},
        },
        "contact": {"name": "Els Janssens", "email": "els@janssens.example"},
        "mentors": [
            {
                "first_name": "Piet",
                "last_name": "Janssens",
                "national_register_number": MENTOR_NRN,
                "experience_years": 12,
                "extract_issued_on": api.today().isoformat(),
            }
        ],
        "declarations": {
            "organisation_and_equipment": True,
            "financial_capacity": True,
            "no_disqualifying_convictions": True,
            "sworn_statement": True,
        },
    }
    created = api.post("/applications", token, body)
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    slot = api.post(f"/applications/{app_id}/documents", token, {
        "type": "criminal_record_extract", "filename": "extract.pdf", "content_type": "application/pdf",
        "size_bytes": len(PDF), "mentor_index": 0}).json()
    _put(slot, PDF.replace(b"596.2", b"draft"))
    bucket, key = slot["upload_url"].split("?")[0].split("/", 4)[3:5]
    runtime.client("s3").put_object(Bucket=bucket, Key=key, Body=PDF)
    submitted = api.post(f"/applications/{app_id}/submit", token)
    assert submitted.status_code == 202, submitted.text
    api.settle()
    return app_id, enterprise


def stored_versions(runtime, app_id: str) -> list[str]:
    """Every version and delete marker under the application's prefix, in whichever bucket holds it."""
    s3 = runtime.client("s3")
    found = []
    for bucket in s3.list_buckets()["Buckets"]:
        page = s3.list_object_versions(Bucket=bucket["Name"], Prefix=f"applications/{app_id}/")
        # The empty tombstone a deletion leaves (it seals the key against upload URLs) holds nothing.
        found += [v["VersionId"] for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
                  if v.get("Size", -1) != 0]
    return found


def test_an_approved_applications_extract_is_deleted_once_the_window_closed(api, runtime):
    app_id, enterprise = submitted_with_two_uploads(api, runtime)
    assert len(stored_versions(runtime, app_id)) == 2

    partnership = api.token("partnership", partnership_id="mtech", sub="reviewer-mtech")
    decided = api.post(f"/review/applications/{app_id}/decision", partnership, {"outcome": "approved", "reasons": []})
    assert decided.status_code == 201, decided.text
    api.settle()
    assert len(stored_versions(runtime, app_id)) == 2  # kept on the decision day itself

    api.advance(days=2)
    token = api.token("employer", enterprise_number=enterprise, sub=f"emp-{enterprise}")  # minted after the clock moved
    assert stored_versions(runtime, app_id) == []
    view = api.get(f"/applications/{app_id}", token)
    assert view.status_code == 200, view.text
    [extract] = view.json()["documents"]
    assert extract["purged"] is True and extract["purged_at"]
    history = api.get(f"/applications/{app_id}/history", token).json()
    assert [h["actor"] for h in history if h["what"] == "documents_purged"] == [{"role": "retention_job"}]
