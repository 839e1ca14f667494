"""Issue 16: a refusal says which condition of recognition (DOMAIN.md section 2) is not met, as
codes from one closed set, carried on DecisionRecorded and shown on the file."""

import json

import pytest
from review_support import partnership, routed
from testkit.apigw import http_event

from kernel.conditions import CONDITION_CODES
from kernel.errors import RuleViolation
from kernel.idempotency_keys import InMemoryIdempotencyKeys
from review import bootstrap
from review.handlers import api
from review.usecases import deciding, files

HORECA = {"sub": "u1", "role": "partnership", "partnership_id": "horeca"}


def open_one(ports):
    envelope, data = routed("horeca")
    files.open_file(ports, envelope, data)
    return data.application_id


@pytest.fixture
def wired(ports):
    bootstrap.override(ports, idempotency_keys=InMemoryIdempotencyKeys())
    yield ports
    bootstrap.reset()


def post_decision(app_id, body):
    response = api.app.resolve(http_event("POST", f"/review/applications/{app_id}/decision", body=body,
                                          claims=HORECA), None)
    return response["statusCode"], json.loads(response["body"])


def test_the_set_holds_the_four_company_conditions_and_the_mentor_conditions():
    assert CONDITION_CODES[:4] == ("organisation_and_equipment", "financial_capacity",
                                   "no_disqualifying_convictions", "eligible_mentor")
    assert {"mentor_criminal_record_extract", "mentor_age", "mentor_experience"} <= set(CONDITION_CODES)


def test_a_refusal_names_the_conditions_not_met_on_the_bus_the_answer_and_the_file(wired):
    app_id = open_one(wired)
    status, body = post_decision(app_id, {"outcome": "refused", "reasons": ["De mentor is 22."],
                                          "conditions_not_met": ["eligible_mentor", "mentor_age"]})
    assert status == 201 and body["conditions_not_met"] == ["eligible_mentor", "mentor_age"]
    event = wired.publisher.published[0]
    assert event.event_name == "DecisionRecorded" and event.event_version == 1
    assert event.data["conditions_not_met"] == ["eligible_mentor", "mentor_age"]
    shown = api.app.resolve(http_event("GET", f"/review/applications/{app_id}", claims=HORECA), None)
    assert json.loads(shown["body"])["decision"]["conditions_not_met"] == ["eligible_mentor", "mentor_age"]


def test_a_condition_named_twice_counts_once(wired):
    app_id = open_one(wired)
    status, body = post_decision(app_id, {"outcome": "refused", "reasons": ["Geen uitrusting."],
                                          "conditions_not_met": ["organisation_and_equipment"] * 2})
    assert status == 201 and body["conditions_not_met"] == ["organisation_and_equipment"]


@pytest.mark.parametrize("body", [
    {"outcome": "refused", "reasons": ["x"], "conditions_not_met": ["no_mentor"]},  # not a code of the set
    {"outcome": "refused", "reasons": ["x"], "conditions_not_met": "financial_capacity"},  # not a list
    {"outcome": "approved", "conditions_not_met": ["financial_capacity"]},  # an approval fails no condition
    {"outcome": "refused", "conditions_not_met": ["financial_capacity"]},  # a refusal still gives its reasons
])
def test_a_wrong_use_of_the_conditions_is_422_and_writes_nothing(wired, body):
    app_id = open_one(wired)
    status, problem = post_decision(app_id, body)
    assert status == 422 and problem["errors"]
    assert {e["field"].split(".")[0].split("[")[0] for e in problem["errors"]} & {"conditions_not_met", "reasons"}
    assert wired.publisher.published == []
    assert wired.repo.get_file(app_id).item.decision is None


def test_the_use_case_refuses_conditions_on_an_approval(ports):
    app_id = open_one(ports)
    with pytest.raises(RuleViolation) as raised:
        deciding.decide(ports, partnership(), app_id, "approved", [], "c", conditions_not_met=["mentor_age"])
    assert raised.value.errors[0].field == "conditions_not_met"


def test_a_refusal_without_conditions_still_works_and_carries_none(ports):
    app_id = open_one(ports)
    result = deciding.decide(ports, partnership(), app_id, "refused", ["Onvolledig."], "c")
    assert result["conditions_not_met"] == [] and ports.publisher.published[0].data["conditions_not_met"] == []
