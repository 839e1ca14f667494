"""The local runtime's parts that need no AWS: the template loader (on the real template and the
fixture), route matching, tokens, Lambda's batch-failure rules and schedule expressions."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from localrt import load_template, tokens
from localrt.cfn_yaml import CfnLoader, load_yaml, load_yaml_text
from localrt.clock import Clock
from localrt.gateway import Router
from localrt.pollers import failed_message_ids
from localrt.scheduler import due_time
from localrt.template import SqsEventSource
from localrt.workers import Invocation, function_environment

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def real():
    return load_template(ROOT / "infra" / "template.yaml")


def test_the_real_template_yields_the_fourteen_functions_with_their_handlers(real):
    handlers = {f.logical_id: f.handler for f in real.functions}
    assert handlers == {
        "ApiDocsFunction": "apidocs.handler.handler",
        "IntakeApiFunction": "intake.handlers.api.handler",
        "IntakeEventsFunction": "intake.handlers.events.handler",
        "RoutingApiFunction": "routing.handlers.api.handler",
        "RoutingEventsFunction": "routing.handlers.events.handler",
        "ReviewApiFunction": "review.handlers.api.handler",
        "ReviewEventsFunction": "review.handlers.events.handler",
        "NotificationApiFunction": "notification.handlers.api.handler",
        "NotificationEventsFunction": "notification.handlers.events.handler",
        "NotificationMailEventsFunction": "notification.handlers.mail_events.handler",
        "RegisterFunction": "review.handlers.api.handler",
        "AppealApiFunction": "appeal.handlers.api.handler",
        "AppealEventsFunction": "appeal.handlers.events.handler",
        "PortalFunction": "portal.handlers.api.handler",
    }
    assert {f.code_dir for f in real.functions} == {ROOT / "services"}


def test_the_real_template_routes_are_public_only_where_they_opt_out(real):
    routes = {(r.method, r.path): (f.logical_id, r.public) for f in real.functions for r in f.http_routes}
    assert routes[("GET", "/health")] == ("ApiDocsFunction", True)
    assert routes[("GET", "/trainings")] == ("RoutingApiFunction", True)
    assert routes[("GET", "/register/verify")] == ("RegisterFunction", True)
    # Methods named, never ANY: a browser's preflight (OPTIONS) must not reach the JWT authorizer.
    for method in ("GET", "POST", "PATCH", "DELETE"):
        assert routes[(method, "/applications/{proxy+}")] == ("IntakeApiFunction", False)
    assert routes[("POST", "/support-requests")] == ("IntakeApiFunction", False)
    assert routes[("POST", "/review/{proxy+}")] == ("ReviewApiFunction", False)
    assert routes[("GET", "/notices")] == ("NotificationApiFunction", False)
    assert routes[("POST", "/appeals")] == ("AppealApiFunction", False)
    assert not [key for key in routes if key[0] == "ANY"]
    public = sorted(path for (_, path), (_, is_public) in routes.items() if is_public)
    # The portal's pages are public at the gateway: the portal checks its own session cookie.
    assert routes[("GET", "/")] == ("PortalFunction", True)
    assert routes[("POST", "/portal/{proxy+}")] == ("PortalFunction", True)
    assert sorted(set(public)) == ["/", "/docs", "/docs/{asset}", "/health", "/openapi.json", "/partnerships",
                                   "/portal/{proxy+}", "/register", "/register/verify", "/trainings"]


def test_the_real_template_maps_each_events_function_to_its_queue(real):
    mappings = {f.logical_id: [(e.queue_logical_id, e.batch_size, e.reports_batch_item_failures)
                               for e in f.sqs_events] for f in real.functions if f.sqs_events}
    assert mappings == {
        "IntakeEventsFunction": [("IntakeQueue", 10, True)],
        "RoutingEventsFunction": [("RoutingQueue", 10, True)],
        "ReviewEventsFunction": [("ReviewQueue", 10, True)],
        "NotificationEventsFunction": [("NotificationQueue", 10, True)],
        "NotificationMailEventsFunction": [("MailEventQueue", 10, True)],
        "AppealEventsFunction": [("AppealQueue", 10, True)],
    }
    assert sorted(q.name for q in real.consumer_queues) == [
        "AppealQueue", "IntakeQueue", "MailEventQueue", "NotificationQueue", "ReviewQueue", "RoutingQueue"]


def test_the_real_template_resolves_what_functions_and_moto_need(real):
    review = real.function("ReviewEventsFunction")
    assert review.env["TABLE_NAME"] == "ReviewTable"
    assert review.env["EVENT_TOPIC_ARN"] == "arn:aws:sns:eu-west-1:123456789012:EventTopic"  # from Globals
    assert review.env["TIMER_QUEUE_ARN"] == "arn:aws:sqs:eu-west-1:123456789012:ReviewQueue"
    assert review.env["SCHEDULE_GROUP"] == "TimerScheduleGroup"
    assert real.function("NotificationEventsFunction").memory_size == 512
    assert real.function("IntakeApiFunction").env["DOCUMENTS_BUCKET"] == "documentsbucket"
    assert real.authorizer.issuer == "localrt" and real.authorizer.audience == ["leerwerkplek-local"]
    assert {t.name: t.ttl_attribute for t in real.tables}["IntakeTable"] == "expires_at"
    assert all(q.redrive_policy["maxReceiveCount"] == 5 for q in real.consumer_queues)
    # The operator's alarm mail is the one subscription that is not a queue (not delivered locally).
    assert [s.logical_id for s in real.subscriptions if s.protocol != "sqs"] == ["OperatorAlarmSubscription"]
    subscribed = {s.endpoint.rsplit(":", 1)[1] for s in real.subscriptions if s.protocol == "sqs"}
    assert {"RoutingQueue", "IntakeQueue", "ReviewQueue", "NotificationQueue", "AppealQueue"} <= subscribed
    routing = next(s for s in real.subscriptions if s.logical_id == "RoutingSubscription")
    assert routing.filter_policy == {"event_name": ["ApplicationSubmitted", "SupportRequested"]}
    assert routing.raw_message_delivery and routing.filter_policy_scope == "MessageAttributes"


def test_short_tags_read_as_the_long_form_cloudformation_stores():
    doc = load_yaml_text("A: !GetAtt Queue.Arn\nB: !Ref Topic\nC: !Sub 'log-${Fn}'\nD: !If [IsProd, 1, 2]\n"
                         "E: !Condition HasMail\nF: !Join ['', [a, !Ref P]]\n")
    assert doc == {"A": {"Fn::GetAtt": ["Queue", "Arn"]}, "B": {"Ref": "Topic"}, "C": {"Fn::Sub": "log-${Fn}"},
                   "D": {"Fn::If": ["IsProd", 1, 2]}, "E": {"Condition": "HasMail"},
                   "F": {"Fn::Join": ["", ["a", {"Ref": "P"}]]}}


def test_the_template_is_parsed_by_libyaml_where_pyyaml_has_it():
    # The pure-Python scanner took ~0.19 s per read of the template; libyaml ~0.03 s.
    assert yaml.__with_libyaml__, "PyYAML's wheels carry libyaml"
    assert issubclass(CfnLoader, yaml.CSafeLoader)


def test_every_reader_of_a_yaml_file_gets_a_document_of_its_own_as_the_file_reads_now(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text("Resources:\n  Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: !Ref Name}}\n")
    first = load_yaml(path)
    first["Resources"]["Topic"]["Properties"]["TopicName"] = "changed"
    assert load_yaml(path) == {"Resources": {"Topic": {"Type": "AWS::SNS::Topic",
                                                       "Properties": {"TopicName": {"Ref": "Name"}}}}}
    path.write_text("Resources: {}\n")
    assert load_yaml(path) == {"Resources": {}}


def test_resources_the_runtime_does_not_model_are_skipped_unresolved(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n"
                    "  Alarm: {Type: AWS::CloudWatch::Alarm, Properties: {Value: !FindInMap [M, a, b]}}\n")
    tpl = load_template(path)
    assert [t.name for t in tpl.topics] == ["Topic"] and not tpl.functions


def test_settle_waits_only_on_queues_a_function_consumes():
    tpl = load_template(FIXTURES / "template.yaml")
    assert sorted(q.name for q in tpl.consumer_queues) == ["QueueA", "QueueB"]


def test_a_true_condition_keeps_the_resource():
    tpl = load_template(FIXTURES / "template.yaml", {"AlarmEmail": "ops@example.test"})
    assert [s.protocol for s in tpl.subscriptions].count("email") == 1


def test_the_function_environment_is_the_templates_plus_lambdas(monkeypatch):
    monkeypatch.setenv("LOCALRT_FAULTS", "intake:1")
    monkeypatch.setenv("SOMETHING_ELSE", "no")
    fn = load_template(FIXTURES / "template.yaml").function("ConsumerAFunction")
    env = function_environment(fn, "http://127.0.0.1:1")
    assert env["LOCALRT_FAULTS"] == "intake:1" and "SOMETHING_ELSE" not in env
    assert env["CONSUMER"] == "A" and env["MAIL_SENDER"] == "sender@fixture.example"
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:1" and env["AWS_REGION"] == "eu-west-1"
    assert env["_HANDLER"] == "consumer.handler"


@pytest.mark.parametrize("outside", [None, "", "1"])
def test_a_worker_never_writes_bytecode_whatever_the_runtimes_own_process_does(monkeypatch, outside):
    # /var/task is read-only on Lambda; make test lets the test processes write theirs.
    if outside is None:
        monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    else:
        monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", outside)
    fn = load_template(FIXTURES / "template.yaml").function("ConsumerAFunction")
    assert function_environment(fn, "http://127.0.0.1:1")["PYTHONDONTWRITEBYTECODE"] == "1"


# --------------------------------------------------------------------------- routing


def test_routes_match_like_api_gateway(real):
    router = Router(real.functions)

    def key(method, path):
        found = router.match(method, path)
        return (found[0].route.route_key, found[1]) if found else None

    assert key("GET", "/applications") == ("GET /applications", {})
    assert key("POST", "/applications/abc/submit") == ("POST /applications/{proxy+}", {"proxy": "abc/submit"})
    assert key("OPTIONS", "/applications/abc") is None  # the CORS preflight, answered by the gateway
    assert key("GET", "/register/verify") == ("GET /register/verify", {})
    assert key("POST", "/register") is None  # GET only
    assert key("GET", "/review") is None  # {proxy+} needs a segment
    assert key("GET", "/nowhere") is None


# --------------------------------------------------------------------------- tokens


def test_a_token_verifies_and_its_claims_reach_lambda_as_strings():
    signer = tokens.Signer("localrt", ["leerwerkplek-local"])
    now = time.time()
    token = signer.mint(now, "intermediary", mandates=["1", "2"])
    claims = signer.verify(token, now)
    assert tokens.claims_as_api_gateway_passes_them(claims)["mandates"] == "[1 2]"
    assert isinstance(tokens.claims_as_api_gateway_passes_them(claims)["exp"], str)
    with pytest.raises(tokens.InvalidToken):
        signer.verify(token, now + tokens.DEFAULT_TTL_SECONDS + 1)
    with pytest.raises(tokens.InvalidToken):
        tokens.Signer("localrt", ["leerwerkplek-local"]).verify(token, now)  # another key
    with pytest.raises(tokens.InvalidToken):
        signer.verify(token[:-2] + "xx", now)
    with pytest.raises(tokens.InvalidToken):
        signer.verify(signer.mint(now + 3600, "appeals"), now)  # issued in the future


# --------------------------------------------------------------------------- batch failures


@pytest.mark.parametrize("result, failed", [
    ({"batchItemFailures": []}, set()),
    (None, set()),
    ({}, set()),
    ({"batchItemFailures": [{"itemIdentifier": "b"}]}, {"b"}),
    ({"batchItemFailures": [{"itemIdentifier": ""}]}, {"a", "b"}),
    ({"batchItemFailures": [{"itemIdentifier": "zzz"}]}, {"a", "b"}),
    ({"batchItemFailures": [{"wrong": "b"}]}, {"a", "b"}),
    ("not a dict", {"a", "b"}),
])
def test_batch_item_failures_follow_lambdas_rules(result, failed):
    source = SqsEventSource("arn", "Q", 10, ("ReportBatchItemFailures",))
    assert failed_message_ids(source, Invocation(True, result), ["a", "b"]) == failed


def test_without_report_batch_item_failures_only_an_error_keeps_the_batch():
    source = SqsEventSource("arn", "Q", 10, ())
    assert failed_message_ids(source, Invocation(True, {"batchItemFailures": [{"itemIdentifier": "a"}]}),
                              ["a", "b"]) == set()
    assert failed_message_ids(source, Invocation(False, error_type="X"), ["a", "b"]) == {"a", "b"}


# --------------------------------------------------------------------------- time


def test_at_expressions_are_read_in_their_time_zone():
    assert due_time("at(2030-03-01T09:00:00)", "Europe/Brussels") == datetime(2030, 3, 1, 8, 0, tzinfo=UTC)
    assert due_time("at(2030-07-01T09:00:00)", None) == datetime(2030, 7, 1, 9, 0, tzinfo=UTC)
    assert due_time("rate(5 minutes)", None) is None


def test_the_clock_starts_where_asked_and_only_moves_forward():
    clock = Clock("2030-01-01")
    assert clock.now().date().isoformat() == "2030-01-01"
    before = time.time()
    clock.advance(86400)
    assert clock.now().date().isoformat() == "2030-01-02"
    assert clock.at_real(before).date().isoformat() == "2030-01-01"
    with pytest.raises(ValueError):
        clock.advance(-1)
