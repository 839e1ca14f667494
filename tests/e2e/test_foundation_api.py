"""The local runtime serves the API as the template declares it, with the authorizer's checks."""

import base64
import json


def test_health_answers_ok_without_a_token(api):
    response = api.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_openapi_document_covers_every_service(api):
    document = api.get("/openapi.json").json()
    paths = set(document["paths"])
    assert {"/health", "/trainings", "/partnerships"} <= paths
    assert any(p.startswith("/applications") for p in paths)
    assert any(p.startswith("/review") for p in paths)
    assert any(p.startswith("/appeals") for p in paths)
    assert "/notices" in paths


def test_docs_serves_swagger_ui_from_this_origin_only(api):
    response = api.get("/docs")
    assert response.status_code == 200
    assert "swagger-ui" in response.text and "http" not in response.text  # no external URL
    assert "default-src 'none'" in response.headers["content-security-policy"]
    for asset, kind in (("swagger-ui-bundle.js", "text/javascript"), ("swagger-ui.css", "text/css"),
                        ("swagger-init.js", "text/javascript")):
        served = api.get(f"/docs/{asset}")
        assert served.status_code == 200 and served.headers["content-type"].startswith(kind), asset
    assert "openapi.json" in api.get("/docs/swagger-init.js").text
    assert api.get("/docs/nothing.js").status_code == 404


def test_a_token_from_the_local_issuer_opens_a_protected_route(api):
    token = api.token("employer", enterprise_number="0403170701")
    response = api.get("/applications", token)
    assert response.status_code == 200


def test_no_token_is_401(api):
    response = api.get("/applications")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_forged_token_is_401(api):
    token = api.token("employer", enterprise_number="0403170701")
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["enterprise_number"] = "0123456749"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    response = api.get("/applications", f"{header}.{forged_payload}.{signature}")
    assert response.status_code == 401


def test_the_wrong_role_is_403(api):
    token = api.token("appeals")
    response = api.get("/review/queue", token)
    assert response.status_code == 403
    assert response.json()["status"] == 403


def test_an_unknown_path_is_a_404_problem(api):
    response = api.get("/no/such/route")
    assert response.status_code == 404
