import json

import pytest
from review_support import ENTERPRISE, ESTABLISHMENT, TRAINING, routed

from kernel.idempotency_keys import InMemoryIdempotencyKeys
from review import bootstrap
from review.handlers import api
from review.service import files


@pytest.fixture
def wired(ports, monkeypatch):
    keys = InMemoryIdempotencyKeys()
    monkeypatch.setattr(bootstrap, "ports", lambda: ports)
    monkeypatch.setattr(bootstrap, "idempotency_keys", lambda: keys)
    return ports


def call(method, path, body=None, claims=None, query=""):
    event = {
        "version": "2.0", "routeKey": f"{method} {path}", "rawPath": path, "rawQueryString": query,
        "queryStringParameters": dict(p.split("=", 1) for p in query.split("&")) if query else None,
        "headers": {"content-type": "application/json"},
        "requestContext": {
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "1.1.1.1", "userAgent": "t"},
            "requestId": "r-1", "routeKey": f"{method} {path}", "stage": "$default",
            "authorizer": {"jwt": {"claims": claims, "scopes": None}} if claims else None,
        },
        "body": json.dumps(body) if body is not None else None, "isBase64Encoded": False,
    }
    response = api.app.resolve(event, None)
    return response["statusCode"], json.loads(response["body"]) if response.get("body") else None


HORECA = {"sub": "u1", "role": "partnership", "partnership_id": "horeca"}
OTHER = {"sub": "u2", "role": "partnership", "partnership_id": "construction"}
EMPLOYER = {"sub": "u3", "role": "employer", "enterprise_number": ENTERPRISE}


def open_one(ports):
    envelope, data = routed("horeca")
    files.open_file(ports, envelope, data)
    return data.application_id


def test_an_employer_may_not_use_the_review_routes_even_with_a_bad_body(wired):
    app_id = open_one(wired)
    assert call("POST", f"/review/applications/{app_id}/decision", {"nope": 1}, EMPLOYER)[0] == 403
    assert call("GET", "/review/queue", claims=EMPLOYER)[0] == 403


def test_the_decision_route_answers_201_then_409(wired):
    app_id = open_one(wired)
    status, body = call("POST", f"/review/applications/{app_id}/decision", {"outcome": "approved"}, HORECA)
    assert status == 201 and body["outcome"] == "approved" and body["recognition_id"]
    assert call("POST", f"/review/applications/{app_id}/decision", {"outcome": "approved"}, HORECA)[0] == 409


def test_another_partnership_gets_404_before_the_body_is_judged(wired):
    app_id = open_one(wired)
    assert call("POST", f"/review/applications/{app_id}/decision", {"outcome": "refused"}, OTHER)[0] == 404
    assert call("GET", f"/review/applications/{app_id}", claims=OTHER)[0] == 404


def test_a_refusal_without_reasons_is_422_with_the_field(wired):
    app_id = open_one(wired)
    status, body = call("POST", f"/review/applications/{app_id}/decision", {"outcome": "refused"}, HORECA)
    assert status == 422 and body["errors"][0]["field"] == "reasons"


def test_an_unknown_queue_status_is_400(wired):
    assert call("GET", "/review/queue", claims=HORECA, query="status=lost")[0] == 400
    assert call("GET", "/review/queue", claims=HORECA, query="status=in_review")[0] == 200


def test_the_register_is_public_and_hides_mentors(wired):
    app_id = open_one(wired)
    call("POST", f"/review/applications/{app_id}/decision", {"outcome": "approved"}, HORECA)
    status, body = call("GET", "/register", query="enterprise_number=0403.170.701")
    assert status == 200 and len(body) == 1
    assert "mentors" not in body[0] and "80031512361" not in json.dumps(body)


def test_verify_accepts_dotted_numbers_and_rejects_bad_ones(wired):
    query = f"enterprise_number=0403.170.701&establishment_number=2.123.456.791&training_code={TRAINING}"
    status, body = call("GET", "/register/verify", query=query)
    assert status == 200 and body["recognized"] is False and body["status"] == "none"
    assert call("GET", "/register/verify", query=query.replace("0403.170.701", "0403170702"))[0] == 400
    assert call("GET", "/register/verify", query=query + "&on=2026-13-01")[0] == 400
    assert call("GET", "/register/verify", query=f"enterprise_number={ENTERPRISE}")[0] == 400
    assert call("GET", "/register", query="postal_code=abc")[0] == 400
    assert ESTABLISHMENT


def test_measures_take_the_fields_of_their_type(wired):
    app_id = open_one(wired)
    _, decided = call("POST", f"/review/applications/{app_id}/decision", {"outcome": "approved"}, HORECA)
    path = f"/review/recognitions/{decided['recognition_id']}/measures"
    assert call("POST", path, {"type": "exclusion", "reason": "r"}, HORECA)[0] == 422
    status, body = call(
        "POST", path, {"type": "exclusion", "reason": "Fraud.", "scope": "enterprise", "until": None}, HORECA
    )
    assert status == 201 and body["appealable"] is True and body["details"]["until"] is None
    status, recs = call("GET", "/review/recognitions", claims=HORECA)
    assert recs[0]["status"] == "revoked" and recs[0]["mentors"][0]["national_register_number"] == "800315*****"
