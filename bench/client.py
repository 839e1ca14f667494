"""The bench's HTTP client: a valid application, filed the way an employer files it.

Same body and steps as tests/e2e/test_intake_applications.py (one mentor, joint committee 111,
which routes to mtech). Every request to the API is counted, since each is an API Gateway
request on AWS; the presigned upload and the document download go straight to S3.
"""

from __future__ import annotations

import random
import threading
from typing import Any

import requests

PDF = b"%PDF-1.4\n% extract model 596.2\n%%EOF\n"
MENTOR_NRN = "80031512361"
TRAINING = "elektrische-installaties-duaal"
PARTNERSHIP = "mtech"


def _with_check(first_eight: str) -> str:
    return first_eight + f"{97 - int(first_eight) % 97:02d}"


class Api:
    def __init__(self, rt: Any) -> None:
        self.rt, self.url = rt, rt.url
        self._local = threading.local()
        self._lock = threading.Lock()
        self.api_requests = 0  # billed as API Gateway requests
        self.s3_puts = self.s3_gets = 0  # presigned URLs: billed as S3 requests

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):  # a Session is not shared between threads
            self._local.session = requests.Session()
        return self._local.session

    def call(self, method: str, path: str, token: str | None = None, body: Any = None) -> requests.Response:
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        with self._lock:
            self.api_requests += 1
        return self._session().request(method, self.url + path, headers=headers, json=body, timeout=30)

    def s3(self, method: str, url: str, **kw: Any) -> requests.Response:
        with self._lock:
            if method == "PUT":
                self.s3_puts += 1
            else:
                self.s3_gets += 1
        return self._session().request(method, url, timeout=30, **kw)


def expect(response: requests.Response, *statuses: int) -> dict:
    if response.status_code not in statuses:
        raise RuntimeError(f"{response.request.method} {response.url}: {response.status_code} {response.text[:300]}")
    return response.json() if response.content else {}


class Employer:
    """A company with fresh numbers (one open application per key) and its token."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.enterprise = _with_check("0" + "".join(random.choices("0123456789", k=7)))
        self.establishment = _with_check(random.choice("2345678") + "".join(random.choices("0123456789", k=7)))
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
        app_id = expect(self.api.call("POST", "/applications", self.token, self.body()), 201)["id"]
        slot = expect(self.api.call("POST", f"/applications/{app_id}/documents", self.token, {
            "type": "criminal_record_extract", "filename": "extract.pdf", "content_type": "application/pdf",
            "size_bytes": len(PDF), "mentor_index": 0}), 201)
        put = self.api.s3(slot["upload_method"], slot["upload_url"], data=PDF, headers=slot["upload_headers"])
        if put.status_code not in (200, 204):
            raise RuntimeError(f"upload: {put.status_code} {put.text[:300]}")
        expect(self.api.call("POST", f"/applications/{app_id}/submit", self.token), 202)
        return app_id

    def status(self, app_id: str) -> dict:
        return expect(self.api.call("GET", f"/applications/{app_id}", self.token), 200)


class Partnership:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.token = api.rt.token(role="partnership", partnership_id=PARTNERSHIP, sub="bench-reviewer")

    def read_file(self, app_id: str) -> None:
        """Opens the file and downloads the extract, as a reviewer does before deciding."""
        file = expect(self.api.call("GET", f"/review/applications/{app_id}", self.token), 200)
        for document in file.get("documents", []):
            self.api.s3("GET", document["download_url"])

    def approve(self, app_id: str) -> bool:
        """True once decided; False while the file is not in the queue yet (404)."""
        response = self.api.call("POST", f"/review/applications/{app_id}/decision", self.token,
                                 {"outcome": "approved", "reasons": []})
        if response.status_code == 404:
            return False
        expect(response, 201)
        return True
