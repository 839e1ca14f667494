"""The bench's hook in a function worker (infra/localrt/call_counter.py), in a fresh interpreter
as a worker is: botocore imported only by the handler, calls of every botocore session (boto3's default
one, or kernel.aws's own) and transaction items counted once
each (a presigned URL, made without a request, not at all), and the worker's own peak memory
(not the parent's) written after every invocation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

COUNTER = Path(__file__).resolve().parents[2] / "infra" / "localrt" / "call_counter.py"

WORKER = f"""
import importlib.util, sys
spec = importlib.util.spec_from_file_location("call_counter", {str(COUNTER)!r})
counter = importlib.util.module_from_spec(spec); spec.loader.exec_module(counter)

def handler(event, context):
    import boto3  # lazily, as kernel.aws does
    from moto import mock_aws
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="eu-west-1")
        dynamodb.create_table(TableName="t", BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{{"AttributeName": "pk", "KeyType": "HASH"}}],
                              AttributeDefinitions=[{{"AttributeName": "pk", "AttributeType": "S"}}])
        dynamodb.transact_write_items(TransactItems=[
            {{"Put": {{"TableName": "t", "Item": {{"pk": {{"S": str(i)}}}}}}}} for i in range(3)])
        boto3.resource("dynamodb", region_name="eu-west-1").Table("t").get_item(Key={{"pk": "1"}})
        # kernel.aws's way: a botocore session of its own, no boto3.
        import botocore.session
        botocore.session.Session().create_client("dynamodb", region_name="eu-west-1").get_item(
            TableName="t", Key={{"pk": {{"S": "2"}}}})
        # A presigned URL is signed locally: no request, so no call.
        boto3.client("s3", region_name="eu-west-1").generate_presigned_url(
            "get_object", Params={{"Bucket": "b", "Key": "k"}}, ExpiresIn=60)

assert "boto3" not in sys.modules
wrapped = counter.wrap(handler, sys.argv[1])
assert "boto3" not in sys.modules and "botocore" not in sys.modules, "the hook must not import botocore itself"
wrapped({{"Records": [{{}}, {{}}]}}, None)
"""


def test_the_worker_hook_counts_each_aws_call_and_its_own_peak_memory(tmp_path):
    big_parent = b"\x01" * (150 * 1024 * 1024)  # resident: the child must not report this peak
    env = {**os.environ, "AWS_LAMBDA_FUNCTION_NAME": "bench-fn", "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing"}
    subprocess.run([sys.executable, "-c", WORKER, str(tmp_path)], check=True, env=env, timeout=60)
    del big_parent

    (report_file,) = tmp_path.glob("bench-fn-*.json")
    report = json.loads(report_file.read_text())
    assert report["calls"] == {"dynamodb.CreateTable": 1, "dynamodb.TransactWriteItems": 1,
                               "dynamodb.TransactWriteItems#items": 3, "dynamodb.GetItem": 2}
    assert report["invocations"] == 1 and report["records"] == 2
    assert report["first"]["duration_ms"] > 0
    assert 20 * 1024 < report["max_rss_kb"] < 150 * 1024


def test_an_ses_report_is_labelled_by_its_kind_not_as_an_unknown_event():
    import json

    from localrt.call_counter import _label

    report = {"eventType": "Delivery", "mail": {"messageId": "m-1"}}
    wrapped = {"Type": "Notification", "Message": json.dumps(report)}  # the mail-event queue is not raw
    assert _label({"Records": [{"body": json.dumps(wrapped)}, {"body": json.dumps(report)}]}) == "SQS SES Delivery"
    assert _label({"Records": [{"body": json.dumps({"event_name": "DecisionRecorded"})}]}) == "SQS DecisionRecorded"
