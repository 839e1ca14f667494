import json
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Header
from pydantic import BaseModel, ConfigDict, Field
from testkit.apigw import http_event

from kernel.auth import authorized_caller, caller_from_claims, for_roles
from kernel.errors import NotFound
from kernel.http import json_response, make_resolver
from kernel.idempotency_keys import InMemoryIdempotencyKeys, idempotent

logger = Logger(service="test")
app = make_resolver(logger)
keys = InMemoryIdempotencyKeys()
created = []


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=10)
    count: int


@app.post("/things")
@for_roles("employer")
def create_thing(
    body: Annotated[Thing, Body()],
    idempotency_key: Annotated[str | None, Header(alias="idempotency-key")] = None,
) -> Response[Any]:
    caller = authorized_caller(app)

    def create():
        created.append(body.name)
        return json_response(201, {"id": len(created), "name": body.name})

    return idempotent(keys, key=idempotency_key, caller=caller, action="things", body=body.model_dump(),
                      authorise=lambda: None, create=create)


@app.get("/things/<thing_id>")
@for_roles("employer")
def get_thing(thing_id: str) -> Response[Any]:
    authorized_caller(app)
    raise NotFound("No such thing.")


@app.get("/boom")
def boom() -> Response[Any]:
    raise RuntimeError("secret internals")


def request(method, path, body=None, role="employer", headers=None, raw=None):
    claims = {"sub": "u-1", "role": role, "enterprise_number": "0403170701"} if role else None
    response = app.resolve(http_event(method, path, body=body, raw=raw, claims=claims, headers=headers), None)
    return response["statusCode"], json.loads(response["body"]) if response.get("body") else None, response


def test_a_body_that_is_not_json_is_400():
    status, body, response = request("POST", "/things", raw="{nope")
    assert status == 400
    assert response["headers"]["Content-Type"] == "application/problem+json"
    assert body["status"] == 400 and body["title"] == "Bad Request"


def test_a_body_that_is_not_an_object_is_400():
    status, body, _ = request("POST", "/things", body=[1, 2])
    assert status == 400


def test_every_failing_field_is_listed_with_a_code():
    status, body, _ = request("POST", "/things", body={"name": "", "extra": 1})
    assert status == 422
    fields = {(e["field"], e["code"]) for e in body["errors"]}
    assert fields == {("name", "too_short"), ("count", "required"), ("extra", "unknown_field")}


def test_the_role_is_checked_before_the_body():
    status, body, _ = request("POST", "/things", body={"bad": True}, role="partnership")
    assert status == 403


def test_domain_errors_become_problems():
    status, body, _ = request("GET", "/things/1")
    assert status == 404 and body["detail"] == "No such thing."


def test_an_unknown_route_is_a_404_problem():
    status, body, _ = request("GET", "/nothing-here")
    assert status == 404 and body["type"].endswith("not-found")


def test_an_unexpected_error_is_a_500_without_internals():
    status, body, _ = request("GET", "/boom")
    assert status == 500
    assert "secret" not in json.dumps(body)


def test_the_same_idempotency_key_and_body_replays_the_response():
    created.clear()
    first = request("POST", "/things", body={"name": "a", "count": 1}, headers={"idempotency-key": "k1"})
    second = request("POST", "/things", body={"name": "a", "count": 1}, headers={"idempotency-key": "k1"})
    assert first[0] == second[0] == 201
    assert first[1] == second[1]
    assert created == ["a"]
    assert "Idempotency-Replayed" not in first[2]["headers"]
    assert second[2]["headers"]["Idempotency-Replayed"] == "true"


def test_a_malformed_idempotency_key_is_400():
    for key in ("k" * 256, "sl\u00e9utel"):
        status, body, _ = request("POST", "/things", body={"name": "a", "count": 1}, headers={"idempotency-key": key})
        assert status == 400 and body["errors"][0]["field"] == "idempotency-key"


def test_the_caller_identity_tells_apart_tokens_that_share_a_sub():
    one = caller_from_claims({"sub": "s", "role": "intermediary", "mandates": ["0403170701"]})
    other = caller_from_claims({"sub": "s", "role": "intermediary", "mandates": ["0123456749"]})
    employer = caller_from_claims({"sub": "s", "role": "employer", "enterprise_number": "0403170701"})
    assert len({one.tenant(), other.tenant(), employer.tenant()}) == 3
    assert one.tenant() == caller_from_claims({"sub": "s", "role": "intermediary", "mandates": "[0403170701]"}).tenant()


def test_the_same_idempotency_key_with_another_body_is_422():
    request("POST", "/things", body={"name": "b", "count": 1}, headers={"idempotency-key": "k2"})
    status, body, _ = request("POST", "/things", body={"name": "c", "count": 1}, headers={"idempotency-key": "k2"})
    assert status == 422


def test_list_claims_flattened_by_api_gateway_are_read():
    caller = caller_from_claims({"sub": "s", "role": "intermediary", "mandates": "[0403170701 0403.170.701]"})
    assert caller.mandates == frozenset({"0403170701"})
    assert caller.may_act_for("0403170701")
    assert not caller.may_act_for("0123456749")


def test_a_form_encoded_body_is_refused_with_415_before_any_field_check():
    from kernel.http import resolve

    event = http_event("POST", "/things", raw='{"name": "a", "count": 1}',
                       content_type="application/x-www-form-urlencoded")
    response = resolve(app, event, None)
    assert response["statusCode"] == 415
    assert json.loads(response["body"])["status"] == 415


def test_a_json_body_that_is_not_utf8_is_malformed_not_a_server_error():
    from kernel.http import resolve

    response = resolve(app, http_event("POST", "/things", raw=b'{"name": "\xff"}'), None)
    assert response["statusCode"] == 400
    assert json.loads(response["body"])["type"].endswith("malformed-body")
