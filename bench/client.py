"""The bench's actors: a valid application, filed the way an employer files it, and its partnership.

Same body and steps as tests/e2e/test_intake_applications.py (one mentor, joint committee 111,
which routes to mtech). The HTTP client is the testkit's (tests/testkit/client.py): every request to
the API is counted, since each is an API Gateway request on AWS; the presigned upload and the
document download go straight to S3 (``Api.s3``).
"""

from __future__ import annotations

from typing import Any

from testkit.client import Api, expect
from testkit.identifiers import NATIONAL_REGISTER_NUMBER as MENTOR_NRN
from testkit.identifiers import enterprise_number, establishment_number

__all__ = ["Api", "Employer", "Partnership", "expect"]

PDF = b"%PDF-1.4\n% extract model 596.2\n%%EOF\n"
TRAINING = "elektrische-installaties-duaal"
PARTNERSHIP = "mtech"


class Employer:
    """A company with fresh numbers (one open application per key) and its token."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.enterprise = enterprise_number()
        self.establishment = establishment_number()
        self.token = api.rt.token(role="employer", enterprise_number=self.enterprise, sub=f"emp-{self.enterprise}")

    def body(self) -> dict[str, Any]:
        return {
            "enterprise_number": self.enterprise, "establishment_number": self.establishment,
            "training_code": TRAINING, "kind": "new",
            "company": {"name": "Elektro Peeters", "joint_committee": "111",
                        "address": {"street": "Stationsstraat 1", "postal_code": "9000", "city": "Gent"}},
            "contact": {"name": "Jan Peeters", "email": "jan@peeters.example"},
            "mentors": [{"first_name": "An", "last_name": "Peeters", "national_register_number": MENTOR_NRN,
                         "experience_years": 10, "extract_issued_on": self.api.rt.now().date().isoformat()}],
            "declarations": {"organisation_and_equipment": True, "financial_capacity": True,
                             "no_disqualifying_convictions": True, "sworn_statement": True},
        }

    def file(self) -> str:
        """Creates, uploads the extract (a real PUT to the presigned URL) and submits; the id."""
        app_id = self.create()
        self.upload(app_id)
        self.submit(app_id)
        return app_id

    def create(self) -> str:
        return expect(self.api.request("POST", "/applications", self.token, self.body()), 201)["id"]

    def upload(self, app_id: str) -> None:
        slot = expect(self.api.request("POST", f"/applications/{app_id}/documents", self.token, {
            "type": "criminal_record_extract", "filename": "extract.pdf", "content_type": "application/pdf",
            "size_bytes": len(PDF), "mentor_index": 0}), 201)
        put = self.api.s3(slot["upload_method"], slot["upload_url"], data=PDF, headers=slot["upload_headers"])
        if put.status_code not in (200, 204):
            raise RuntimeError(f"upload: {put.status_code} {put.text[:300]}")

    def submit(self, app_id: str) -> None:
        expect(self.api.request("POST", f"/applications/{app_id}/submit", self.token), 202)

    def appeal(self, decision_id: str) -> dict:
        return expect(self.api.request("POST", "/appeals", self.token, {
            "subject_id": decision_id, "grounds": "De mentor volgde de opleiding in 2024; zie bijlage."}), 201)

    def status(self, app_id: str) -> dict:
        return expect(self.api.request("GET", f"/applications/{app_id}", self.token), 200)


class Partnership:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.token = api.rt.token(role="partnership", partnership_id=PARTNERSHIP, sub="bench-reviewer")

    def read_file(self, app_id: str) -> None:
        """Opens the file and downloads the extract, as a reviewer does before deciding."""
        file = expect(self.api.request("GET", f"/review/applications/{app_id}", self.token), 200)
        for document in file.get("documents", []):
            self.api.s3("GET", document["download_url"])

    def approve(self, app_id: str) -> bool:
        """True once decided; False while the file is not in the queue yet (404)."""
        response = self.api.request("POST", f"/review/applications/{app_id}/decision", self.token,
                                    {"outcome": "approved", "reasons": []})
        if response.status_code == 404:
            return False
        expect(response, 201)
        return True

    def refuse(self, app_id: str) -> dict:
        """The decision (its decision_id): a refusal, which the employer may appeal."""
        return expect(self.api.request("POST", f"/review/applications/{app_id}/decision", self.token, {
            "outcome": "refused", "reasons": ["De mentor heeft geen opleiding gevolgd."]}), 201)
