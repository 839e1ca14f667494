"""Uploads and downloads as S3 on AWS treats them, on the local stack (which verifies presigned
URLs the way S3 does: infra/localrt/_strict.py).

An upload URL is its own authorisation for 15 minutes and cannot be revoked, so the bucket itself
must refuse what the application would not accept: another size or type, a second write, a write
after the document was removed. And whatever happens to a key after submission, the partnership
reads the version intake verified.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from test_review_lifecycle import PDF, Company

pytestmark = pytest.mark.e2e

OTHER_PDF = PDF.replace(b"596.2", b"999.9")  # same size, other bytes
assert len(OTHER_PDF) == len(PDF)


def _slot(api, company: Company, app_id: str, size: int = len(PDF)) -> dict:
    response = api.post(f"/applications/{app_id}/documents", company.token, {
        "type": "criminal_record_extract", "filename": "extract.pdf", "content_type": "application/pdf",
        "size_bytes": size, "mentor_index": 0})
    assert response.status_code == 201, response.text
    return response.json()


def _put(slot: dict, data: bytes, **header_overrides: str) -> requests.Response:
    headers = {**slot["upload_headers"], **header_overrides}
    return requests.request(slot["upload_method"], slot["upload_url"], data=data, headers=headers, timeout=30)


def _draft(api, company: Company) -> str:
    today = api.today()
    created = api.post("/applications", company.token, {
        "enterprise_number": company.enterprise, "establishment_number": company.establishment,
        "training_code": "elektrische-installaties-duaal", "kind": "new",
        "mentors": [{"first_name": "An", "last_name": "Peeters", "national_register_number": "80031512361",
                     "experience_years": 10, "extract_issued_on": today.isoformat()}]})
    assert created.status_code == 201, created.text
    return created.json()["id"]


def test_the_upload_url_is_sigv4_and_signs_type_length_and_write_once(api):
    company = Company(api)
    slot = _slot(api, company, _draft(api, company))
    query = parse_qs(urlsplit(slot["upload_url"]).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and "Signature" not in query
    assert query["X-Amz-SignedHeaders"] == ["content-length;content-type;host;if-none-match"]
    assert slot["upload_headers"] == {"Content-Type": "application/pdf", "Content-Length": str(len(PDF)),
                                      "If-None-Match": "*"}


def test_the_bucket_refuses_another_size_another_type_or_no_condition(api):
    company = Company(api)
    slot = _slot(api, company, _draft(api, company))
    assert _put(slot, PDF + b"more").status_code == 403  # Content-Length is signed
    assert _put(slot, PDF, **{"Content-Type": "image/png"}).status_code == 403
    no_condition = {k: v for k, v in slot["upload_headers"].items() if k != "If-None-Match"}
    bare = requests.put(slot["upload_url"], data=PDF, headers=no_condition, timeout=30)
    assert bare.status_code == 403 and "SignatureDoesNotMatch" in bare.text
    assert _put(slot, PDF).status_code == 200


def test_an_upload_url_writes_once(api):
    company = Company(api)
    slot = _slot(api, company, _draft(api, company))
    assert _put(slot, PDF).status_code == 200
    second = _put(slot, OTHER_PDF)
    assert second.status_code == 412 and "PreconditionFailed" in second.text


def test_a_removed_documents_url_cannot_recreate_it(api, runtime):
    company = Company(api)
    app_id = _draft(api, company)
    for uploaded_first in (True, False):
        slot = _slot(api, company, app_id)
        if uploaded_first:
            assert _put(slot, PDF).status_code == 200
        removed = api.request("DELETE", f"/applications/{app_id}/documents/{slot['id']}", company.token)
        assert removed.status_code == 204, removed.text
        assert _put(slot, PDF).status_code == 412
        key = urlsplit(slot["upload_url"]).path.split("/", 2)[2]
        bucket = urlsplit(slot["upload_url"]).path.split("/")[1]
        versions = runtime.client("s3").list_object_versions(Bucket=bucket, Prefix=key).get("Versions", [])
        assert [v["Size"] for v in versions] == [0]  # only the tombstone: nothing of the document


def test_a_swap_after_submission_is_refused_and_the_reviewer_reads_the_submitted_bytes(api, runtime):
    company = Company(api)
    app_id = _draft(api, company)
    slot = _slot(api, company, app_id)
    assert _put(slot, PDF).status_code == 200
    patched = api.patch(f"/applications/{app_id}", company.token, {
        "company": {"name": "Elektro Peeters", "joint_committee": "111",
                    "address": {"street": "Stationsstraat 1", "postal_code": "9000", "city": "Gent"}},
        "contact": {"name": "Jan Peeters", "email": "jan@peeters.example"},
        "declarations": {"organisation_and_equipment": True, "financial_capacity": True,
                         "no_disqualifying_convictions": True, "sworn_statement": True}})
    assert patched.status_code == 200, patched.text
    submitted = api.post(f"/applications/{app_id}/submit", company.token)
    assert submitted.status_code == 202, submitted.text
    api.settle()

    # The employer's URL is still valid, and refused: the key is written once.
    assert _put(slot, OTHER_PDF).status_code == 412
    # Even bytes written around the URL (an operator, a bug) do not reach the partnership: its link
    # pins the version that was verified at submission.
    parts = urlsplit(slot["upload_url"]).path.split("/", 2)
    runtime.client("s3").put_object(Bucket=parts[1], Key=parts[2], Body=OTHER_PDF)

    reviewer = api.token("partnership", partnership_id="mtech", sub="reviewer-mtech")
    file = api.get(f"/review/applications/{app_id}", reviewer)
    assert file.status_code == 200, file.text
    [document] = file.json()["documents"]
    assert "versionId=" in document["download_url"]
    download = requests.get(document["download_url"], timeout=30)
    assert download.status_code == 200, download.text
    assert download.content == PDF
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
