"""Where intake's rules meet, over HTTP on the local runtime (issue 11, cases 3 to 5):

- a mentor's documents belong to that mentor, whatever happens to the list of mentors;
- an intermediary needs the company's mandate whenever it acts, not only when it filed the draft;
- the procedure's day is the Brussels day, also in the hour or two after midnight when the UTC date
  is still the day before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import requests
from test_intake_applications import Company
from testkit.identifiers import national_register_number as nrn

from kernel.calendar import brussels, local_date
from review.domain.validity import validity_period

pytestmark = pytest.mark.e2e

PARTNERSHIP = "mtech"  # joint committee 111
ALICE_NRN, BOB_NRN = nrn(date(1980, 3, 15), 101), nrn(date(1979, 7, 1), 202)


def _mentor(first: str, number: str, today: date) -> dict:
    return {"first_name": first, "last_name": "Peeters", "national_register_number": number,
            "experience_years": 10, "extract_issued_on": today.isoformat()}


def _codes(response: requests.Response) -> set[tuple[str, str]]:
    assert response.status_code == 422, response.text
    return {(e["field"], e["code"]) for e in response.json()["errors"]}


def test_alices_extract_never_covers_bob_after_the_mentors_are_replaced(api):
    company = Company(api)
    today = api.today()
    created = company.create(mentors=[_mentor("Alice", ALICE_NRN, today)])
    alice_slot = company.upload(created["id"], mentor_index=0)
    patched = api.patch(f"/applications/{created['id']}", company.token, {"mentors": [_mentor("Bob", BOB_NRN, today)]})
    assert patched.status_code == 200, patched.text
    assert {("mentors[0].criminal_record_extract", "missing_document"),
            ("documents[0].mentor_id", "no_such_mentor")} <= _codes(company.submit(created["id"]))
    assert alice_slot["mentor_id"] == created["mentors"][0]["mentor_id"]
    assert patched.json()["documents"][0]["mentor_index"] is None  # Alice is no longer listed

    assert (
        api.request("DELETE", f"/applications/{created['id']}/documents/{alice_slot['id']}", company.token).status_code
        == 204
    )
    bob_slot = company.upload(created["id"], mentor_index=0)
    bob_id = patched.json()["mentors"][0]["mentor_id"]
    assert bob_slot["mentor_id"] == bob_id
    assert company.submit(created["id"]).status_code == 202
    api.settle()

    file = api.get(f"/review/applications/{created['id']}", api.token("partnership", partnership_id=PARTNERSHIP))
    assert file.status_code == 200, file.text
    [document] = file.json()["documents"]
    assert document["mentor_id"] == bob_id
    assert document["mentor"] == {
        "mentor_id": bob_id,
        "first_name": "Bob",
        "last_name": "Peeters",
        "national_register_number": BOB_NRN,
    }
    employer_view = api.get(f"/applications/{created['id']}", company.token).json()
    assert employer_view["documents"][0]["mentor_id"] == bob_id
    assert employer_view["mentors"][0]["national_register_number"] == BOB_NRN[:6] + "*****"


def test_an_intermediary_submitting_an_employers_draft_needs_the_mandate(api):
    company = Company(api)
    school = api.token("intermediary", mandates=[company.enterprise], sub=f"school-{company.enterprise}")
    created = company.create()  # filed by the employer
    company.upload(created["id"])
    assert ("documents.mandate", "missing_document") in _codes(company.submit(created["id"], school))
    company.upload(created["id"], doc_type="mandate", mentor_index=None, token=school)
    submitted = company.submit(created["id"], school)
    assert submitted.status_code == 202, submitted.text
    assert submitted.json()["submitted_by"]["role"] == "intermediary"


def _to_half_past_midnight_in_brussels(api) -> datetime:
    """Moves the runtime clock forward to 00:30 in Brussels (the next one), when the UTC date is
    still the day before (23:30 in winter, 22:30 in summer)."""
    now = api.now()
    local = now.astimezone(brussels())
    target = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=brussels()) + timedelta(
        minutes=30
    )
    moved = api.post("/_local/clock", json={"advance_seconds": int((target - now).total_seconds()) + 1})
    assert moved.status_code == 200, moved.text
    at = api.now()
    assert local_date(at) == target.date() and at.astimezone(UTC).date() == target.date() - timedelta(days=1)
    return at


def test_after_midnight_in_brussels_the_procedure_already_counts_the_new_day(api):
    company = Company(api)
    _to_half_past_midnight_in_brussels(api)
    today = api.today()
    try:
        birthday = today.replace(year=today.year - 25)
    except ValueError:  # 29 February: in a common year the mentor turns 25 on 1 March
        birthday = date(today.year - 25, 3, 1)
    # Turns 25 today and brought an extract issued today: both are the Brussels day.
    created = company.create(mentors=[_mentor("Jong", nrn(birthday, 303), today)])
    company.upload(created["id"])
    submitted = company.submit(created["id"])
    assert submitted.status_code == 202, submitted.text
    api.settle()

    partnership = api.token("partnership", partnership_id=PARTNERSHIP)
    decided = api.post(
        f"/review/applications/{created['id']}/decision", partnership, {"outcome": "approved", "reasons": []}
    )
    assert decided.status_code == 201, decided.text
    decision = decided.json()
    assert decision["valid_from"] == today.isoformat()
    assert decision["valid_until"] == validity_period(today, 5)[1].isoformat()
    verified = api.get(
        "/register/verify",
        params={
            "enterprise_number": company.enterprise,
            "establishment_number": company.establishment,
            "training_code": created["training_code"],
        },
    ).json()
    assert verified["recognized"] is True and verified["on"] == today.isoformat()
