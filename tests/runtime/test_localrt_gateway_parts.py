"""The gateway and the local routes on their own: each gets only the collaborators it needs, so both run
here without moto, workers or a LocalRuntime (fakes stand in for invoke, verify, the clock and the mailbox);
and the runtime binds its port before it starts anything."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from localrt import LocalRuntime, load_template, tokens
from localrt.clock import Clock
from localrt.gateway import Gateway, bind
from localrt.local_routes import LocalRoutes
from localrt.stage import Stage
from localrt.workers import Invocation

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2030, 1, 2, 9, 0, tzinfo=UTC)


class Fakes:
    def __init__(self) -> None:
        self.invoked: list[tuple[str, dict]] = []
        self.activity = 0
        self.advanced: list[tuple[int, float]] = []
        self.settle_error: Exception | None = None

    def invoke(self, logical_id: str, event: dict) -> Invocation:
        self.invoked.append((logical_id, event))
        return Invocation(True, {"statusCode": 200, "body": json.dumps({"path": event["rawPath"]})})

    def verify(self, token: str) -> dict:
        if token != "good":
            raise tokens.InvalidToken("signature mismatch")
        return {"sub": "u-1", "role": "employer", "mandates": ["0403170701", "0123456749"]}

    def touch(self) -> None:
        self.activity += 1

    def advance(self, days: int = 0, seconds: float = 0) -> list[dict]:
        self.advanced.append((days, seconds))
        return [{"schedule": "timers/t1", "event": {"event_name": "ReminderDue"}}]

    def settle(self, timeout: float = 30.0) -> bool:
        if self.settle_error:
            raise self.settle_error
        return True


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


@pytest.fixture
def routes(fakes: Fakes) -> LocalRoutes:
    return LocalRoutes(
        clock=Clock("2030-01-01"),
        token=lambda role, **claims: f"{role}:{','.join(sorted(claims))}",
        advance=fakes.advance,
        settle=fakes.settle,
        mail=lambda include_raw=False: [{"raw": include_raw}],
        oidc=lambda method, path, query, body, headers: (204, {}, path.encode()),
    )


def _json(response: tuple[int, Any, bytes]) -> tuple[int, Any]:
    return response[0], json.loads(response[2]) if response[2] else None


def test_a_local_token_is_minted_with_the_claims_asked_for(routes):
    status, body = _json(
        routes.handle("POST", "/_local/token", "",
                      b'{"role": "employer", "sub": "s", "enterprise_number": "0403170701"}', {})
    )
    assert status == 200 and body == {"token": "employer:enterprise_number,sub"}


def test_a_bad_local_request_is_a_problem_not_an_error(routes):
    assert routes.handle("POST", "/_local/token", "", b"[1]", {})[0] == 400
    assert routes.handle("POST", "/_local/token", "", b"{nope", {})[0] == 400
    status, body = _json(routes.handle("POST", "/_local/token", "", b'{"role": "root"}', {}))
    assert status == 422 and body["errors"][0]["field"] == "role"
    assert routes.handle("DELETE", "/_local/mail", "", b"", {})[0] == 405
    assert routes.handle("GET", "/_local/nothing", "", b"", {})[0] == 404
    status, body = _json(routes.handle("POST", "/_local/clock", "", b'{"advance_days": -1}', {}))
    assert status == 422 and body["errors"][0]["field"] == "advance_days"


def test_the_clock_route_advances_through_its_collaborator_and_reports_what_fired(routes, fakes):
    status, body = _json(routes.handle("POST", "/_local/clock", "", b'{"advance_days": 2}', {}))
    assert status == 200 and body["fired"][0]["schedule"] == "timers/t1" and fakes.advanced == [(2, 0)]
    assert _json(routes.handle("GET", "/_local/clock", "", b"", {}))[1]["now"].startswith("2030-01-01")


def test_settle_and_mail_answer_from_their_collaborators(routes, fakes):
    assert _json(routes.handle("GET", "/_local/mail", "raw=1", b"", {})) == (200, [{"raw": True}])
    assert _json(routes.handle("POST", "/_local/settle", "timeout=1", b"", {}))[1]["settled"] is True
    fakes.settle_error = TimeoutError("ReviewQueue: 1 message(s)")
    status, body = _json(routes.handle("POST", "/_local/settle", "", b"", {}))
    assert status == 504 and body["detail"] == "ReviewQueue: 1 message(s)"


def test_the_openid_paths_go_to_the_provider(routes):
    assert routes.handle("GET", "/_local/oidc/jwks", "", b"", {}) == (204, {}, b"/_local/oidc/jwks")


@pytest.fixture
def gateway(fakes: Fakes, routes: LocalRoutes):
    tpl = load_template(FIXTURES / "template.yaml")
    gw = Gateway(
        bind(0),
        tpl.functions,
        invoke=fakes.invoke,
        verify=fakes.verify,
        now=lambda: NOW,
        on_activity=fakes.touch,
        local=routes.handle,
        stage=Stage(tpl.http_api),
    )
    gw.start()
    yield f"http://127.0.0.1:{gw.port}"
    gw.stop()


def test_the_gateway_invokes_the_routes_function_with_the_verified_claims_as_api_gateway_passes_them(gateway, fakes):
    response = requests.get(gateway + "/things/7", headers={"Authorization": "Bearer good"}, timeout=10)
    assert response.status_code == 200 and response.json() == {"path": "/things/7"}
    ((logical_id, event),) = fakes.invoked
    assert logical_id == "EchoFunction" and event["routeKey"] == "GET /things/{id}"
    assert event["requestContext"]["authorizer"]["jwt"]["claims"]["mandates"] == "[0403170701 0123456749]"
    assert event["requestContext"]["timeEpoch"] == int(NOW.timestamp() * 1000)
    assert fakes.activity == 2  # the request's start and end


def test_the_gateway_refuses_a_token_its_verifier_refuses_without_invoking(gateway, fakes):
    response = requests.get(gateway + "/things/7", headers={"Authorization": "Bearer forged"}, timeout=10)
    assert response.status_code == 401 and response.json()["detail"] == "signature mismatch"
    assert not fakes.invoked


def test_the_gateway_hands_local_paths_to_the_local_routes_outside_the_api_count(gateway, fakes):
    response = requests.post(
        gateway + "/_local/token", json={"role": "partnership", "partnership_id": "mtech"}, timeout=10
    )
    assert response.json() == {"token": "partnership:partnership_id"}
    assert fakes.activity == 0 and not fakes.invoked


def test_a_port_in_use_fails_the_start_before_moto_is_started():
    taken = bind(0)
    try:
        rt = LocalRuntime(template_path=FIXTURES / "template.yaml", port=taken.server_address[1])
        with pytest.raises(OSError):
            rt.start()
        assert not hasattr(rt, "moto")
    finally:
        taken.server_close()
