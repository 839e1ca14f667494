"""Start moto in-process and create what the template declares.

moto runs as a ThreadedMotoServer in this process: functions (in their own processes) reach it
over HTTP via AWS_ENDPOINT_URL, and the runtime can still read moto's SES backend directly for
``/_local/mail``. Credentials are fake and passed to each client explicitly, so the parent
process environment (e.g. a pytest session) is not changed.
"""

from __future__ import annotations

import json
import logging

import boto3
from botocore.config import Config

from .template import ACCOUNT_ID, REGION, Template

log = logging.getLogger("localrt")

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


class Moto:
    """The in-process moto server plus boto3 clients that talk to it."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        # werkzeug logs every request at INFO: hundreds of lines per second of polling.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        self.account_id = ACCOUNT_ID
        self.region = REGION

    def client(self, service: str, **config):
        return boto3.session.Session().client(
            service, endpoint_url=self.url, region_name=REGION,
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
            config=Config(retries={"max_attempts": 2, "mode": "standard"}, **config))

    def stop(self) -> None:
        self._server.stop()


def provision(moto: Moto, tpl: Template) -> dict[str, str]:
    """Creates every resource; returns queue ARN -> queue URL (moto's URLs)."""
    ddb = moto.client("dynamodb")
    for t in tpl.tables:
        kwargs = dict(TableName=t.name, AttributeDefinitions=t.attribute_definitions,
                      KeySchema=t.key_schema, BillingMode="PAY_PER_REQUEST")
        if t.global_secondary_indexes:
            kwargs["GlobalSecondaryIndexes"] = [
                {k: v for k, v in g.items() if k in ("IndexName", "KeySchema", "Projection")}
                for g in t.global_secondary_indexes]
        if t.local_secondary_indexes:
            kwargs["LocalSecondaryIndexes"] = [
                {k: v for k, v in g.items() if k in ("IndexName", "KeySchema", "Projection")}
                for g in t.local_secondary_indexes]
        ddb.create_table(**kwargs)
        if t.ttl_attribute:
            ddb.update_time_to_live(TableName=t.name, TimeToLiveSpecification={
                "Enabled": True, "AttributeName": t.ttl_attribute})

    s3 = moto.client("s3")
    for b in tpl.buckets:
        s3.create_bucket(Bucket=b.name, CreateBucketConfiguration={"LocationConstraint": REGION})
        if b.versioned:
            s3.put_bucket_versioning(Bucket=b.name, VersioningConfiguration={"Status": "Enabled"})

    sns = moto.client("sns")
    for topic in tpl.topics:
        sns.create_topic(Name=topic.name)

    sqs = moto.client("sqs")
    urls: dict[str, str] = {}
    dlq_arns = tpl.dead_letter_queue_arns
    # DLQs first: a redrive policy must point at an existing queue.
    for q in sorted(tpl.queues, key=lambda q: q.arn not in dlq_arns):
        attrs = {"VisibilityTimeout": str(q.visibility_timeout), **q.attributes}
        if q.redrive_policy:
            attrs["RedrivePolicy"] = json.dumps(q.redrive_policy)
        urls[q.arn] = sqs.create_queue(QueueName=q.name, Attributes=attrs)["QueueUrl"]

    for sub in tpl.subscriptions:
        if sub.protocol != "sqs":
            log.info("skipping %s subscription %s (not delivered locally)", sub.protocol, sub.logical_id)
            continue
        attrs = {}
        if sub.raw_message_delivery:
            attrs["RawMessageDelivery"] = "true"
        if sub.filter_policy is not None:
            attrs["FilterPolicy"] = json.dumps(sub.filter_policy)
        if sub.filter_policy_scope:
            attrs["FilterPolicyScope"] = sub.filter_policy_scope
        sns.subscribe(TopicArn=sub.topic_arn, Protocol="sqs", Endpoint=sub.endpoint, Attributes=attrs)

    scheduler = moto.client("scheduler")
    for group in tpl.schedule_groups:
        scheduler.create_schedule_group(Name=group.name)

    sender = tpl.parameters.get("MailSender")
    if sender:
        ses = moto.client("ses")
        # Only the address itself, as in the deployed stack (SESCrudPolicy on that identity).
        ses.verify_email_identity(EmailAddress=sender)
    return urls
