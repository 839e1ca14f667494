"""GET /notices: who sees which notices, the subject filter, short-lived PDF links."""

import json

import pytest
from notification_support import ENTERPRISE, decided, deliver, routed
from testkit.apigw import http_event

from notification.handlers import api

OTHER_ENTERPRISE = "0202239951"


@pytest.fixture
def filled(ports):
    deliver(ports, routed())
    deliver(ports, decided("refused"))
    deliver(ports, routed("app-2", enterprise_number=OTHER_ENTERPRISE))
    return ports


def get(claims, query=""):
    response = api.app.resolve(http_event("GET", "/notices", claims=claims, query=query, content_type=None), None)
    return response["statusCode"], json.loads(response["body"])


def test_an_employer_sees_its_own_notices_with_five_minute_links(filled):
    status, body = get({"sub": "u", "role": "employer", "enterprise_number": ENTERPRISE})
    assert status == 200
    assert sorted(n["kind"] for n in body) == ["acknowledgement", "refusal"]
    assert [n["issued_at"] for n in body] == sorted((n["issued_at"] for n in body), reverse=True)
    refusal = next(n for n in body if n["kind"] == "refusal")
    assert refusal["subject_id"] == "dec-1" and refusal["appeal_deadline"] == "2027-03-11"
    assert refusal["pdf_url"].endswith("expires_in=300") and refusal["issued_at"].endswith("Z")
    ack = next(n for n in body if n["kind"] == "acknowledgement")
    assert "appeal_deadline" not in ack
    assert set(refusal) >= {"id", "kind", "subject_id", "issued_at", "pdf_url"}


def test_the_subject_filter_keeps_the_notices_about_that_decision(filled):
    status, body = get({"sub": "u", "role": "employer", "enterprise_number": "0403.170.701"}, "subject_id=dec-1")
    assert status == 200 and [n["kind"] for n in body] == ["refusal"]


def test_an_intermediary_sees_the_notices_of_its_mandates_only(filled):
    _, body = get({"sub": "u", "role": "intermediary", "mandates": [OTHER_ENTERPRISE]})
    assert {n["subject_id"] for n in body} == {"app-2"}
    _, body = get({"sub": "u", "role": "intermediary", "mandates": f"[{OTHER_ENTERPRISE} {ENTERPRISE}]"})
    assert len(body) == 3


def test_a_partnership_sees_the_notices_about_its_files(filled):
    _, body = get({"sub": "u", "role": "partnership", "partnership_id": "construction"})
    # the acknowledgements too: the competent partnership sends them once the file is routed to it
    assert sorted(n["subject_id"] for n in body) == ["app-1", "app-2", "dec-1"]
    _, body = get({"sub": "u", "role": "partnership", "partnership_id": "horeca"})
    assert body == []


def test_another_company_sees_nothing(filled):
    _, body = get({"sub": "u", "role": "employer", "enterprise_number": "0207446759"})
    assert body == []


def test_the_appeals_role_may_not_list_notices(filled):
    status, body = get({"sub": "u", "role": "appeals"})
    assert status == 403 and body["status"] == 403
