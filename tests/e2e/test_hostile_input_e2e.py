"""Hostile input over HTTP on the local runtime (issue 19): the gateway, the request gate and the
real stores together. The table-driven corpus is tests/unit/hostile; these are the cases where
DynamoDB, SNS or the gateway itself take part."""

from __future__ import annotations

import json

import pytest
from test_intake_applications import Company

pytestmark = pytest.mark.e2e


def send(api, method, path, token, data, **headers):
    all_headers = {"content-type": "application/json", "authorization": f"Bearer {token}", **headers}
    return api.session.request(method, api.url + path, headers=all_headers, data=data, timeout=60)


def is_problem(response, status):
    return (response.status_code == status, response.headers.get("content-type")) == (True, "application/problem+json")


def test_a_draft_is_changed_with_a_merge_patch_and_refused_in_other_json_types(api):
    company = Company(api)
    draft = api.post("/applications", company.token, company.body())
    assert draft.status_code == 201, draft.text
    path = f"/applications/{draft.json()['id']}"
    patched = send(api, "PATCH", path, company.token, json.dumps({"company": {"name": "Nieuw"}}),
                   **{"content-type": "application/merge-patch+json"})
    assert patched.status_code == 200 and patched.json()["company"]["name"] == "Nieuw"
    assert is_problem(send(api, "PATCH", path, company.token, b"[]", **{"content-type": "application/json-patch+json"}),
                      415)
    upper = send(api, "PATCH", path, company.token, json.dumps({"contact": {"name": "Jan"}}),
                 **{"content-type": "APPLICATION/JSON; charset=UTF-8"})
    assert upper.status_code == 200, upper.text


@pytest.mark.parametrize("raw,status", [
    ('{"kind": ' + '[' * 1000 + ']' * 1000 + '}', 400),
    ('{"kind": ' + "9" * 5000 + '}', 400),
    ('[{"kind": "new"}]', 400),
    ('{"kind": "new", "kind": "renewal"}', 400),
])
def test_bodies_that_used_to_answer_500_are_refused_before_the_route(api, raw, status):
    company = Company(api)
    assert is_problem(send(api, "POST", "/applications", company.token, raw.encode()), status)


def test_a_long_path_id_with_an_idempotency_key_is_404_not_a_dynamodb_error(api):
    company = Company(api)
    response = send(api, "POST", f"/applications/{'a' * 2100}/submit", company.token, None,
                    **{"idempotency-key": "k-1"})
    assert is_problem(response, 404)


def test_a_replay_on_dynamodb_goes_to_the_same_identity_only(api):
    company = Company(api)
    body = company.body()
    key = {"idempotency-key": f"replay-{company.enterprise}"}
    sub = f"int-{company.enterprise}"
    mandated = api.token("intermediary", mandates=[company.enterprise], sub=sub)
    first = send(api, "POST", "/applications", mandated, json.dumps(body), **key)
    again = send(api, "POST", "/applications", mandated, json.dumps(body), **key)
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert again.headers["idempotency-replayed"] == "true" and "idempotency-replayed" not in first.headers
    withdrawn = api.token("intermediary", mandates=[], sub=sub)
    refused = send(api, "POST", "/applications", withdrawn, json.dumps(body), **key)
    assert is_problem(refused, 403) and first.json()["id"] not in refused.text


def test_a_support_request_with_an_oversized_correlation_id_still_reaches_its_partnership(api):
    company = Company(api)
    body = {"enterprise_number": company.enterprise, "joint_committee": "302", "topic": "exploratory",
            "message": f"Correlated {company.enterprise}", "contact": {"name": "Jan", "email": "jan@peeters.example"}}
    created = send(api, "POST", "/support-requests", company.token, json.dumps(body), **{"x-correlation-id": "c" * 300})
    assert created.status_code == 201, created.text
    api.settle()
    horeca = api.token("partnership", partnership_id="horeca", sub="horeca-e2e")
    listed = api.get("/review/support-requests", horeca).json()
    assert any(r.get("message") == body["message"] for r in listed), listed[-3:]
