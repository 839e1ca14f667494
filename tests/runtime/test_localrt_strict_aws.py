"""The local stack refuses what AWS refuses: each function calls AWS as its own execution role
(the template's policies, expanded by samtranslator), unsigned and Signature V2 requests are
refused, and presigned URLs are verified as S3 verifies them (infra/localrt/_strict.py, iam.py).
"""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from localrt import LocalRuntime
from localrt.iam import execution_roles, provision_roles
from localrt.provision import Moto, provision
from localrt.template import REGION, load_template

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE = ROOT / "infra" / "template.yaml"


@pytest.fixture(scope="module")
def rt():
    with LocalRuntime(template_path=FIXTURES / "template.yaml", port=0) as runtime:
        yield runtime


def _s3(rt, **config) -> object:
    return boto3.session.Session().client(
        "s3", endpoint_url=rt.endpoint_url, region_name=REGION, aws_access_key_id="testing",
        aws_secret_access_key="testing", config=Config(s3={"addressing_style": "path"}, **config))


def test_a_function_calls_aws_as_its_own_role_and_is_refused_outside_its_policy(rt):
    answer = requests.get(rt.url + "/aws", timeout=30).json()
    assert answer["arn"].endswith(":assumed-role/EchoFunctionRole/EchoFunction")
    assert answer["list_files"] == "ok"  # S3ReadPolicy
    assert answer["write_file"] == "AccessDenied"
    assert answer["write_table"] == "AccessDeniedException"
    assert answer["publish"] == "AccessDenied"


def test_requests_without_a_signature_or_with_signature_v2_are_refused(rt):
    _s3(rt).put_object(Bucket="filesbucket", Key="doc", Body=b"hello")
    anonymous = requests.get(f"{rt.endpoint_url}/filesbucket/doc", timeout=10)
    assert anonymous.status_code == 403 and "<Code>AccessDenied</Code>" in anonymous.text
    v2 = _s3(rt, signature_version="s3").generate_presigned_url(
        "get_object", Params={"Bucket": "filesbucket", "Key": "doc"}, ExpiresIn=60)
    assert "AWSAccessKeyId=" in v2
    refused = requests.get(v2, timeout=10)
    assert refused.status_code == 400 and "Please use AWS4-HMAC-SHA256" in refused.text


def test_a_presigned_url_is_checked_for_signature_region_expiry_and_signed_headers(rt):
    s3 = _s3(rt, signature_version="s3v4")
    s3.put_object(Bucket="filesbucket", Key="signed", Body=b"hello")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "filesbucket", "Key": "signed"}, ExpiresIn=60)
    assert requests.get(url, timeout=10).content == b"hello"

    tampered = re.sub(r"X-Amz-Signature=([0-9a-f])", lambda m: "X-Amz-Signature=" + ("0" if m[1] != "0" else "1"), url)
    assert "SignatureDoesNotMatch" in requests.get(tampered, timeout=10).text
    other_key = url.replace("/signed?", "/other?")
    assert requests.get(other_key, timeout=10).status_code == 403

    us = boto3.session.Session().client(
        "s3", endpoint_url=rt.endpoint_url, region_name="us-east-1", aws_access_key_id="testing",
        aws_secret_access_key="testing", config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    wrong_region = requests.get(
        us.generate_presigned_url("get_object", Params={"Bucket": "filesbucket", "Key": "signed"}), timeout=10
    )
    assert wrong_region.status_code == 400 and "expecting 'eu-west-1'" in wrong_region.text

    short = s3.generate_presigned_url("get_object", Params={"Bucket": "filesbucket", "Key": "signed"}, ExpiresIn=1)
    time.sleep(2.1)
    expired = requests.get(short, timeout=10)
    assert expired.status_code == 403 and "Request has expired" in expired.text

    put = s3.generate_presigned_url(
        "put_object",
        Params={"Bucket": "filesbucket", "Key": "sized", "ContentLength": 5, "IfNoneMatch": "*"},
        ExpiresIn=60,
    )
    assert requests.put(put, data=b"hello!", timeout=10).status_code == 403  # another length
    assert requests.put(put, data=b"hello", timeout=10).status_code == 403  # If-None-Match left out
    assert requests.put(put, data=b"hello", headers={"If-None-Match": "*"}, timeout=10).status_code == 200
    assert requests.put(put, data=b"hello", headers={"If-None-Match": "*"}, timeout=10).status_code == 412
    chunked = requests.put(put, data=iter([b"hel", b"lo"]), headers={"If-None-Match": "*"}, timeout=10)
    assert chunked.status_code == 411 and "MissingContentLength" in chunked.text


def test_a_bucket_policy_is_evaluated_with_the_requests_conditions(rt):
    """The template's bucket policies deny plain HTTP and signatures other than V4: locally every request
    counts as TLS (the endpoint stands for S3's HTTPS one) and carries its real signature version."""
    import json

    s3 = _s3(rt, signature_version="s3v4")
    s3.put_object(Bucket="filesbucket", Key="guarded", Body=b"x")

    def deny(condition: dict) -> None:
        s3.put_bucket_policy(
            Bucket="filesbucket",
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:GetObject",
                            "Resource": "arn:aws:s3:::filesbucket/*",
                            "Condition": condition,
                        }
                    ],
                }
            ),
        )

    try:
        deny({"Bool": {"aws:SecureTransport": "false"}})
        assert s3.get_object(Bucket="filesbucket", Key="guarded")["Body"].read() == b"x"
        deny({"StringNotEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}})
        assert s3.get_object(Bucket="filesbucket", Key="guarded")["Body"].read() == b"x"
        deny({"StringEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}})  # would deny every V4 request
        with pytest.raises(ClientError):
            s3.get_object(Bucket="filesbucket", Key="guarded")
    finally:
        s3.delete_bucket_policy(Bucket="filesbucket")


# --------------------------------------------------------------------------- the real template


def _function_block(text: str, logical_id: str) -> tuple[int, int]:
    start = text.index(f"\n  {logical_id}:\n")
    following = re.search(r"\n  [A-Za-z0-9]+:\n", text[start + 1 :])
    return start, start + 1 + (following.start() if following else len(text))


def _without(text: str, logical_id: str, fragment: str, instead: str = "") -> str:
    """The template with ``fragment`` removed once from that function's definition (or replaced)."""
    start, end = _function_block(text, logical_id)
    block = text[start:end]
    assert block.count(fragment) == 1, f"{fragment!r} is not once in {logical_id}"
    return text[:start] + block.replace(fragment, instead, 1) + text[end:]


PDF = b"%PDF-1.4\n%%EOF\n"


def _calls(tpl) -> dict:
    topic = next(t.arn for t in tpl.topics if t.logical_id == "EventTopic")
    queue = next(q.arn for q in tpl.queues if q.logical_id == "ReviewQueue")
    sender = tpl.parameters["MailSender"]
    secret = tpl.function("PortalFunction").env["OIDC_CLIENT_SECRET_ARN"]
    return {
        "secret": lambda c: c("secretsmanager").get_secret_value(SecretId=secret),
        "publish": lambda c: c("sns").publish(TopicArn=topic, Message="{}"),
        # sns:Publish authorises PublishBatch too (SNS Developer Guide, API permissions reference).
        "publish_batch": lambda c: _published_batch(c("sns").publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": "a", "Message": "{}"}, {"Id": "b", "Message": "{}"}])),
        "put_item": lambda c: c("dynamodb").put_item(
            TableName="RoutingTable", Item={"pk": {"S": "p"}, "sk": {"S": "s"}}
        ),
        "delete_version": lambda c: c("s3").delete_objects(
            Bucket="documentsbucket",
            Delete={
                "Objects": [
                    {
                        "Key": "applications/a/b",
                        "VersionId": c("s3").put_object(Bucket="documentsbucket", Key="applications/a/b", Body=PDF)[
                            "VersionId"
                        ],
                    }
                ]
            },
        ),
        "upload": lambda c: _presigned_put(c("s3")),
        "schedule": lambda c: c("scheduler").create_schedule(
            Name=f"t-{time.monotonic_ns()}",
            GroupName="TimerScheduleGroup",
            ScheduleExpression="at(2099-01-01T00:00:00)",
            FlexibleTimeWindow={"Mode": "OFF"},
            Target={"Arn": queue, "RoleArn": "arn:aws:iam::123456789012:role/ReviewSchedulerRole"},
        ),
        "mail": lambda c: c("ses").send_raw_email(
            Source=sender,
            Destinations=["x@example.org"],
            RawMessage={"Data": f"From: {sender}\nTo: x@example.org\nSubject: s\n\nb".encode()},
        ),
        "mail_in_set": lambda c: c("ses").send_raw_email(
            Source=sender,
            Destinations=["x@example.org"],
            ConfigurationSetName="MailConfigurationSet",
            RawMessage={"Data": f"From: {sender}\nTo: x@example.org\nSubject: s\n\nb".encode()},
        ),
        "list_versions": lambda c: c("s3").list_object_versions(Bucket="documentsbucket", Prefix="applications/a/"),
    }


def _published_batch(answer: dict) -> None:
    assert not answer.get("Failed") and len(answer["Successful"]) == 2, answer


def _presigned_put(s3) -> None:
    url = s3.generate_presigned_url(
        "put_object",
        Params={"Bucket": "documentsbucket", "Key": f"applications/u/{time.monotonic_ns()}", "ContentLength": len(PDF)},
        ExpiresIn=60,
    )
    response = requests.put(url, data=PDF, timeout=10)
    if response.status_code != 200:
        raise ClientError({"Error": {"Code": re.search(r"<Code>(\w+)</Code>", response.text)[1]}}, "PutObject")


# (function, what is removed from its definition in infra/template.yaml (or replaced), a call its code makes)
PASS_REVIEW_ROLE = (
    "            - Effect: Allow\n              Action: iam:PassRole\n"
    "              Resource: !GetAtt ReviewSchedulerRole.Arn\n              Condition:\n"
    "                StringEquals: {iam:PassedToService: scheduler.amazonaws.com}\n"
)
MUTATIONS: list[tuple[str, str, str, str]] = [
    (
        "PortalFunction",
        "        - AWSSecretsManagerGetSecretValuePolicy: {SecretArn: !Ref PortalOidcClientSecret}\n",
        "",
        "secret",
    ),
    (
        "IntakeApiFunction",
        "        - SNSPublishMessagePolicy: {TopicName: !GetAtt EventTopic.TopicName}\n",
        "",
        "publish",
    ),
    (
        "ReviewApiFunction",
        "        - SNSPublishMessagePolicy: {TopicName: !GetAtt EventTopic.TopicName}\n",
        "",
        "publish_batch",
    ),
    ("IntakeApiFunction", ", s3:DeleteObjectVersion]", "]", "delete_version"),
    ("IntakeApiFunction", "[s3:PutObject, ", "[", "upload"),
    (
        "IntakeApiFunction",
        "StringLike: {s3:prefix: applications/*}",
        "StringLike: {s3:prefix: archive/*}",
        "list_versions",
    ),
    ("RoutingEventsFunction", ", dynamodb:PutItem]", "]", "put_item"),
    ("ReviewEventsFunction", "scheduler:CreateSchedule, ", "", "schedule"),
    ("ReviewEventsFunction", PASS_REVIEW_ROLE, "", "schedule"),
    # The conditions are evaluated: a role passed only to another service cannot be passed to the scheduler.
    (
        "ReviewEventsFunction",
        "{iam:PassedToService: scheduler.amazonaws.com}",
        "{iam:PassedToService: lambda.amazonaws.com}",
        "schedule",
    ),
    ("NotificationEventsFunction", "Action: ses:SendRawEmail", "Action: ses:SendEmail", "mail"),
    (
        "NotificationEventsFunction",
        "{ses:FromAddress: !Ref MailSender}",
        "{ses:FromAddress: someone@else.example}",
        "mail",
    ),
    (
        "NotificationEventsFunction",
        "                - !Sub arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:"
        "configuration-set/${MailConfigurationSet}\n",
        "",
        "mail_in_set",
    ),
]


@pytest.fixture(scope="module")
def template_moto(tmp_path_factory):
    """moto with the real template's resources and the roles of the template and of each mutation."""
    text = TEMPLATE.read_text()
    tpl = load_template(TEMPLATE)
    roles = dict(execution_roles(TEMPLATE))
    mutated = {}
    for n, (function, fragment, instead, _) in enumerate(MUTATIONS):
        path = tmp_path_factory.mktemp("mutation") / "template.yaml"
        path.write_text(_without(text, function, fragment, instead))
        role = execution_roles(path)[function]
        assert role.statements() != roles[function].statements(), "the removal changed nothing"
        mutated[n] = dataclasses.replace(role, name=f"Mutation{n}{function}Role", function_logical_id=f"m{n}")
    moto = Moto()
    try:
        provision(moto, tpl)
        credentials = provision_roles(moto, {**roles, **{f"m{n}": r for n, r in mutated.items()}})
        moto.enforce_iam()
        yield moto, tpl, credentials
    finally:
        moto.stop()


def _client_for(moto, credentials: dict[str, str]):
    session = boto3.session.Session(
        aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=credentials["AWS_SESSION_TOKEN"],
    )
    return lambda service: session.client(
        service,
        endpoint_url=moto.url,
        region_name=REGION,
        config=Config(
            signature_version="s3v4" if service == "s3" else None,
            s3={"addressing_style": "path"},
            retries={"max_attempts": 1},
        ),
    )


def test_the_template_bucket_policies_are_in_place(template_moto):
    import json

    moto, tpl, _ = template_moto
    for bucket in tpl.buckets:
        assert json.loads(moto.client("s3").get_bucket_policy(Bucket=bucket.name)["Policy"]) == bucket.policy


@pytest.mark.parametrize("n", range(len(MUTATIONS)), ids=[f"{f}-{c}-{n}" for n, (f, _, _, c) in enumerate(MUTATIONS)])
def test_removing_one_permission_from_a_function_in_the_template_fails_its_call_with_access_denied(template_moto, n):
    moto, tpl, credentials = template_moto
    function, _, _, call = MUTATIONS[n]
    make = _calls(tpl)[call]
    make(_client_for(moto, credentials[function]))  # allowed by the template as it is
    with pytest.raises(ClientError) as refused:
        make(_client_for(moto, credentials[f"m{n}"]))
    assert refused.value.response["Error"]["Code"] in ("AccessDenied", "AccessDeniedException")
