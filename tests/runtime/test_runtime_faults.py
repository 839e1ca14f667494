"""Fault runs (`make chaos`): the runtime injects faults only when LOCALRT_* variables say so.

One runtime on the fixture topology with every fault on: each batch delivered twice, 30% of the
handlers' AWS call attempts failed by the botocore hook, and ConsumerAFunction killed once after
its first write. The fixture consumer counts its invocations per event in the observations table.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from localrt import LocalRuntime
from localrt._faults import Faults
from localrt.workers import function_environment

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def rt():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOCALRT_FAULT_RATE", "0.3")
        mp.setenv("LOCALRT_FAULT_SEED", "7")
        mp.setenv("LOCALRT_DUPLICATE_DELIVERY", "1")
        mp.setenv("LOCALRT_KILL_ONCE", "ConsumerAFunction")
        with LocalRuntime(template_path=FIXTURES / "template.yaml", port=0, quiet=True) as runtime:
            yield runtime


def publish(rt, event_name: str) -> str:
    event_id = f"ev-{uuid.uuid4().hex[:10]}"
    rt.client("sns").publish(
        TopicArn=rt.topic_arn("Topic"), Message=json.dumps({"event_id": event_id, "event_name": event_name}),
        MessageAttributes={"event_name": {"DataType": "String", "StringValue": event_name}})
    return event_id


def invocations(rt, consumer: str, event_id: str) -> int:
    item = rt.client("dynamodb").get_item(TableName="ObservationsTable", Key={"pk": {"S": f"{consumer}#{event_id}"}})
    return int(item["Item"]["invocations"]["N"]) if "Item" in item else 0


def test_the_kill_switch_reaches_only_the_function_it_names(rt):
    env_a = function_environment(rt.template.function("ConsumerAFunction"), rt.endpoint_url)
    env_b = function_environment(rt.template.function("ConsumerBFunction"), rt.endpoint_url)
    assert env_a["LOCALRT_KILL_ONCE"] == "ConsumerAFunction" and "LOCALRT_KILL_ONCE" not in env_b
    assert env_b["LOCALRT_FAULT_RATE"] == "0.3"


def test_a_consumer_killed_mid_record_is_restarted_once_and_every_event_is_still_handled(rt):
    events = [publish(rt, "Alpha") for _ in range(4)] + [publish(rt, "Beta") for _ in range(4)]
    rt.settle(timeout=60)

    figures = rt.fault_figures()
    assert figures["workers_killed"] == {"ConsumerAFunction": 1}
    assert figures["worker_restarts"].get("ConsumerAFunction", 0) >= 1
    assert figures["duplicate_deliveries"] >= len(events)
    assert sum(figures["faults_injected"].values()) > 0
    for event_id in events[:4]:
        assert invocations(rt, "A", event_id) >= 2, "each record is delivered at least twice"
    for event_id in events[4:]:
        assert invocations(rt, "B", event_id) >= 2
    for dlq in ("QueueADeadLetterQueue", "QueueBDeadLetterQueue"):
        attrs = rt.client("sqs").get_queue_attributes(QueueUrl=rt.queue_url(dlq),
                                                      AttributeNames=["ApproximateNumberOfMessages"])
        assert attrs["Attributes"]["ApproximateNumberOfMessages"] == "0"


def test_an_injected_fault_is_a_real_error_response_that_botocore_retries(rt, monkeypatch):
    # What is checked is that botocore retries, not how long it waits in between (up to seconds a retry).
    from botocore.retries.standard import ExponentialBackoff

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)
    faults = Faults(rate=1.0, seed="x", kill=False, label="test")
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name="eu-west-1")
    faults.install(session.events)
    for service, call in (("dynamodb", lambda c: c.list_tables()), ("sns", lambda c: c.list_topics()),
                          ("s3", lambda c: c.list_buckets())):
        # max_attempts is a floor here: botocore gives DynamoDB more attempts of its own.
        client = session.client(service, endpoint_url=rt.endpoint_url,
                                config=Config(retries={"mode": "standard", "max_attempts": 3}))
        with pytest.raises(ClientError) as failed:
            call(client)
        error = failed.value.response
        assert error["ResponseMetadata"]["HTTPStatusCode"] in (400, 503)
        assert error["ResponseMetadata"]["RetryAttempts"] >= 2, service
        assert faults.take_count() == error["ResponseMetadata"]["RetryAttempts"] + 1
    assert faults.take_count() == 0
