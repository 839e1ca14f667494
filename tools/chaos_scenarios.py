"""What each application of the fault run goes through, and where it must end without faults.

The mix is deterministic: of every 10 applications 7 are approved and 3 refused; the first
``appeals`` refusals are appealed, alternately upheld and dismissed. Each application belongs to
its own company (fresh enterprise number, contact address), so its notices and e-mails are its own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import requests
from testkit.client import Api
from testkit.identifiers import NATIONAL_REGISTER_NUMBER as MENTOR_NRN
from testkit.identifiers import enterprise_number, establishment_number

PDF = b"%PDF-1.4\n% chaos run extract\n%%EOF\n"
TRAINING = "elektrische-installaties-duaal"  # joint committee 111 routes it to mtech
PARTNERSHIP = "mtech"


@dataclass
class Expected:
    status: str  # GET /applications/{id}
    recognized: bool  # GET /register/verify
    register_status: str
    notices: tuple[str, ...]  # kinds, sorted, at GET /notices for the company
    mails: int  # to the company's contact address (GET /_local/mail)


# What an application reaches without faults, per outcome (a run with --no-faults shows the same).
EXPECTED = {
    "approved": Expected("approved", True, "active", ("acknowledgement", "approval"), 2),
    "refused": Expected("refused", False, "none", ("acknowledgement", "refusal"), 2),
    # An upheld appeal is followed by the recognition it grants, with its own notice and mail.
    "upheld": Expected("refused", True, "active",
                       ("acknowledgement", "appeal_acknowledgement", "appeal_decision", "recognition", "refusal"), 5),
    "dismissed": Expected("refused", False, "none",
                          ("acknowledgement", "appeal_acknowledgement", "appeal_decision", "refusal"), 4),
}


@dataclass
class Case:
    index: int
    enterprise: str
    establishment: str
    outcome: str  # approved | refused
    appeal: str | None  # upheld | dismissed | None
    partnership: str = PARTNERSHIP
    application_id: str | None = None
    decision_id: str | None = None
    appeal_id: str | None = None
    steps_failed: list[str] = field(default_factory=list)

    @property
    def final(self) -> str:
        return self.appeal or self.outcome

    @property
    def contact(self) -> str:
        return f"contact-{self.enterprise}@chaos.example"

    def employer(self, api: Api) -> str:
        return api.token("employer", enterprise_number=self.enterprise, sub=f"emp-{self.enterprise}")

    def _fail(self, step: str, response: requests.Response) -> None:
        self.steps_failed.append(f"{step}: {response.status_code} {response.text[:200]}")

    # ------------------------------------------------------------------ the steps
    def file(self, api: Api) -> None:
        token = self.employer(api)
        created, _ = api.call_with_retries("POST", "/applications", token, self._body(api))
        if created.status_code != 201:
            return self._fail("create", created)
        self.application_id = created.json()["id"]
        slot, _ = api.call_with_retries("POST", f"/applications/{self.application_id}/documents", token, {
            "type": "criminal_record_extract", "filename": "extract.pdf", "content_type": "application/pdf",
            "size_bytes": len(PDF), "mentor_index": 0})
        if slot.status_code != 201:
            return self._fail("document", slot)
        upload = slot.json()
        put = requests.request(upload["upload_method"], upload["upload_url"], data=PDF,
                               headers=upload["upload_headers"], timeout=30)
        if put.status_code not in (200, 204):
            return self._fail("upload", put)
        submitted, _ = api.call_with_retries("POST", f"/applications/{self.application_id}/submit", token)
        if submitted.status_code != 202:
            self._fail("submit", submitted)

    def decide(self, api: Api, partnership: str) -> None:
        if not self.application_id:
            return
        body = {"outcome": self.outcome, "reasons": [] if self.outcome == "approved" else
                ["De mentor heeft geen opleiding gevolgd."]}
        path = f"/review/applications/{self.application_id}/decision"
        decided, retried = api.call_with_retries("POST", path, partnership, body)
        if decided.status_code == 201:
            self.decision_id = decided.json()["decision_id"]
        elif decided.status_code == 409 and retried:  # an attempt that answered 5xx had decided
            file = api.get_json(f"/review/applications/{self.application_id}", partnership)
            self.decision_id = (file.get("decision") or {}).get("decision_id")
        if not self.decision_id:
            self._fail("decide", decided)

    def lodge(self, api: Api) -> None:
        if not self.decision_id:
            return
        lodged, _ = api.call_with_retries("POST", "/appeals", self.employer(api), {
            "subject_id": self.decision_id, "grounds": "De mentor volgde de opleiding in 2024; zie bijlage."})
        if lodged.status_code != 201:
            return self._fail("appeal", lodged)
        self.appeal_id = lodged.json()["id"]

    def admit(self, api: Api, coordinator: str) -> None:
        if self.appeal_id:
            self._idempotent_step(api, "admissibility", coordinator, {"admissible": True, "reasons": []},
                                  done="admissible")

    def decide_appeal(self, api: Api, coordinator: str) -> None:
        if self.appeal_id:
            self._idempotent_step(api, "decision", coordinator, {
                "outcome": self.appeal, "reasons": ["Het dossier toont de opleiding van de mentor aan."]},
                done=self.appeal)

    def _idempotent_step(self, api: Api, step: str, token: str, body: dict, done: str) -> None:
        response, retried = api.call_with_retries("POST", f"/appeals/{self.appeal_id}/{step}", token, body)
        if response.status_code in (200, 201):
            return
        if response.status_code == 409 and retried:  # an attempt that answered 5xx went through
            if api.get_json(f"/appeals/{self.appeal_id}", token).get("status") == done:
                return
        self._fail(f"appeal {step}", response)

    def _body(self, api: Api) -> dict[str, Any]:
        today = api.get_json("/_local/clock")["now"][:10]
        return {
            "enterprise_number": self.enterprise, "establishment_number": self.establishment,
            "training_code": TRAINING, "kind": "new",
            "company": {"name": f"Elektro {self.index}", "joint_committee": "111",
                        "address": {"street": "Stationsstraat 1", "postal_code": "9000", "city": "Gent"}},
            "contact": {"name": "Jan Peeters", "email": self.contact},
            "mentors": [{"first_name": "An", "last_name": "Peeters", "national_register_number": MENTOR_NRN,
                         "experience_years": 10, "extract_issued_on": today}],
            "declarations": {"organisation_and_equipment": True, "financial_capacity": True,
                             "no_disqualifying_convictions": True, "sworn_statement": True},
        }


def plan(n: int, seed: int, appeals: int = 10) -> list[Case]:
    rng = random.Random(seed)
    enterprises: set[str] = set()
    cases = []
    appealed = 0
    for i in range(n):
        enterprise = enterprise_number(rng)
        while enterprise in enterprises:
            enterprise = enterprise_number(rng)
        enterprises.add(enterprise)
        establishment = establishment_number(rng)
        outcome = "approved" if i % 10 < 7 else "refused"
        appeal = None
        if outcome == "refused" and appealed < appeals:
            appeal = "upheld" if appealed % 2 == 0 else "dismissed"
            appealed += 1
        cases.append(Case(i, enterprise, establishment, outcome, appeal))
    return cases
