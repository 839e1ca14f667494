"""What an operator needs of the template on AWS (issue 18): data that survives the stack, alarms that
reach someone, timers that are never dropped, least privilege, bounded capacity, CORS for the portal."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from test_template import TEMPLATE
from test_template import template as _parse

from localrt.iam import execution_roles

ROOT = Path(__file__).resolve().parents[2]
FOURTEEN_DAYS = 1209600
STATEFUL = {"AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::Logs::LogGroup",
            "AWS::Scheduler::ScheduleGroup", "AWS::SecretsManager::Secret", "AWS::KMS::Key"}


@cache
def template() -> dict:
    """The template, parsed once for the module (nothing here changes it)."""
    return _parse()


def resources(kind: str | None = None) -> dict[str, dict]:
    found = template()["Resources"]
    return {name: r for name, r in found.items() if kind is None or r["Type"] == kind}


def functions() -> dict[str, dict]:
    return resources("AWS::Serverless::Function")


@cache
def roles() -> dict[str, Any]:
    return execution_roles(TEMPLATE)


def statements(function: str) -> list[dict]:
    return roles()[function].statements()


def actions(statement: dict) -> list[str]:
    value = statement.get("Action", [])
    return [value] if isinstance(value, str) else list(value)


def allowed(function: str) -> set[str]:
    return {a for s in statements(function) if s.get("Effect") == "Allow" for a in actions(s)}


def refs(value: Any) -> set[str]:
    """Logical ids a value names with Ref, GetAtt or inside a Sub."""
    if isinstance(value, dict):
        if "Ref" in value:
            return {value["Ref"]}
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            return {(target.split(".")[0] if isinstance(target, str) else target[0])}
        if "Fn::Sub" in value:
            sub = value["Fn::Sub"]
            text = sub if isinstance(sub, str) else sub[0]
            return {m.split(".")[0] for m in re.findall(r"\$\{([^}]+)\}", text)}
        return set().union(*(refs(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(refs(v) for v in value)) if value else set()
    return set()


# ---------------------------------------------------------------------- data that survives the stack


# cfn-lint's informational retention checks (I3011, I3013): test_template.py runs cfn-lint once for both.


def test_every_stateful_resource_is_retained_on_delete_and_on_replacement():
    stateful = {name: r for name, r in resources().items() if r["Type"] in STATEFUL}
    assert len(stateful) > 40
    for name, r in stateful.items():
        assert r.get("DeletionPolicy") == "Retain" and r.get("UpdateReplacePolicy") == "Retain", name


def test_every_table_is_protected_from_deletion():
    for name, table in resources("AWS::DynamoDB::Table").items():
        assert table["Properties"].get("DeletionProtectionEnabled") is True, name


def test_every_queue_keeps_its_messages_fourteen_days():
    for name, queue in resources("AWS::SQS::Queue").items():
        assert queue["Properties"].get("MessageRetentionPeriod") == FOURTEEN_DAYS, name


# ---------------------------------------------------------------------- alarms that arrive


def test_the_alarm_topic_is_encrypted_with_a_key_cloudwatch_may_use():
    topic = resources()["OperatorAlarmTopic"]["Properties"]
    [key] = refs(topic["KmsMasterKeyId"])
    policy = resources("AWS::KMS::Key")[key]["Properties"]["KeyPolicy"]
    for_cloudwatch = [
        s for s in policy["Statement"] if s.get("Principal", {}).get("Service") == "cloudwatch.amazonaws.com"
    ]
    assert for_cloudwatch and {"kms:Decrypt", "kms:GenerateDataKey*"} <= {a for s in for_cloudwatch for a in actions(s)}
    assert resources()["OperatorAlarmKey"]["Properties"].get("EnableKeyRotation") is True


def test_the_operator_address_is_required_and_subscribed():
    assert "Default" not in template()["Parameters"]["AlarmEmail"]
    subscription = resources()["OperatorAlarmSubscription"]
    assert "Condition" not in subscription and subscription["Properties"]["Protocol"] == "email"


def test_every_alarm_notifies_the_operator_of_alarm_and_recovery():
    alarms = resources("AWS::CloudWatch::Alarm")
    for name, alarm in alarms.items():
        props = alarm["Properties"]
        assert props["AlarmActions"] == [{"Ref": "OperatorAlarmTopic"}], name
        assert props["OKActions"] == [{"Ref": "OperatorAlarmTopic"}], name


def _alarmed(metric: str, dimension: str) -> set[str]:
    """Logical ids named in the given dimension of the alarms on that metric."""
    found = set()
    for alarm in resources("AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props.get("MetricName") == metric:
            for d in props.get("Dimensions", []):
                if d["Name"] == dimension:
                    found |= refs(d["Value"])
    return found


def test_every_dead_letter_queue_has_an_alarm():
    queues = resources("AWS::SQS::Queue")
    dlqs = {
        refs(q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]).pop()
        for q in queues.values()
        if "RedrivePolicy" in q["Properties"]
    } | {"TimerDeadLetterQueue"}
    assert dlqs <= _alarmed("ApproximateNumberOfMessagesVisible", "QueueName")


def test_every_queue_has_an_alarm_on_the_age_of_its_oldest_message():
    queues = {name for name, q in resources("AWS::SQS::Queue").items() if "RedrivePolicy" in q["Properties"]}
    assert queues <= _alarmed("ApproximateAgeOfOldestMessage", "QueueName")


def test_every_function_has_an_error_and_a_throttle_alarm():
    assert set(functions()) <= _alarmed("Errors", "FunctionName")
    assert set(functions()) <= _alarmed("Throttles", "FunctionName")


def test_the_api_and_the_mail_have_their_alarms():
    assert "HttpApi" in _alarmed("5xx", "ApiId")
    metrics = {a["Properties"].get("MetricName") for a in resources("AWS::CloudWatch::Alarm").values()}
    assert {"Reputation.BounceRate", "Reputation.ComplaintRate"} <= metrics


def test_the_dashboard_shows_every_queue_and_function():
    [dashboard] = resources("AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    text = body if isinstance(body, str) else body[0]
    named = refs({"Fn::Sub": text})
    consumers = {name for name, q in resources("AWS::SQS::Queue").items() if "RedrivePolicy" in q["Properties"]}
    assert consumers <= named and set(functions()) <= named and "HttpApi" in named
    json.loads(re.sub(r"\$\{[^}]+\}", "x", text))  # valid JSON once substituted


# ---------------------------------------------------------------------- timers that are never dropped


def test_timers_have_a_dead_letter_queue_and_one_scheduler_role_per_target():
    timer_functions = {
        n: f for n, f in functions().items() if "SCHEDULER_ROLE_ARN" in f["Properties"]["Environment"]["Variables"]
    }
    assert len(timer_functions) == 6
    roles_by_queue: dict[str, str] = {}
    for name, fn in timer_functions.items():
        env = fn["Properties"]["Environment"]["Variables"]
        assert refs(env["TIMER_DEAD_LETTER_ARN"]) == {"TimerDeadLetterQueue"}, name
        [role] = refs(env["SCHEDULER_ROLE_ARN"])
        [queue] = refs(env["TIMER_QUEUE_ARN"])
        assert roles_by_queue.setdefault(queue, role) == role, f"{queue} has two scheduler roles"
    assert len(set(roles_by_queue.values())) == len(roles_by_queue) == 4
    for queue, role in roles_by_queue.items():
        props = resources("AWS::IAM::Role")[role]["Properties"]
        [trust] = props["AssumeRolePolicyDocument"]["Statement"]
        assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
        assert set(trust["Condition"]["StringEquals"]) == {"aws:SourceAccount"}
        assert refs(trust["Condition"]["ArnEquals"]["aws:SourceArn"]) == {"TimerScheduleGroup"}
        [policy] = props["Policies"]
        [statement] = policy["PolicyDocument"]["Statement"]
        assert actions(statement) == ["sqs:SendMessage"]
        assert refs(statement["Resource"]) == {queue, "TimerDeadLetterQueue"}, role


def test_a_function_passes_only_its_own_scheduler_role_and_only_to_the_scheduler():
    for name, fn in functions().items():
        env = fn["Properties"]["Environment"]["Variables"]
        passes = [s for s in statements(name) if "iam:PassRole" in actions(s)]
        if "SCHEDULER_ROLE_ARN" not in env:
            assert not passes, name
            continue
        [statement] = passes
        assert statement["Resource"] == f"arn:aws:iam::123456789012:role/{refs(env['SCHEDULER_ROLE_ARN']).pop()}"
        assert statement["Condition"] == {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}, name


# ---------------------------------------------------------------------- least privilege


def test_no_function_gets_a_crud_policy_template():
    for name, fn in functions().items():
        for policy in fn["Properties"].get("Policies", []):
            if isinstance(policy, dict):
                assert not any(k.endswith("CrudPolicy") for k in policy), f"{name}: {list(policy)}"


def test_no_function_may_change_a_bucket_or_an_identity():
    forbidden = re.compile(
        r"^(s3:(Put|Delete)Bucket.*|s3:PutLifecycleConfiguration|s3:\*|ses:(Create|Delete|Verify|Put|Update).*"
        r"|ses:\*|dynamodb:(\*|DeleteTable|UpdateTable|CreateTable)|sqs:\*|sns:\*|iam:(?!PassRole$).*)$"
    )
    for name in functions():
        bad = sorted(a for a in allowed(name) if forbidden.match(a))
        assert not bad, f"{name}: {bad}"


def test_object_deletes_are_limited_to_the_applications_prefix():
    for name in functions():
        for s in statements(name):
            if any(a.startswith("s3:Delete") for a in actions(s)):
                resources_ = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
                assert all(r.endswith("/applications/*") for r in resources_), f"{name}: {resources_}"


def test_the_public_register_has_its_own_read_only_function():
    register = functions()["RegisterFunction"]["Properties"]
    routes = {(e["Properties"]["Method"], e["Properties"]["Path"]) for e in register["Events"].values()}
    assert routes == {("GET", "/register"), ("GET", "/register/verify")}
    assert allowed("RegisterFunction") == {"dynamodb:Query"}


def test_the_mail_may_be_sent_only_from_the_sender_address():
    sends = [s for s in statements("NotificationEventsFunction") if "ses:SendRawEmail" in actions(s)]
    [statement] = sends
    assert statement["Condition"]["StringEquals"]["ses:FromAddress"] == "noreply@duaal-leren.example.be"


def test_every_bucket_denies_plain_http_and_other_signatures_than_v4():
    policies = {
        refs(p["Properties"]["Bucket"]).pop(): p["Properties"]["PolicyDocument"]
        for p in resources("AWS::S3::BucketPolicy").values()
    }
    assert set(policies) == set(resources("AWS::S3::Bucket"))
    for bucket, document in policies.items():
        denies = [s for s in document["Statement"] if s["Effect"] == "Deny"]
        conditions = [s["Condition"] for s in denies]
        assert {"Bool": {"aws:SecureTransport": "false"}} in conditions, bucket
        assert {"StringNotEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}} in conditions, bucket


# ---------------------------------------------------------------------- SES


def test_the_sender_is_a_parameter_with_its_identity_and_a_configuration_set_in_the_template():
    assert "Default" not in template()["Parameters"]["MailSender"]
    assert resources("AWS::SES::EmailIdentity")
    [configuration_set] = resources("AWS::SES::ConfigurationSet")
    [destination] = [d for d in resources("AWS::SES::ConfigurationSetEventDestination").values()
                     if "CloudWatchDestination" in d["Properties"]["EventDestination"]]  # the metrics one
    props = destination["Properties"]
    assert refs(props["ConfigurationSetName"]) == {configuration_set}
    assert {"bounce", "complaint", "reject", "delivery", "send"} <= set(props["EventDestination"]["MatchingEventTypes"])
    env = functions()["NotificationEventsFunction"]["Properties"]["Environment"]["Variables"]
    assert refs(env["MAIL_CONFIGURATION_SET"]) == {configuration_set}


# ---------------------------------------------------------------------- capacity


def test_the_stage_is_throttled_and_the_public_routes_tighter():
    api = resources("AWS::Serverless::HttpApi")["HttpApi"]["Properties"]
    default = api["DefaultRouteSettings"]
    assert default["ThrottlingRateLimit"] > 0 and default["ThrottlingBurstLimit"] > 0
    public = {
        f"{e['Properties']['Method']} {e['Properties']['Path']}"
        for f in functions().values()
        for e in f["Properties"].get("Events", {}).values()
        if e["Type"] == "HttpApi"
        and e["Properties"].get("Auth", {}).get("Authorizer") == "NONE"
        and not e["Properties"]["Path"].startswith(("/portal", "/docs"))
        and e["Properties"]["Path"] != "/"
    }
    assert {"GET /register", "GET /register/verify", "GET /trainings", "GET /partnerships"} <= public
    for route in public:
        settings = api["RouteSettings"][route]
        assert settings["ThrottlingRateLimit"] < default["ThrottlingRateLimit"], route


def test_the_register_has_reserved_concurrency_and_every_consumer_a_maximum():
    register = functions()["RegisterFunction"]["Properties"]
    assert refs(register["ReservedConcurrentExecutions"]) - {"AWS::NoValue"} == {"RegisterConcurrency"}
    assert template()["Parameters"]["RegisterConcurrency"]["Default"] > 0
    consumer = template()["Parameters"]["ConsumerConcurrency"]
    assert 2 <= consumer["Default"] <= 10 and consumer["MinValue"] == 2  # SQS mappings take 2 at least
    for name, fn in functions().items():
        for event in fn["Properties"].get("Events", {}).values():
            if event["Type"] == "SQS":
                assert event["Properties"]["ScalingConfig"] == {"MaximumConcurrency": {"Ref": "ConsumerConcurrency"}}, (
                    name
                )


# ---------------------------------------------------------------------- partnerships' feeds


def test_each_partnership_feed_is_granted_to_its_principal_in_the_template():
    feeds = {name for name in resources("AWS::SQS::Queue") if name.endswith("FeedQueue")}
    assert len(feeds) == 8
    granted = {}
    for policy in resources("AWS::SQS::QueuePolicy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if isinstance(statement, dict) and "Fn::If" in statement:
                statement = statement["Fn::If"][1]
            principal = statement.get("Principal", {}).get("AWS")
            if principal:
                granted.update({queue: refs(principal) for queue in refs(policy["Properties"]["Queues"])})
                assert set(actions(statement)) == {
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:ChangeMessageVisibility",
                    "sqs:GetQueueAttributes",
                }
    assert set(granted) == feeds
    for queue, principals in granted.items():
        [parameter] = principals
        assert parameter in template()["Parameters"], queue


# ---------------------------------------------------------------------- CORS for the portal


def test_the_api_allows_the_portal_origin_and_no_protected_route_takes_any_method():
    api = resources("AWS::Serverless::HttpApi")["HttpApi"]["Properties"]
    assert "PortalOrigin" in refs(api["CorsConfiguration"])
    for name, fn in functions().items():
        for event in fn["Properties"].get("Events", {}).values():
            if event["Type"] == "HttpApi":
                assert event["Properties"]["Method"].upper() != "ANY", f"{name} {event['Properties']['Path']}"
