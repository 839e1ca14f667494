import json

import pytest
from review_support import ENTERPRISE, ESTABLISHMENT, TRAINING, routed
from testkit.apigw import http_event

from kernel.idempotency_keys import InMemoryIdempotencyKeys
from review import bootstrap
from review.handlers import api
from review.usecases import files


@pytest.fixture
def wired(ports):
    bootstrap.override(ports, idempotency_keys=InMemoryIdempotencyKeys())
    yield ports
    bootstrap.reset()


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
    [rec] = recs["items"]
    assert rec["status"] == "revoked" and rec["mentors"][0]["national_register_number"] == "800315*****"


def test_the_queue_gives_days_left_and_overdue_only_on_open_files(wired, at):
    open_id, decided_id = open_one(wired), open_one(wired)
    assert call("POST", f"/review/applications/{decided_id}/decision", {"outcome": "approved"}, HORECA)[0] == 201
    at.advance(days=30)
    _, queue = call("GET", "/review/queue", claims=HORECA)
    by_id = {f["application_id"]: f for f in queue}
    assert by_id[open_id]["days_left"] == -16 and by_id[open_id]["overdue"] is True
    assert by_id[decided_id]["days_left"] is None and by_id[decided_id]["overdue"] is None


def _appeal_event(name, **data):
    from kernel.events import AppealAdmissibilityDecidedV1, AppealDecidedV1, AppealLodgedV1
    from kernel.publisher import envelope_for
    from review.handlers.events import HANDLERS

    model = {"AppealLodged": AppealLodgedV1, "AppealAdmissibilityDecided": AppealAdmissibilityDecidedV1,
             "AppealDecided": AppealDecidedV1}[name].model_validate(data)
    HANDLERS[name](envelope_for(model, source="appeal", correlation_id="c"), model)


def test_the_queue_follows_an_appeal_to_its_outcome_and_the_recognition_it_granted(wired, at):
    from kernel import clock

    app_id = open_one(wired)
    _, refused = call("POST", f"/review/applications/{app_id}/decision",
                      {"outcome": "refused", "reasons": ["No mentor."]}, HORECA)
    common = {"appeal_id": "ap-1", "subject_id": refused["decision_id"], "enterprise_number": ENTERPRISE}
    _appeal_event("AppealLodged", **common, subject_kind="decision", grounds="He has ten years.",
                  lodged_at=clock.now(), acknowledgement_due=clock.today(), status="lodged")
    [item] = call("GET", "/review/queue", claims=HORECA)[1]
    assert item["appeal"]["status"] == "lodged" and item["appeal"]["outcome"] is None
    _appeal_event("AppealAdmissibilityDecided", **common, admissible=True, decided_at=clock.now())
    assert call("GET", "/review/queue", claims=HORECA)[1][0]["appeal"]["status"] == "admissible"
    _appeal_event("AppealDecided", **common, subject_kind="decision", outcome="upheld", reasons=["Shown."],
                  decided_at=clock.now())
    [item] = call("GET", "/review/queue", claims=HORECA)[1]
    assert item["status"] == "refused" and item["appeal"]["status"] == "upheld"
    assert item["appeal"]["outcome"] == "upheld" and item["appeal"]["recognition_id"]
    status, rec = call("GET", f"/review/recognitions/{item['appeal']['recognition_id']}", claims=HORECA)
    assert status == 200 and rec["appeal_id"] == "ap-1" and rec["status"] == "active"
    _, file = call("GET", f"/review/applications/{app_id}", claims=HORECA)
    assert file["appeal"] == item["appeal"]


def test_a_dismissed_appeal_shows_on_the_file_and_grants_nothing(wired):
    from kernel import clock

    app_id = open_one(wired)
    _, refused = call("POST", f"/review/applications/{app_id}/decision",
                      {"outcome": "refused", "reasons": ["No mentor."]}, HORECA)
    _appeal_event("AppealDecided", appeal_id="ap-2", subject_id=refused["decision_id"], subject_kind="decision",
                  enterprise_number=ENTERPRISE, outcome="dismissed", decided_at=clock.now())
    # the lodging arrives late: the appeal does not move back
    _appeal_event("AppealLodged", appeal_id="ap-2", subject_id=refused["decision_id"], subject_kind="decision",
                  enterprise_number=ENTERPRISE, grounds="g", lodged_at=clock.now(),
                  acknowledgement_due=clock.today(), status="lodged")
    [item] = call("GET", "/review/queue", claims=HORECA)[1]
    assert item["appeal"]["status"] == "dismissed" and item["appeal"]["outcome"] == "dismissed"
    assert item["appeal"]["recognition_id"] is None and item["appeal"]["lodged_at"] is not None
    assert call("GET", "/review/recognitions", claims=HORECA)[1]["items"] == []


def test_recognitions_come_in_pages_with_a_cursor_and_one_by_id(wired):
    granted = []
    for establishment in ("2123456791", "2123456890", "2123456989"):
        app_id = open_one(wired, establishment_number=establishment)
        granted.append(call("POST", f"/review/applications/{app_id}/decision", {"outcome": "approved"}, HORECA)[1])
    status, first = call("GET", "/review/recognitions", claims=HORECA, query="limit=2")
    assert status == 200 and len(first["items"]) == 2 and first["next_cursor"]
    _, second = call("GET", "/review/recognitions", claims=HORECA, query=f"limit=2&cursor={first['next_cursor']}")
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    listed = {r["recognition_id"] for r in first["items"] + second["items"]}
    assert listed == {g["recognition_id"] for g in granted}
    assert call("GET", "/review/recognitions", claims=HORECA, query="status=revoked")[1]["items"] == []
    assert call("GET", "/review/recognitions", claims=HORECA, query=f"status=revoked&cursor={first['next_cursor']}"
                )[0] == 400
    status, one = call("GET", f"/review/recognitions/{granted[0]['recognition_id']}", claims=HORECA)
    assert status == 200 and one["recognition_id"] == granted[0]["recognition_id"]
    assert call("GET", f"/review/recognitions/{granted[0]['recognition_id']}", claims=OTHER)[0] == 404
    assert call("GET", "/review/recognitions/nope", claims=HORECA)[0] == 404
    status, mine = call("GET", "/review/recognitions", claims=HORECA, query="enterprise_number=0403.170.701&limit=2")
    assert status == 200 and len(mine["items"]) == 2 and mine["next_cursor"]
    _, rest = call("GET", "/review/recognitions", claims=HORECA,
                   query=f"enterprise_number=0403170701&limit=2&cursor={mine['next_cursor']}")
    assert {r["recognition_id"] for r in mine["items"] + rest["items"]} == listed and rest["next_cursor"] is None
    assert call("GET", "/review/recognitions", claims=HORECA, query="enterprise_number=0403170702")[0] == 400
    assert call("GET", "/review/recognitions", claims=OTHER, query="enterprise_number=0403170701")[1]["items"] == []
