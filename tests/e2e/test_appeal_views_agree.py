"""One upheld appeal followed through every view the company and the public have (issue 17:
after an upheld appeal every view tells the same story): the employer's application and its
history, the employer's own appeals list, the appeal itself, the partnership's queue and file, the
notices, and the register.
"""

from __future__ import annotations

import pytest
from test_appeal_procedure import lodge, refusal_with_notice, review_decides

pytestmark = pytest.mark.e2e


def test_one_upheld_appeal_reads_the_same_in_every_view(api):
    if not review_decides():
        pytest.skip("review is not deployed: no recognition follows an upheld appeal")
    refused = refusal_with_notice(api)
    employer = api.token("employer", enterprise_number=refused["enterprise"])
    application_id = refused["application"]["id"]
    before = api.get(f"/applications/{application_id}", employer).json()
    assert before["status"] == "refused" and before["recognition_id"] is None and before["appeal"] is None

    api.advance(2)
    lodged = lodge(api, refused["enterprise"], refused["decision_id"])
    assert lodged.status_code == 201, lodged.text
    appeal_id = lodged.json()["id"]
    api.settle()
    assert api.get(f"/applications/{application_id}", employer).json()["appeal"]["status"] == "lodged"
    [own] = api.get("/appeals", employer).json()
    assert own["id"] == appeal_id and own["status"] == "lodged"

    coordinator = api.token("appeals")
    assert api.post(f"/appeals/{appeal_id}/admissibility", coordinator,
                    {"admissible": True, "reasons": []}).status_code == 200
    upheld = api.post(f"/appeals/{appeal_id}/decision", coordinator,
                      {"outcome": "upheld", "reasons": ["The experience is shown by the CV in the file."]})
    assert upheld.status_code == 200, upheld.text
    decided_on = api.today()
    api.settle()

    # The employer's application: still the partnership's refusal, with the appeal that overturned it
    # and the recognition the appeal gave.
    after = api.get(f"/applications/{application_id}", employer).json()
    assert after["status"] == "refused" and after["decision"]["outcome"] == "refused"
    assert after["appeal"]["appeal_id"] == appeal_id
    assert (after["appeal"]["status"], after["appeal"]["outcome"]) == ("upheld", "upheld")
    assert after["recognition_id"], after
    whats = [h["what"] for h in api.get(f"/applications/{application_id}/history", employer).json()]
    appeal_steps = [w for w in whats if w in {"appeal_lodged", "appeal_admissibility_decided", "appeal_decided",
                                              "recognised_on_appeal"}]
    assert appeal_steps == ["appeal_lodged", "appeal_admissibility_decided", "appeal_decided", "recognised_on_appeal"]
    assert whats.index("decision_recorded") < whats.index("appeal_lodged")

    # The employer's own appeals and the appeal itself.
    [own] = api.get("/appeals", employer).json()
    assert own["id"] == appeal_id and own["status"] == "upheld" and own["decision"]["outcome"] == "upheld"
    assert api.get(f"/appeals/{appeal_id}", employer).json()["status"] == "upheld"

    # The public register: the same recognition, from the appeal decision date.
    application = refused["application"]
    verified = api.get("/register/verify", params={
        "enterprise_number": refused["enterprise"],
        "establishment_number": application["establishment_number"],
        "training_code": application["training_code"],
    }).json()
    assert verified["recognized"] is True, verified
    assert verified["recognition_id"] == after["recognition_id"]
    assert verified["valid_from"] == decided_on.isoformat()

    # The partnership's queue and file: the refusal, the appeal's outcome and the recognition it gave.
    partnership = api.token("partnership", partnership_id=after["partnership_id"])
    [queued] = [f for f in api.get("/review/queue", partnership).json() if f["application_id"] == application_id]
    assert queued["status"] == "refused" and queued["days_left"] is None and queued["overdue"] is None
    assert (queued["appeal"]["appeal_id"], queued["appeal"]["status"]) == (appeal_id, "upheld")
    assert queued["appeal"]["recognition_id"] == after["recognition_id"]
    file = api.get(f"/review/applications/{application_id}", partnership).json()
    assert file["appeal"]["outcome"] == "upheld"

    # The notices: the appeal decision and the recognition it led to, both sent to the company.
    kinds = {n["kind"] for n in api.get("/notices", employer).json()}
    assert {"appeal_decision", "recognition"} <= kinds, kinds
