"""Where the rules meet, over HTTP on the local runtime (issue 11 points 1, 2, 6, 7, 8): every
path that grants goes through the one ledger, intake and review agree on what a key allows, a
partnership's measures stay within its competence, and the VPDL supervises without identities.

Each test uses fresh company numbers (the runtime is shared); none moves the clock except the
overdue test, which needs a deadline to pass.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from testkit.identifiers import enterprise_number, establishment_number

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n% extract model 596.2\n%%EOF\n"
MENTOR_NRN = "80031512361"
# training -> (joint committee, the partnership it is routed to)
BUILDING, FINISHING = "ruwbouw-duaal", "afwerking-bouw-duaal"  # 124: construction
WIRING, ELECTRO = "elektrische-installaties-duaal", "elektrotechnieken-duaal"  # 111: mtech
ROUTE = {BUILDING: ("124", "construction"), FINISHING: ("124", "construction"),
         WIRING: ("111", "mtech"), ELECTRO: ("111", "mtech")}


class Company:
    def __init__(self, api, *, language: str | None = None, email: str = "jan@peeters.example") -> None:
        self.api = api
        self.language, self.email = language, email  # what the contact chose (None: Dutch) and its address
        self.enterprise = enterprise_number()
        self.establishment = establishment_number()
        self.token = api.token("employer", enterprise_number=self.enterprise, sub=f"emp-{self.enterprise}")

    def submit(self, training: str, *, renews: str | None = None, settle: bool = True) -> tuple[str, Any]:
        """A complete draft for ``training`` (a renewal of ``renews``), submitted: (id, response);
        ``settle=False`` leaves the events in flight (the caller settles several steps at once)."""
        joint_committee, _ = ROUTE[training]
        body = {
            "enterprise_number": self.enterprise, "establishment_number": self.establishment,
            "training_code": training, "kind": "renewal" if renews else "new", "renews_recognition_id": renews,
            "company": {"name": "Bouw en Elektro Peeters", "joint_committee": joint_committee,
                        "address": {"street": "Stationsstraat 1", "postal_code": "9000", "city": "Gent"}},
            "contact": {"name": "Jan Peeters", "email": self.email,
                        **({"language": self.language} if self.language else {})},
            "mentors": [{"first_name": "An", "last_name": "Peeters", "national_register_number": MENTOR_NRN,
                         "experience_years": 10, "extract_issued_on": self.api.today().isoformat()}],
            "declarations": {"organisation_and_equipment": True, "financial_capacity": True,
                             "no_disqualifying_convictions": True, "sworn_statement": True},
        }
        created = self.api.post("/applications", self.token, body)
        assert created.status_code == 201, created.text
        app_id = created.json()["id"]
        slot = self.api.post(f"/applications/{app_id}/documents", self.token, {
            "type": "criminal_record_extract", "filename": "extract.pdf", "content_type": "application/pdf",
            "size_bytes": len(PDF), "mentor_index": 0}).json()
        put = self.api.session.put(slot["upload_url"], data=PDF, headers=slot["upload_headers"], timeout=30)
        assert put.status_code in (200, 204), put.text
        submitted = self.api.post(f"/applications/{app_id}/submit", self.token)
        if settle:
            self.api.settle()
        return app_id, submitted

    def submitted(self, training: str, **kw: Any) -> str:
        app_id, response = self.submit(training, **kw)
        assert response.status_code == 202, response.text
        return app_id

    def verify(self, training: str, on: date | None = None) -> dict[str, Any]:
        query = {"enterprise_number": self.enterprise, "establishment_number": self.establishment,
                 "training_code": training, **({"on": on.isoformat()} if on else {})}
        response = self.api.get("/register/verify", params=query)
        assert response.status_code == 200, response.text
        return response.json()


def staff(api, partnership_id: str) -> str:
    return api.token("partnership", partnership_id=partnership_id, sub=f"reviewer-{partnership_id}")


def decide(api, training: str, app_id: str, outcome: str = "approved") -> dict[str, Any]:
    body = {"outcome": outcome, "reasons": [] if outcome == "approved" else ["The workshop lacks equipment."]}
    decided = api.post(f"/review/applications/{app_id}/decision", staff(api, ROUTE[training][1]), body)
    assert decided.status_code == 201, decided.text
    api.settle()
    return decided.json()


def impose(api, training: str, recognition_id: str, body: dict[str, Any]) -> dict[str, Any]:
    imposed = api.post(f"/review/recognitions/{recognition_id}/measures", staff(api, ROUTE[training][1]),
                       {"reason": "Guidance did not help.", **body})
    assert imposed.status_code == 201, imposed.text
    api.settle()
    return imposed.json()


def uphold(api, company: Company, decision_id: str) -> None:
    lodged = api.post("/appeals", company.token, {"subject_id": decision_id, "grounds": "The equipment is there."})
    assert lodged.status_code == 201, lodged.text
    appeal_id, coordinator = lodged.json()["id"], api.token("appeals")
    assert (
        api.post(f"/appeals/{appeal_id}/admissibility", coordinator, {"admissible": True, "reasons": []}).status_code
        == 200
    )
    ruled = api.post(f"/appeals/{appeal_id}/decision", coordinator, {"outcome": "upheld", "reasons": ["Shown."]})
    assert ruled.status_code == 200, ruled.text
    api.settle()


# ---------------------------------------------------------------------- point 1
def test_an_upheld_appeal_grants_nothing_while_the_enterprise_is_excluded(api):
    company = Company(api)
    recognised = decide(api, BUILDING, company.submitted(BUILDING))
    refusal = decide(api, FINISHING, refused_app := company.submitted(FINISHING), "refused")
    impose(api, BUILDING, recognised["recognition_id"], {"type": "exclusion", "scope": "enterprise"})
    uphold(api, company, refusal["decision_id"])
    assert company.verify(FINISHING)["status"] == "none"
    file = api.get(f"/review/applications/{refused_app}", staff(api, "construction")).json()
    assert file["appeal_grant"]["blocked"] is True and "excluded" in file["appeal_grant"]["reason"]


def test_an_upheld_appeal_against_a_refused_renewal_continues_the_recognition_it_renews(api):
    company = Company(api)
    old = decide(api, BUILDING, company.submitted(BUILDING))
    refusal = decide(api, BUILDING, company.submitted(BUILDING, renews=old["recognition_id"]), "refused")
    uphold(api, company, refusal["decision_id"])
    valid_until = date.fromisoformat(old["valid_until"])
    assert company.verify(BUILDING)["recognition_id"] == old["recognition_id"]
    following = company.verify(BUILDING, on=valid_until + timedelta(days=1))
    assert following["recognized"] is True and following["recognition_id"] != old["recognition_id"]
    assert following["valid_from"] == (valid_until + timedelta(days=1)).isoformat()
    listed = api.get("/review/recognitions", staff(api, "construction"), params={"limit": 200}).json()
    mine = {r["recognition_id"]: r for r in listed["items"]}
    assert mine[following["recognition_id"]]["renews_recognition_id"] == old["recognition_id"]
    assert mine[old["recognition_id"]]["renewed_by_recognition_id"] == following["recognition_id"]


# ---------------------------------------------------------------------- point 2
def test_a_recognition_whose_renewal_is_scheduled_cannot_be_renewed_a_second_time(api):
    company = Company(api)
    old = decide(api, WIRING, company.submitted(WIRING))
    renewal = decide(api, WIRING, company.submitted(WIRING, renews=old["recognition_id"]))
    assert renewal["status"] == "scheduled"
    _, second = company.submit(WIRING, renews=old["recognition_id"])
    assert second.status_code == 409, second.text
    assert "already renewed" in second.json()["detail"]


# ---------------------------------------------------------------------- point 6
def test_a_sectoral_exclusion_leaves_another_partnerships_recognitions_alone(api):
    company = Company(api)
    building = decide(api, BUILDING, company.submitted(BUILDING))
    wiring = decide(api, WIRING, company.submitted(WIRING))
    result = impose(api, BUILDING, building["recognition_id"], {"type": "exclusion", "scope": "enterprise"})
    assert result["revoked_recognition_ids"] == [building["recognition_id"]]
    assert company.verify(BUILDING)["status"] == "revoked"
    assert company.verify(WIRING)["recognition_id"] == wiring["recognition_id"]
    assert company.verify(WIRING)["status"] == "active"
    company.submitted(ELECTRO)  # mtech is not bound by construction's exclusion
    _, excluded = company.submit(FINISHING)
    assert excluded.status_code == 422 and excluded.json()["errors"][0]["code"] == "excluded"


# ---------------------------------------------------------------------- point 7
def test_the_vpdl_reads_an_overdue_file_by_state_and_dates_without_identities_or_links(api):
    company = Company(api)
    app_id = company.submitted(WIRING)
    api.advance(16)
    api.settle()
    vpdl = api.get(f"/review/applications/{app_id}", staff(api, "vpdl"))
    assert vpdl.status_code == 200, vpdl.text
    seen = vpdl.json()
    assert seen["supervision"] is True and seen["overdue"] is True and seen["status"] == "in_review"
    text = json.dumps(seen)
    assert MENTOR_NRN not in text and "download_url" not in text and "mentors" not in text
    own = api.get(f"/review/applications/{app_id}", staff(api, "mtech")).json()
    assert own["application"]["mentors"][0]["national_register_number"] == MENTOR_NRN
    assert own["documents"][0]["download_url"]


# ---------------------------------------------------------------------- point 8
def test_a_revocation_dated_later_keeps_the_key_taken_until_that_day(api):
    company = Company(api)
    recognised = decide(api, ELECTRO, company.submitted(ELECTRO))
    effective_on = api.today() + timedelta(days=20)
    impose(api, ELECTRO, recognised["recognition_id"], {"type": "revocation", "effective_on": effective_on.isoformat()})
    assert company.verify(ELECTRO)["status"] == "active"
    assert company.verify(ELECTRO, on=effective_on)["status"] == "revoked"
    _, again = company.submit(ELECTRO)
    assert again.status_code == 409, again.text
    assert recognised["recognition_id"] in again.json()["detail"]
