"""Start moto and create what the template declares.

moto runs as a ThreadedMotoServer in a process of its own (_moto.py explains why not in this
one): functions reach it over HTTP via AWS_ENDPOINT_URL, the runtime through boto3 clients and,
for ``/_local/mail``, a one-line command on the moto process's stdin. The runtime's credentials
(FAKE_CREDENTIALS) are the local operator's, allowed everything; each function gets its own role's
(iam.py). They are passed to each client explicitly, so the parent process environment (e.g.
pytest's) is untouched.
"""

from __future__ import annotations

import json
import logging
import secrets as _secrets
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from .template import ACCOUNT_ID, REGION, Bucket, Table, Template

log = logging.getLogger("localrt")

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


class Moto:
    """moto in its own process (see _moto.py), plus boto3 clients that talk to it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._session_lock = threading.Lock()
        self._session: boto3.session.Session | None = None
        self._proc = subprocess.Popen(
            [sys.executable, "-P", str(Path(__file__).with_name("_moto.py"))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        assert self._proc.stdout is not None
        first = self._proc.stdout.readline()
        if not first:
            raise RuntimeError("moto did not start (see its output above)")
        self.url = f"http://127.0.0.1:{json.loads(first)['port']}"
        self.account_id = ACCOUNT_ID
        self.region = REGION

    def client(self, service: str, **config):
        # One session for every client: it loads each service's model once (a session per client
        # loaded them again, 19 times per start); sessions are not thread-safe, hence the lock.
        with self._session_lock:
            if self._session is None:
                self._session = boto3.session.Session()
            return self._session.client(
                service, endpoint_url=self.url, region_name=REGION,
                aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
                config=Config(retries={"max_attempts": 2, "mode": "standard"}, **config))

    def _command(self, command: str):
        with self._lock:
            assert self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.write(command + "\n")
            self._proc.stdin.flush()
            return json.loads(self._proc.stdout.readline())

    def stats(self) -> dict:
        """What the moto process holds (counts, bytes) and its memory (_moto.py's ``stats``)."""
        return self._command("stats")

    def sent_mail(self) -> list[dict]:
        """Every message moto's SES backend holds, with ``sent_epoch`` (real time)."""
        return self._command("mail")

    def mail_event_destinations(self, destinations: list[dict]) -> None:
        """The template's SES event destinations with an SNS topic: moto publishes no event, the moto
        process does (_mail_events.py)."""
        self._command("destinations " + json.dumps(destinations))

    def set_clock_offset(self, offset: float) -> None:
        """The runtime clock's offset, so SES's events carry business time."""
        self._command(f"offset {offset!r}")

    def enforce_iam(self) -> None:
        """From now on moto authenticates every request and holds it against the caller's IAM
        policies (_strict.py). FAKE_CREDENTIALS stay allowed everything (the operator)."""
        reply = self._command("enforce")
        if not reply.get("enforcing"):
            raise RuntimeError(f"moto did not turn on IAM enforcement: {reply}")

    def stop(self) -> None:
        with self._lock:
            if self._proc.poll() is None:
                assert self._proc.stdin is not None
                self._proc.stdin.close()  # EOF: the moto process stops its server and exits
                try:
                    self._proc.wait(5)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()


_CORS_KEYS = {"Id": "ID", "MaxAge": "MaxAgeSeconds"}  # CloudFormation's names -> the S3 API's


def _cors_rule(rule: dict) -> dict:
    return {_CORS_KEYS.get(k, k): v for k, v in rule.items()}


def generate_secret() -> str:
    return _secrets.token_urlsafe(36)


def create_table(ddb: Any, table: Table, name: str | None = None) -> str:
    """Creates ``table`` as the template declares it (keys, indexes, TTL), under ``name`` if given; the name."""
    name = name or table.name
    kwargs: dict[str, Any] = dict(TableName=name, AttributeDefinitions=table.attribute_definitions,
                                  KeySchema=table.key_schema, BillingMode="PAY_PER_REQUEST")
    for key, indexes in (("GlobalSecondaryIndexes", table.global_secondary_indexes),
                         ("LocalSecondaryIndexes", table.local_secondary_indexes)):
        if indexes:
            kwargs[key] = [{k: v for k, v in g.items() if k in ("IndexName", "KeySchema", "Projection")}
                           for g in indexes]
    ddb.create_table(**kwargs)
    if table.ttl_attribute:
        ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={
            "Enabled": True, "AttributeName": table.ttl_attribute})
    return name


def create_bucket(s3: Any, bucket: Bucket, name: str | None = None) -> str:
    """Creates ``bucket`` as the template declares it (versioning, CORS), under ``name`` if given; the name."""
    name = name or bucket.name
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    if bucket.versioned:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    if bucket.cors_rules:  # moto answers preflights from them and refuses other origins, as S3 does
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [_cors_rule(r) for r in bucket.cors_rules]})
    return name


def provision(moto: Moto, tpl: Template) -> dict[str, str]:
    """Creates every resource; returns queue ARN -> queue URL (moto's URLs)."""
    ddb = moto.client("dynamodb")
    for table in tpl.tables:
        create_table(ddb, table)
    s3 = moto.client("s3")
    for bucket in tpl.buckets:
        create_bucket(s3, bucket)
        if bucket.policy:  # evaluated on every object request, conditions included (_strict.install_conditions)
            s3.put_bucket_policy(Bucket=bucket.name, Policy=json.dumps(bucket.policy))

    if tpl.secrets:
        secrets_manager = moto.client("secretsmanager")
        for secret in tpl.secrets:  # GenerateSecretString: a random value, as CloudFormation makes one
            secrets_manager.create_secret(Name=secret.name, SecretString=generate_secret())

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

    if tpl.mail_identities or tpl.configuration_sets:
        ses = moto.client("ses")
        # The template's identities, verified at once (on SES: after the link or the DKIM records).
        for identity in tpl.mail_identities:
            if "@" in identity:
                ses.verify_email_identity(EmailAddress=identity)
            else:
                ses.verify_domain_identity(Domain=identity)
        for name in tpl.configuration_sets:  # a send naming another set fails, as on SES (_strict.py)
            ses.create_configuration_set(ConfigurationSet={"Name": name})
    # SNS destinations: a send through their set publishes SES's events (Delivery, Bounce...) there.
    moto.mail_event_destinations([{"configuration_set": d.configuration_set, "topic_arn": d.topic_arn,
                                   "event_types": d.event_types} for d in tpl.mail_event_destinations])
    return urls
