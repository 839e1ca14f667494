"""The local runtime behaves like the AWS pieces it stands in for, on a small fixture topology.

One runtime for the module (fixtures/template.yaml, handlers in fixtures/functions/). Tests
observe handlers through the observations table, over HTTP or through moto with boto3. The
clock only moves forward, so no test assumes it stands still.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from localrt import LocalRuntime, tokens
from localrt.workers import Worker

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def rt():
    with LocalRuntime(template_path=FIXTURES / "template.yaml", port=0) as runtime:
        yield runtime


@pytest.fixture(scope="module")
def topic_arn(rt):
    return rt.topic_arn("Topic")


def publish(rt, topic_arn, event_name, **body):
    event_id = body.pop("event_id", None) or f"ev-{uuid.uuid4().hex[:10]}"
    rt.client("sns").publish(
        TopicArn=topic_arn, Message=json.dumps({"event_id": event_id, "event_name": event_name, **body}),
        MessageAttributes={"event_name": {"DataType": "String", "StringValue": event_name}})
    return event_id


def seen(rt, consumer, key):
    item = rt.client("dynamodb").get_item(TableName="ObservationsTable", Key={"pk": {"S": f"{consumer}#{key}"}})
    return item.get("Item")


def invocations(rt, consumer, key) -> int:
    item = seen(rt, consumer, key)
    return int(item["invocations"]["N"]) if item else 0


def queue_messages(rt, logical_id):
    sqs = rt.client("sqs")
    return sqs.receive_message(QueueUrl=rt.queue_url(logical_id), MaxNumberOfMessages=10,
                               WaitTimeSeconds=0).get("Messages", [])


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


# --------------------------------------------------------------------------- queues


def test_a_record_the_handler_keeps_failing_ends_in_the_dlq_and_the_others_are_processed(rt):
    sqs = rt.client("sqs")
    sqs.send_message_batch(QueueUrl=rt.queue_url("QueueA"), Entries=[
        {"Id": "bad", "MessageBody": json.dumps({"event_id": "poison-1", "action": "fail-always"})},
        {"Id": "good", "MessageBody": json.dumps({"event_id": "fine-1"})},
    ])
    rt.settle(timeout=30)
    assert invocations(rt, "A", "fine-1") == 1
    assert invocations(rt, "A", "poison-1") == 2  # the template's maxReceiveCount
    parked = queue_messages(rt, "QueueADeadLetterQueue")
    assert [json.loads(m["Body"])["event_id"] for m in parked] == ["poison-1"]


def test_a_record_whose_worker_dies_every_time_is_retried_then_parked_in_the_dlq(rt):
    # A process killed mid-record (out of memory, a crash in a native library) is an invocation error
    # on Lambda: the batch stays on the queue, is received again and after maxReceiveCount goes to the DLQ.
    restarts = rt.fault_figures()["worker_restarts"].get("ConsumerAFunction", 0)
    rt.client("sqs").send_message(QueueUrl=rt.queue_url("QueueA"),
                                  MessageBody=json.dumps({"event_id": "crash-1", "action": "crash-always"}))
    rt.settle(timeout=30)
    assert invocations(rt, "A", "crash-1") == 2  # the template's maxReceiveCount
    parked = [json.loads(m["Body"])["event_id"] for m in queue_messages(rt, "QueueADeadLetterQueue")]
    assert "crash-1" in parked
    assert rt.fault_figures()["worker_restarts"]["ConsumerAFunction"] >= restarts + 1
    # The worker came back: the next record is handled normally.
    rt.client("sqs").send_message(QueueUrl=rt.queue_url("QueueA"), MessageBody=json.dumps({"event_id": "after-1"}))
    rt.settle(timeout=30)
    assert invocations(rt, "A", "after-1") == 1


def test_an_invocation_cut_short_by_stopping_its_worker_fails_as_stopped_not_as_a_dead_worker(rt):
    # What the 200-application bench showed as "the worker process died": the runtime stopping after a
    # settle timeout, with a batch in flight. The record stays on its queue either way.
    fn = rt.template.function("ConsumerAFunction")
    worker = Worker(fn, rt.workers.pools[fn.logical_id].env, lambda: sys.stdout, index=9)
    body = json.dumps({"event_id": "slow-1", "action": "sleep", "seconds": 5})
    outcome = []
    thread = threading.Thread(target=lambda: outcome.append(worker.invoke(
        {"Records": [{"messageId": "m-1", "body": body, "attributes": {"ApproximateReceiveCount": "1"}}]}, 0)))
    thread.start()
    deadline = time.monotonic() + 20
    while invocations(rt, "A", "slow-1") == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    worker.stop(grace=0.5)
    thread.join(10)
    assert [(o.ok, o.error_type) for o in outcome] == [(False, "Runtime.Stopped")]


def test_a_stopped_worker_ends_as_lambda_ends_an_environment_with_its_logs_out_and_no_atexit_run(rt, tmp_path):
    import dataclasses
    import io

    (tmp_path / "goes_away.py").write_text(
        "import atexit, os\n"
        "atexit.register(lambda: open(os.environ['MARKER'], 'w').write('finalised'))\n"
        "def handler(event, context):\n"
        "    print('handled', flush=False)\n"
        "    return 'ok'\n", encoding="utf-8")
    marker = tmp_path / "atexit-ran"
    template_fn = rt.template.function("ConsumerAFunction")
    fn = dataclasses.replace(template_fn, logical_id="GoesAway", handler="goes_away.handler", code_dir=tmp_path)
    env = {**rt.workers.pools[template_fn.logical_id].env, "_HANDLER": fn.handler, "PYTHONPATH": str(tmp_path),
           "MARKER": str(marker)}
    log = io.StringIO()
    worker = Worker(fn, env, lambda: log, index=0)
    assert worker.invoke({}, 0).result == "ok"
    proc = worker.proc
    worker.stop()
    assert proc is not None and proc.returncode == 0
    assert not marker.exists()  # Lambda stops an environment; it does not finalise the interpreter
    assert "handled" in log.getvalue()


def test_a_partial_batch_failure_redelivers_only_the_failed_record(rt):
    sqs = rt.client("sqs")
    sqs.send_message_batch(QueueUrl=rt.queue_url("QueueA"), Entries=[
        {"Id": "1", "MessageBody": json.dumps({"event_id": "pb-ok-1"})},
        {"Id": "2", "MessageBody": json.dumps({"event_id": "pb-retry", "action": "fail-once"})},
        {"Id": "3", "MessageBody": json.dumps({"event_id": "pb-ok-2"})},
    ])
    rt.settle(timeout=30)
    assert invocations(rt, "A", "pb-retry") == 2
    assert invocations(rt, "A", "pb-ok-1") == 1
    assert invocations(rt, "A", "pb-ok-2") == 1


def test_an_invocation_error_keeps_the_batch_and_it_is_retried(rt):
    # ConsumerB does not report batch item failures: an exception leaves the record on the queue.
    rt.client("sqs").send_message(QueueUrl=rt.queue_url("QueueB"),
                                  MessageBody=json.dumps({"event_id": "raise-1", "action": "raise-once"}))
    rt.settle(timeout=30)
    assert invocations(rt, "B", "raise-1") == 2
    assert queue_messages(rt, "QueueBDeadLetterQueue") == []


def test_the_sqs_event_has_the_lambda_shape(rt, topic_arn):
    event_id = publish(rt, topic_arn, "Alpha")
    rt.settle(timeout=30)
    record = json.loads(seen(rt, "A", event_id)["record"]["S"])
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == "arn:aws:sqs:eu-west-1:123456789012:QueueA"
    assert record["awsRegion"] == "eu-west-1"
    assert json.loads(record["body"])["event_id"] == event_id
    assert set(record["attributes"]) >= {"ApproximateReceiveCount", "SentTimestamp", "SenderId",
                                         "ApproximateFirstReceiveTimestamp"}
    assert record["messageAttributes"]["event_name"] == {
        "stringValue": "Alpha", "stringListValues": [], "binaryListValues": [], "dataType": "String"}
    assert record["md5OfBody"] and record["messageId"] and record["receiptHandle"]


def test_an_event_a_queue_does_not_subscribe_to_never_reaches_it(rt, topic_arn):
    alpha = publish(rt, topic_arn, "Alpha")
    beta = publish(rt, topic_arn, "Beta")
    both = publish(rt, topic_arn, "Both")
    other = publish(rt, topic_arn, "Gamma")
    rt.settle(timeout=30)
    assert seen(rt, "A", alpha) and not seen(rt, "B", alpha)
    assert seen(rt, "B", beta) and not seen(rt, "A", beta)
    assert seen(rt, "A", both) and seen(rt, "B", both)
    assert not seen(rt, "A", other) and not seen(rt, "B", other)


def test_settle_waits_for_the_work_and_reports_idle(rt, topic_arn):
    event_id = publish(rt, topic_arn, "Alpha")
    assert rt.settle(timeout=30) is True
    assert seen(rt, "A", event_id)
    assert rt.busy() == []
    assert requests.post(rt.url + "/_local/settle", timeout=30).json()["settled"] is True


# --------------------------------------------------------------------------- the stage: CORS and throttling


ORIGIN = "https://portal.fixture.example"


def test_a_preflight_no_route_takes_is_answered_by_the_gateway_for_the_allowed_origin(rt):
    preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "authorization"}
    answer = requests.options(rt.url + "/public", headers=preflight, timeout=10)
    assert answer.status_code == 204 and answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert answer.headers["Access-Control-Max-Age"] == "300"
    assert "authorization" in answer.headers["Access-Control-Allow-Headers"]
    other = requests.options(
        rt.url + "/public", headers={**preflight, "Origin": "https://elsewhere.example"}, timeout=10
    )
    assert other.status_code == 204 and "Access-Control-Allow-Origin" not in other.headers
    # An ANY route takes the preflight, as on AWS: its JWT authorizer answers 401 (the template names its methods).
    assert requests.options(rt.url + "/things/42", headers=preflight, timeout=10).status_code == 401


def test_answers_to_the_allowed_origin_carry_the_cors_headers(rt):
    allowed = requests.get(rt.url + "/public", headers={"Origin": ORIGIN}, timeout=10)
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert allowed.headers["Access-Control-Expose-Headers"] == "x-correlation-id"
    other = requests.get(rt.url + "/public", headers={"Origin": "https://elsewhere.example"}, timeout=10)
    assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other.headers


def test_a_route_over_its_burst_is_answered_429_without_running_the_function(rt):
    statuses = [requests.get(rt.url + "/throttled", timeout=10).status_code for _ in range(4)]
    assert statuses[:2] == [200, 200] and 429 in statuses[2:]
    throttled = requests.get(rt.url + "/throttled", timeout=10)
    if throttled.status_code == 429:
        assert throttled.headers["Content-Type"] == "application/problem+json"
    time.sleep(1.2)  # 1 request a second comes back
    assert requests.get(rt.url + "/throttled", timeout=10).status_code == 200


# --------------------------------------------------------------------------- scheduler and clock


def _schedule(rt, name, at: datetime, event_id, action_after="DELETE", tz="Europe/Brussels"):
    local = at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%dT%H:%M:%S")
    rt.client("scheduler").create_schedule(
        Name=name,
        GroupName="TimerGroup",
        ScheduleExpression=f"at({local})",
        ScheduleExpressionTimezone=tz,
        FlexibleTimeWindow={"Mode": "OFF"},
        ActionAfterCompletion=action_after,
        Target={
            "Arn": "arn:aws:sqs:eu-west-1:123456789012:QueueA",
            "RoleArn": "arn:aws:iam::123456789012:role/SchedulerRole",
            "Input": json.dumps({"event_id": event_id, "event_name": "Timer"}),
        },
    )


def _timer_dead_letters(rt) -> list[dict]:
    sqs = rt.client("sqs")
    return sqs.receive_message(
        QueueUrl=rt.queue_url("TimerDeadLetterQueue"),
        MaxNumberOfMessages=10,
        MessageAttributeNames=["All"],
        WaitTimeSeconds=0,
    ).get("Messages", [])


def test_a_timer_its_role_may_not_deliver_is_retried_then_dead_lettered_with_its_target(rt):
    """SchedulerRole may send to QueueA only: a timer for QueueB is refused, tried again, then parked
    in its DeadLetterConfig queue with the target and the error (as EventBridge Scheduler does)."""
    due = rt.now() + timedelta(hours=1)
    local = due.astimezone(ZoneInfo("Europe/Brussels")).strftime("%Y-%m-%dT%H:%M:%S")
    rt.client("scheduler").create_schedule(
        Name="timer-refused",
        GroupName="TimerGroup",
        ScheduleExpression=f"at({local})",
        ScheduleExpressionTimezone="Europe/Brussels",
        FlexibleTimeWindow={"Mode": "OFF"},
        ActionAfterCompletion="DELETE",
        Target={
            "Arn": "arn:aws:sqs:eu-west-1:123456789012:QueueB",
            "RoleArn": "arn:aws:iam::123456789012:role/SchedulerRole",
            "Input": json.dumps({"event_id": "timer-refused", "event_name": "Beta"}),
            "DeadLetterConfig": {"Arn": "arn:aws:sqs:eu-west-1:123456789012:TimerDeadLetterQueue"},
        },
    )
    rt.advance(days=1)
    assert not seen(rt, "B", "timer-refused")
    [parked] = _timer_dead_letters(rt)
    attributes = {k: v["StringValue"] for k, v in parked["MessageAttributes"].items()}
    assert json.loads(parked["Body"])["event_id"] == "timer-refused"
    assert attributes["TARGET_ARN"] == "arn:aws:sqs:eu-west-1:123456789012:QueueB"
    assert attributes["ERROR_CODE"] in ("AccessDenied", "AccessDeniedException")
    assert attributes["RETRY_ATTEMPTS"] == "2" and attributes["SCHEDULE_ARN"].endswith("/TimerGroup/timer-refused")
    assert not _schedule_exists(rt, "timer-refused")
    rt.client("sqs").change_message_visibility(
        QueueUrl=rt.queue_url("TimerDeadLetterQueue"), ReceiptHandle=parked["ReceiptHandle"], VisibilityTimeout=0
    )
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    import redrive

    found = redrive.redrive_timers(
        redrive.local_sqs(rt.endpoint_url),
        redrive.timer_queues(FIXTURES / "template.yaml"),
        dry_run=False,
        out=__import__("io").StringIO(),
    )
    assert found == {"TimerDeadLetterQueue": 1}
    rt.settle(timeout=30)
    assert seen(rt, "B", "timer-refused"), "the redriven timer reached its target and was processed"
    assert _timer_dead_letters(rt) == []


def test_a_role_the_scheduler_may_not_assume_delivers_nothing(rt):
    due = rt.now() + timedelta(hours=1)
    local = due.astimezone(ZoneInfo("Europe/Brussels")).strftime("%Y-%m-%dT%H:%M:%S")
    rt.client("scheduler").create_schedule(
        Name="timer-untrusted",
        GroupName="TimerGroup",
        ScheduleExpression=f"at({local})",
        ScheduleExpressionTimezone="Europe/Brussels",
        FlexibleTimeWindow={"Mode": "OFF"},
        ActionAfterCompletion="DELETE",
        # A function's role: Lambda may assume it, the scheduler may not.
        Target={
            "Arn": "arn:aws:sqs:eu-west-1:123456789012:QueueA",
            "RoleArn": "arn:aws:iam::123456789012:role/EchoFunctionRole",
            "Input": json.dumps({"event_id": "timer-untrusted", "event_name": "Alpha"}),
        },
    )
    rt.advance(days=1)
    assert not seen(rt, "A", "timer-untrusted")
    assert not _schedule_exists(rt, "timer-untrusted")


def _schedule_exists(rt, name):
    scheduler = rt.client("scheduler")
    try:
        scheduler.get_schedule(Name=name, GroupName="TimerGroup")
        return True
    except scheduler.exceptions.ResourceNotFoundException:
        return False


def test_a_schedule_fires_only_once_the_clock_passes_its_time(rt):
    due = rt.now() + timedelta(days=2, hours=1)
    _schedule(rt, "timer-delete", due, "timer-1")
    _schedule(rt, "timer-keep", due, "timer-2", action_after="NONE")

    rt.advance(days=2)
    assert not seen(rt, "A", "timer-1")
    assert _schedule_exists(rt, "timer-delete")

    report = rt.advance(days=1)
    fired = seen(rt, "A", "timer-1")
    assert fired, "the schedule did not fire after the clock passed its time"
    assert {f["schedule"].rsplit("/", 1)[-1] for f in report} == {"timer-delete", "timer-keep"}
    assert all(f["due_at"].endswith("Z") and f["queue"] for f in report)
    # The handler ran with the moved clock: it saw a time at or after the due time.
    assert datetime.fromisoformat(fired["last_seen_at"]["S"].replace("Z", "+00:00")) >= due.replace(microsecond=0)
    assert not _schedule_exists(rt, "timer-delete")  # ActionAfterCompletion=DELETE
    assert _schedule_exists(rt, "timer-keep") and invocations(rt, "A", "timer-2") == 1

    rt.advance(days=1)
    assert invocations(rt, "A", "timer-2") == 1  # a kept schedule never fires twice


def test_handlers_see_the_advanced_clock_and_so_does_local_clock(rt):
    before = datetime.fromisoformat(requests.get(rt.url + "/public", timeout=30).json()["now"].replace("Z", "+00:00"))
    answer = requests.post(rt.url + "/_local/clock", json={"advance_days": 3}, timeout=60)
    assert answer.status_code == 200
    now = datetime.fromisoformat(answer.json()["now"].replace("Z", "+00:00"))
    after = datetime.fromisoformat(requests.get(rt.url + "/public", timeout=30).json()["now"].replace("Z", "+00:00"))
    assert after - before >= timedelta(days=3)
    assert after - before < timedelta(days=3, minutes=1)
    assert abs((now - after).total_seconds()) < 60
    assert requests.get(rt.url + "/_local/clock", timeout=30).json()["now"] >= answer.json()["now"]


def test_a_clock_advance_must_be_a_non_negative_integer(rt):
    assert requests.post(rt.url + "/_local/clock", json={"advance_days": -1}, timeout=30).status_code == 422
    assert requests.post(rt.url + "/_local/clock", json={"advance_days": 1.5}, timeout=30).status_code == 422
    assert requests.post(rt.url + "/_local/clock", data="nope", timeout=30).status_code == 400


# --------------------------------------------------------------------------- HTTP and the authorizer


def test_a_protected_route_without_a_token_is_401_problem(rt):
    response = requests.get(rt.url + "/things/abc", timeout=30)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Unauthorized" and response.json()["status"] == 401


def test_a_token_signed_with_another_key_is_401(rt):
    claims = {
        "iss": "localrt",
        "aud": "leerwerkplek-local",
        "sub": "x",
        "role": "employer",
        "iat": int(rt.now().timestamp()),
        "exp": int(rt.now().timestamp()) + 3600,
    }
    forged = tokens.encode(claims, b"not the runtime's key" * 2)
    assert requests.get(rt.url + "/things/abc", headers=bearer(forged), timeout=30).status_code == 401


def _local_token(rt, **body) -> str:
    response = requests.post(
        rt.url + "/_local/token", json={"role": "employer", "enterprise_number": "0403170701", **body}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()["token"]


def test_a_token_lives_in_real_time_so_it_survives_a_clock_advance(rt):
    # The README's walk-through: a token, then POST /_local/clock {"advance_days": 15}, then the API.
    token = _local_token(rt)
    assert requests.post(rt.url + "/_local/clock", json={"advance_days": 15}, timeout=120).status_code == 200
    assert requests.get(rt.url + "/things/abc", headers=bearer(token), timeout=30).status_code == 200


def test_a_token_expires_in_real_time(rt):
    token = _local_token(rt, ttl_seconds=1)
    assert requests.get(rt.url + "/things/abc", headers=bearer(token), timeout=30).status_code == 200
    time.sleep(2.1)
    expired = requests.get(rt.url + "/things/abc", headers=bearer(token), timeout=30)
    assert expired.status_code == 401 and expired.json()["detail"] == "token expired"


def test_a_token_for_another_audience_or_issuer_is_401(rt):
    now = int(rt.now().timestamp())
    for claims in ({"iss": "someone-else", "aud": "leerwerkplek-local"}, {"iss": "localrt", "aud": "other"}):
        token = tokens.encode({**claims, "sub": "x", "iat": now, "exp": now + 3600}, rt.signer.key)
        assert requests.get(rt.url + "/things/abc", headers=bearer(token), timeout=30).status_code == 401


def test_a_public_route_needs_no_token(rt):
    response = requests.get(rt.url + "/public", timeout=30)
    assert response.status_code == 200
    assert response.headers["x-correlation-id"] == "corr-echo"
    assert "seen=1" in response.headers["set-cookie"]


def test_the_http_event_has_the_payload_2_0_shape(rt):
    token = rt.token("intermediary", mandates=["0403170701", "0207446759"], sub="user-1")
    response = requests.get(
        rt.url + "/things/a/b%20c?x=1&x=2&empty=",
        timeout=30,
        headers={**bearer(token), "X-Trace": "t1", "Cookie": "k1=v1; k2=v2"},
    )
    assert response.status_code == 200
    event = response.json()["event"]
    assert event["version"] == "2.0"
    assert event["routeKey"] == "ANY /things/{proxy+}"
    assert event["rawPath"] == "/things/a/b%20c"
    assert event["rawQueryString"] == "x=1&x=2&empty="
    assert event["queryStringParameters"] == {"x": "1,2", "empty": ""}
    assert event["pathParameters"] == {"proxy": "a/b c"}
    assert event["headers"]["x-trace"] == "t1" and "cookie" not in event["headers"]
    assert event["cookies"] == ["k1=v1", "k2=v2"]
    assert event["isBase64Encoded"] is False
    ctx = event["requestContext"]
    assert ctx["stage"] == "$default" and ctx["routeKey"] == "ANY /things/{proxy+}"
    assert ctx["http"]["method"] == "GET" and ctx["http"]["path"] == "/things/a/b%20c"
    assert ctx["accountId"] == "123456789012" and ctx["requestId"] and ctx["timeEpoch"]
    claims = ctx["authorizer"]["jwt"]["claims"]
    assert all(isinstance(v, str) for v in claims.values())
    assert claims["mandates"] == "[0403170701 0207446759]"
    assert claims["role"] == "intermediary" and claims["sub"] == "user-1"
    assert claims["iss"] == "localrt" and claims["aud"] == "leerwerkplek-local"


def test_the_most_specific_route_wins(rt):
    token = rt.token("employer", enterprise_number="0403170701")
    one = requests.get(rt.url + "/things/abc", headers=bearer(token), timeout=30).json()["event"]
    assert one["routeKey"] == "GET /things/{id}" and one["pathParameters"] == {"id": "abc"}
    deeper = requests.delete(rt.url + "/things/abc", headers=bearer(token), timeout=30).json()["event"]
    assert deeper["routeKey"] == "ANY /things/{proxy+}"


def test_an_unknown_route_is_a_404_problem(rt):
    response = requests.get(rt.url + "/nowhere", timeout=30)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    # A greedy variable needs at least one segment.
    assert requests.get(rt.url + "/things", timeout=30).status_code == 404


def test_a_handler_exception_is_a_500_without_details_and_a_dead_worker_is_replaced(rt):
    boom = requests.get(rt.url + "/boom", timeout=30)
    assert boom.status_code == 500
    assert boom.json()["title"] == "Internal Server Error"
    assert "secret" not in boom.text and "Traceback" not in boom.text
    assert requests.get(rt.url + "/crash", timeout=30).status_code == 500
    assert requests.get(rt.url + "/public", timeout=30).status_code == 200


def test_binary_bodies_arrive_base64_and_oversized_bodies_are_413(rt):
    data = bytes(range(256)) * 4
    answer = requests.post(rt.url + "/upload", data=data, headers={"content-type": "application/pdf"}, timeout=30)
    assert answer.json() == {"size": 1024, "isBase64Encoded": True}
    too_big = requests.post(
        rt.url + "/upload", data=b"x" * (10 * 1024 * 1024 + 1), headers={"content-type": "application/pdf"}, timeout=30
    )
    assert too_big.status_code == 413


def is_problem(response, status):
    return (
        response.status_code == status
        and response.headers["content-type"] == "application/problem+json"
        and response.json()["status"] == status
    )


def test_a_body_over_lambdas_6_mb_is_a_413_problem_before_any_invocation(rt):
    # API Gateway takes 10 MB, but a synchronous Lambda invocation stops at 6 MB (the event, base64 and all).
    fits = requests.post(rt.url + "/upload", data=b"x" * (4 * 1024 * 1024), timeout=30)
    assert fits.status_code == 200
    too_big = requests.post(rt.url + "/upload", data=b"x" * (6 * 1024 * 1024 + 1), timeout=30)
    assert is_problem(too_big, 413)
    base64_too_big = requests.post(
        rt.url + "/upload", data=b"\xff" * (5 * 1024 * 1024), headers={"content-type": "application/pdf"}, timeout=30
    )
    assert is_problem(base64_too_big, 413)


def test_headers_over_api_gateways_10_kb_are_a_431_problem(rt):
    assert requests.get(rt.url + "/public", headers={"x-pad": "p" * 9000}, timeout=30).status_code == 200
    assert is_problem(requests.get(rt.url + "/public", headers={"x-pad": "p" * 10300}, timeout=30), 431)
    many = {f"x-h{i}": "v" for i in range(120)}  # more than http.server takes: its own error, as a problem
    assert (
        requests.get(rt.url + "/public", headers=many, timeout=30).headers["content-type"] == "application/problem+json"
    )


def test_a_request_line_over_the_limit_is_a_414_problem(rt):
    assert is_problem(requests.get(rt.url + "/public?q=" + "a" * 10300, timeout=30), 414)
    assert is_problem(requests.get(rt.url + "/public?q=" + "a" * 70000, timeout=30), 414)


def test_a_response_over_lambdas_6_mb_is_a_502_problem(rt):
    assert requests.get(rt.url + "/big?bytes=1000", timeout=30).text == "x" * 1000
    assert is_problem(requests.get(rt.url + "/big?bytes=" + str(6 * 1024 * 1024 + 1), timeout=60), 502)


def raw_exchange(rt, data: bytes) -> str:
    import socket

    with socket.create_connection(("127.0.0.1", rt.port), timeout=10) as conn:
        conn.sendall(data)
        return conn.recv(65536).decode("latin-1")


def test_requests_http_server_refuses_itself_are_problems_too(rt):
    answer = raw_exchange(rt, b"BREW /public HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith("HTTP/1.1 501") and "application/problem+json" in answer
    # Not HTTP at all: http.server answers as to HTTP/0.9, a bare body, which is still the problem.
    assert json.loads(raw_exchange(rt, b"NOT A REQUEST\r\n\r\n"))["status"] == 400


def test_the_function_sees_exactly_its_environment(rt):
    env = requests.get(rt.url + "/public", timeout=30).json()["env"]
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "EchoFunction"
    assert env["AWS_ENDPOINT_URL"] == rt.endpoint_url
    assert env["FILES_BUCKET"] == "filesbucket"
    assert env["GROUP_ARN"] == "arn:aws:scheduler:eu-west-1:123456789012:schedule-group/TimerGroup"
    assert env["QUEUE_A_NAME"] == "QueueA" and env["TOPIC_NAME"] == "Topic"
    assert env["EVENT_TOPIC_ARN"] == "arn:aws:sns:eu-west-1:123456789012:Topic"
    assert env["PYTHONPATH"] == str((FIXTURES / "functions").resolve())
    assert "OBSERVATIONS_TABLE" in env and "PYTEST_CURRENT_TEST" not in env


def test_local_token_validates_the_role_and_mints_a_usable_token(rt):
    bad = requests.post(rt.url + "/_local/token", json={"role": "admin"}, timeout=30)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "role"
    assert requests.post(rt.url + "/_local/token", data="{", timeout=30).status_code == 400
    token = requests.post(
        rt.url + "/_local/token", json={"role": "partnership", "partnership_id": "mtech"}, timeout=30
    ).json()["token"]
    event = requests.get(rt.url + "/things/x/y", headers=bearer(token), timeout=30).json()["event"]
    assert event["requestContext"]["authorizer"]["jwt"]["claims"]["partnership_id"] == "mtech"
    unknown = requests.post(rt.url + "/_local/token", json={"role": "partnership", "partnership_id": "p-1"}, timeout=30)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "partnership_id"


# --------------------------------------------------------------------------- cold starts


def test_a_recycled_function_starts_a_fresh_worker_and_the_runtime_records_that_cold_start(rt, topic_arn):
    assert requests.get(rt.url + "/public", timeout=10).status_code == 200
    rt.settle(timeout=30)
    before = len(rt.cold_starts)
    assert requests.get(rt.url + "/public", timeout=10).status_code == 200  # warm: not a cold start
    rt.recycle("EchoFunction")
    assert requests.get(rt.url + "/public", timeout=10).status_code == 200
    rt.recycle("ConsumerAFunction")
    publish(rt, topic_arn, "Alpha")
    rt.settle(timeout=30)
    fresh = rt.cold_starts[before:]
    assert [(c.logical_id, c.event, c.ok) for c in fresh] == [
        ("EchoFunction", "GET /public", True),
        ("ConsumerAFunction", "SQS QueueA: Alpha", True),
    ]
    # From spawning the interpreter to the reply: never less than a Python start. The worker's own CPU time
    # over the span is there too (bench/cold_start.py's load-proof figure), and only for the cold reply.
    assert all(c.duration_ms > 5 for c in fresh)
    assert all(c.cpu_ms is not None and 5 < c.cpu_ms for c in fresh)


# --------------------------------------------------------------------------- mail


def test_local_mail_lists_what_ses_sent(rt, topic_arn):
    publish(rt, topic_arn, "Alpha", action="mail", to="employer@example.test", subject="Your decision")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "sender@fixture.example", "raw@example.test", "With a PDF"
    msg.set_content("See the attachment.")
    msg.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="notice.pdf")
    rt.client("sesv2").send_email(
        FromEmailAddress="sender@fixture.example",
        Destination={"ToAddresses": ["raw@example.test"]},
        Content={"Raw": {"Data": msg.as_bytes()}},
    )
    rt.settle(timeout=30)
    mails = requests.get(rt.url + "/_local/mail", timeout=30).json()
    simple = next(m for m in mails if m["subject"] == "Your decision")
    assert simple["to"] == ["employer@example.test"] and simple["body"] == "Hello from A"
    assert simple["source"] == "sender@fixture.example" and simple["sent_at"].endswith("Z")
    raw = next(m for m in mails if m["subject"] == "With a PDF")
    assert raw["to"] == ["raw@example.test"] and raw["body"].strip() == "See the attachment."
    url = f"/_local/mail/{raw['id']}/attachments/0"
    assert raw["attachments"] == [{"filename": "notice.pdf", "content_type": "application/pdf", "size": 13, "url": url}]
    assert "raw" not in raw and raw["destinations"] == ["raw@example.test"]  # each recipient once
    pdf = requests.get(rt.url + url, timeout=30)
    assert pdf.status_code == 200 and pdf.content == b"%PDF-1.4 fake"
    assert pdf.headers["content-type"] == "application/pdf"
    only = requests.get(rt.url + "/_local/mail", params={"to": "RAW@example.test"}, timeout=30).json()
    assert [m["subject"] for m in only] == ["With a PDF"]
    decision = requests.get(rt.url + "/_local/mail", params={"subject": "decision"}, timeout=30).json()
    assert [m["id"] for m in decision] == [simple["id"]]
    assert "raw" in next(m for m in rt.mail(include_raw=True) if m["subject"] == "With a PDF")


# --------------------------------------------------------------------------- living next to mock_aws


def test_the_runtime_survives_mock_aws_in_the_same_process(rt):
    # The e2e tier keeps one runtime per pytest worker while integration tests in that worker use
    # moto.mock_aws, which resets every in-process moto backend: the runtime's moto lives elsewhere.
    import boto3
    from moto import mock_aws

    with mock_aws():
        boto3.client("sqs", region_name="eu-west-1").create_queue(QueueName="only-in-the-mock")
        rt.client("sqs").send_message(
            QueueUrl=rt.queue_url("QueueA"), MessageBody=json.dumps({"event_id": "beside-mock"})
        )
        rt.settle(timeout=30)
    assert invocations(rt, "A", "beside-mock") == 1
    assert rt.client("dynamodb").list_tables()["TableNames"] == ["ObservationsTable"]
    assert "only-in-the-mock" not in str(rt.client("sqs").list_queues().get("QueueUrls"))


def test_moto_reports_what_it_keeps_in_memory(rt, topic_arn):
    before = rt.moto.stats()
    publish(rt, topic_arn, "Alpha", note="x" * 1000)
    rt.settle(timeout=30)
    after = rt.moto.stats()
    assert after["sns_published_kept"] == before["sns_published_kept"] + 1
    assert after["sns_published_bytes"] > before["sns_published_bytes"] + 1000
    assert after["sqs_deleted_handles_kept"] > before["sqs_deleted_handles_kept"]
    assert after["rss_mb"] > 0 and after["peak_rss_mb"] >= after["rss_mb"]
