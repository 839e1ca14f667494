"""Two companies with a resource of every kind, set up through the API only.

The authorisation matrix (tests/e2e/test_authorization_matrix.py) and `make fuzz` (tools/fuzz.py) need,
for every path parameter of the OpenAPI document, a value the caller owns and one that belongs to another
company. Company A's joint committee routes it to Horeca and company B's to the VPDL (partnerships.json), so the
Horeca reviewer owns A's files and B's are foreign to it; being the supervisor, the VPDL would
see A's files once overdue, which is why it is not the reviewer used as "own".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from testkit.client import Api
from testkit.identifiers import NATIONAL_REGISTER_NUMBER, dotted, enterprise_number, establishment_number

PDF = b"%PDF-1.4\n% authorisation matrix\n%%EOF\n"
ROUTED_TO = {"A": ("302", "horeca"), "B": ("200", "vpdl")}


@dataclass
class Company:
    """One company's identifiers and the resources it owns; `secrets` must never reach another caller."""

    label: str
    enterprise: str
    joint_committee: str
    partnership_id: str
    name: str
    mentor: str
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def secrets(self) -> set[str]:
        return {self.enterprise, dotted(self.enterprise), self.name, self.mentor, *self.ids.values()}


class World:
    """Company A (routed to Horeca) and company B (routed to the VPDL), each with a draft carrying a
    document, an approved application with a site visit and a recognition, a refused one with its
    notice and an appeal, and a support request."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.training = api.get("/trainings").json()[0]["code"]
        self.a = self._company("A")
        self.b = self._company("B")

    def _company(self, label: str) -> Company:
        joint_committee, partnership_id = ROUTED_TO[label]
        tag = uuid.uuid4().hex[:8]
        return Company(
            label,
            enterprise_number(),
            joint_committee,
            partnership_id,
            name=f"Zaak{label}{tag}",
            mentor=f"Mentor{label}{tag}",
        )

    # ---------------------------------------------------------------- tokens
    def token(self, role: str, company: Company | None = None) -> str:
        """A fresh token (tokens expire by the runtime clock) acting for ``company`` (default A)."""
        company = company or self.a
        by_role: dict[str, dict[str, Any]] = {
            "employer": {"enterprise_number": company.enterprise},
            "intermediary": {"mandates": [company.enterprise]},
            "partnership": {"partnership_id": company.partnership_id},
            "appeals": {},
        }
        return self.api.token(role, sub=f"{role}-{company.label}-{company.enterprise}", **by_role[role])

    # ---------------------------------------------------------------- set-up
    def build(self) -> World:
        for company in (self.a, self.b):
            self._files(company)
        self.api.settle()
        for company in (self.a, self.b):
            self._review(company)
        self.api.settle()
        for company in (self.a, self.b):
            self._appeal(company)
        self.api.settle()
        return self

    def draft_body(self, company: Company) -> dict[str, Any]:
        today = self.api.today()
        return {
            "enterprise_number": company.enterprise,
            "establishment_number": establishment_number(),
            "training_code": self.training,
            "kind": "new",
            "company": {
                "name": company.name,
                "joint_committee": company.joint_committee,
                "address": {"street": "Kerkstraat 1", "postal_code": "9000", "city": "Gent"},
            },
            "contact": {"name": "An Peeters", "email": "an@example.be"},
            "mentors": [
                {
                    "first_name": "Jan",
                    "last_name": company.mentor,
                    "national_register_number": NATIONAL_REGISTER_NUMBER,
                    "experience_years": 12,
                    "extract_issued_on": (today - timedelta(days=20)).isoformat(),
                }
            ],
            "declarations": {
                "organisation_and_equipment": True,
                "financial_capacity": True,
                "no_disqualifying_convictions": True,
                "sworn_statement": True,
            },
        }

    def _post(self, path: str, token: str, body: dict[str, Any] | None = None, status: int = 201) -> dict[str, Any]:
        response = self.api.post(path, token, body)
        assert response.status_code == status, f"set-up {path}: {response.status_code} {response.text}"
        return response.json() if response.content else {}

    def document(
        self, company: Company, application_id: str, upload: bool = False, kind: str = "criminal_record_extract"
    ) -> str:
        """Registers a document on the application (and uploads it); returns the document id."""
        extract = {"mentor_index": 0} if kind == "criminal_record_extract" else {}
        slot = self._post(
            f"/applications/{application_id}/documents",
            self.token("employer", company),
            {
                "type": kind,
                "filename": f"{kind}.pdf",
                "content_type": "application/pdf",
                "size_bytes": len(PDF),
                **extract,
            },
        )
        if upload:
            headers = slot.get("upload_headers") or {}
            put = self.api.session.put(slot["upload_url"], data=PDF, headers=headers, timeout=30)
            assert put.status_code in (200, 204), put.text
        return slot["id"]

    def _submitted(self, company: Company) -> str:
        token = self.token("employer", company)
        application_id = self._post("/applications", token, self.draft_body(company))["id"]
        self.document(company, application_id, upload=True)
        # Horeca's policy also asks for the RSZ certificate; the VPDL accepts it as an extra document.
        self.document(company, application_id, upload=True, kind="rsz_certificate")
        self._post(f"/applications/{application_id}/submit", token, status=202)
        return application_id

    def _files(self, company: Company) -> None:
        token = self.token("employer", company)
        draft = self._post("/applications", token, self.draft_body(company))["id"]
        company.ids["draft"] = draft
        company.ids["document"] = self.document(company, draft)
        company.ids["approved"] = self._submitted(company)
        company.ids["refused"] = self._submitted(company)
        company.ids["support_request"] = self._post(
            "/support-requests",
            token,
            {
                "enterprise_number": company.enterprise,
                "joint_committee": company.joint_committee,
                "topic": "application",
                "message": f"Help for {company.name}",
                "contact": {"name": "An Peeters", "email": "an@example.be"},
            },
        )["id"]

    def _review(self, company: Company) -> None:
        reviewer = self.token("partnership", company)
        approved, refused = company.ids["approved"], company.ids["refused"]
        visit = self._post(
            f"/review/applications/{approved}/site-visits", reviewer, {"planned_for": self.api.today().isoformat()}
        )
        company.ids["visit"] = visit["visit_id"]
        decided = self._post(
            f"/review/applications/{approved}/decision", reviewer, {"outcome": "approved", "reasons": []}
        )
        company.ids["recognition"] = decided["recognition_id"]
        company.ids["approval"] = decided["decision_id"]
        refusal = self._post(
            f"/review/applications/{refused}/decision",
            reviewer,
            {"outcome": "refused", "reasons": ["The mentor's experience is not shown."]},
        )
        company.ids["refusal"] = refusal["decision_id"]

    def _appeal(self, company: Company) -> None:
        lodged = self._post(
            "/appeals",
            self.token("employer", company),
            {"subject_id": company.ids["refusal"], "grounds": "The mentor has twelve years."},
        )
        company.ids["appeal"] = lodged["id"]
