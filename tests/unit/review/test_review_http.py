import json

import pytest
from review_support import ENTERPRISE, ESTABLISHMENT, TRAINING, routed
from testkit.apigw import http_event

from kernel.idempotency_keys import InMemoryIdempotencyKeys
from review import bootstrap
from review.handlers import api
from review.service import files


@pytest.fixture
def wired(ports, monkeypatch):
    keys = InMemoryIdempotencyKeys()
    monkeypatch.setattr(bootstrap, "ports", lambda: ports)
    monkeypatch.setattr(bootstrap, "register_reader", lambda: ports.repo)
    monkeypatch.setattr(bootstrap, "idempotency_keys", lambda: keys)
    return ports


def call(method, path, body=None, claims=None, query=""):
    response = api.app.resolve(http_event(method, path, body=body, claims=claims or None, query=query), None)
    return response["statusCode"], json.loads(response["body"]) if response.get("body") else None


HORECA = {"sub": "u1", "role": "partnership", "partnership_id": "horeca"}
OTHER = {"sub": "u2", "role": "partnership", "partnership_id": "construction"}
EMPLOYER = {"sub": "u3", "role": "employer", "enterprise_number": ENTERPRISE}


def open_one(ports, **overrides):
    envelope, data = routed("horeca", **overrides)
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
    assert status == 200 and len(body["items"]) == 1 and body["next_cursor"] is None
    assert "mentors" not in body["items"][0] and "80031512361" not in json.dumps(body)


def test_the_register_pages_with_limit_and_cursor(wired):
    for establishment in ("2123456791", "2123456890", "2123456989"):
        app_id = open_one(wired, establishment_number=establishment)
        assert call("POST", f"/review/applications/{app_id}/decision", {"outcome": "approved"}, HORECA)[0] == 201
    status, first = call("GET", "/register", query="limit=2")
    assert status == 200 and len(first["items"]) == 2 and first["next_cursor"]
    status, second = call("GET", "/register", query=f"limit=2&cursor={first['next_cursor']}")
    assert status == 200 and len(second["items"]) == 1 and second["next_cursor"] is None
    listed = [i["recognition_id"] for i in first["items"] + second["items"]]
    assert len(set(listed)) == 3


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "limit=ten", "cursor=nonsense", "cursor="])
def test_a_bad_limit_or_cursor_is_400(wired, query):
    status, body = call("GET", "/register", query=query)
    assert status == 400 and body["status"] == 400


def test_a_cursor_from_other_filters_is_400(wired):
    for establishment in ("2123456791", "2123456890"):
        app_id = open_one(wired, establishment_number=establishment)
        call("POST", f"/review/applications/{app_id}/decision", {"outcome": "approved"}, HORECA)
    first = call("GET", "/register", query="limit=1")[1]
    status, body = call("GET", "/register", query=f"limit=1&postal_code=9000&cursor={first['next_cursor']}")
    assert status == 400 and body["errors"][0]["field"] == "cursor"


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
