"""What moto forgives and AWS refuses, refused here too. Loaded by _moto.py, in the moto process.

moto's own IAM enforcement (``INITIAL_NO_AUTH_ACTION_COUNT``) checks every request's Signature V4
and the caller's identity policies, but it knows the resource of a request only for S3, SQS, IAM
and STS; for every other service it asks about ``"*"``, so a policy naming a table or a topic
(every SAM policy template does) would be denied everything. And it cannot read a presigned URL
(a 500), so it checks no upload or download link at all. This module closes those gaps:

- ``PresignedFront`` (WSGI, in front of moto) verifies presigned S3 URLs as S3 does: Signature V4
  only (V2 is refused as by buckets created since June 2020), the credential scope's region, the
  expiry, and every signed header, so a signed Content-Length or If-None-Match binds the upload.
  A verified request is re-signed as a header-signed request with the same credentials, so moto's
  own check then holds the signer's policy against the object (s3:PutObject, s3:GetObjectVersion).
  A request with no signature at all is refused (every bucket here is private).
- ``install()`` gives moto the resources it lacks: DynamoDB (the table or index; per item for
  TransactWriteItems/TransactGetItems and per table for batches, as IAM evaluates them), SNS (the
  topic; PublishBatch held against sns:Publish, the action AWS checks for it), SES (the sending
  identity), EventBridge Scheduler (the schedule, plus ``iam:PassRole`` on the target's role, which
  AWS checks on CreateSchedule) and S3 DeleteObjects (per key: s3:DeleteObject, or
  s3:DeleteObjectVersion for a version). Denials come back in each protocol's
  shape (AccessDeniedException for the JSON protocols), so botocore raises what it raises on AWS.
- Policy conditions, which moto skips (it knows StringEquals alone, and takes a failed condition on an
  Allow for a Deny): ``install_conditions()`` evaluates the operators the template uses against the
  request's context, for identity policies and bucket policies alike: ``iam:PassedToService`` (Scheduler's
  CreateSchedule), ``ses:FromAddress`` (the sender of SendEmail/SendRawEmail), ``s3:prefix`` (listings),
  ``s3:signatureversion`` (the request's real signature) and ``aws:SecureTransport``, which is always
  true here: the local endpoint is plain HTTP but stands for the services' HTTPS endpoints, so a bucket
  policy denying plain HTTP is evaluated, and never fires. A key the request does not carry fails a
  condition (a negated operator holds), as on AWS. Trust policies keep moto's evaluation.
- ``install_operator()`` makes the fixed local credentials (``testing``/``testing``, with or
  without a session token) an identity allowed everything: the runtime itself, tests that inspect
  moto, and operator tools. Functions get their own role's credentials (localrt/iam.py).
"""

from __future__ import annotations

import fnmatch
import hashlib
import hmac
import io
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from email.utils import parseaddr
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from xml.sax.saxutils import escape

# Service (as botocore's event names spell it: "secrets-manager", not the endpoint prefix "secretsmanager") ->
# how a call to it is held against the caller's policies here. A function calling any other service is not
# checked locally (the session runtime's teardown fails on it, tests/testkit/aws_calls.py).
ENFORCED_SERVICES = {
    "s3": "moto (action and object or bucket ARN, bucket policies); presigned URLs verified by PresignedFront first",
    "sqs": "moto (action and queue ARN)",
    "sts": "moto",
    "iam": "moto",
    "dynamodb": "moto, with the table or index ARN from _strict (per item for transactions)",
    "sns": "moto, with the topic ARN from _strict (PublishBatch as sns:Publish)",
    "ses": "moto, with the sending identity's and the configuration set's ARNs and ses:FromAddress from _strict",
    "scheduler": "moto, with the schedule ARN and iam:PassRole (iam:PassedToService) on the target role from _strict",
    "secrets-manager": "moto, with the secret's ARN (as the caller named it) from _strict",
}

log = logging.getLogger("localrt")

ACCOUNT_ID = "123456789012"
OPERATOR = "localrt-operator"
OPERATOR_KEY = "testing"
_MAX_EXPIRES = 7 * 24 * 3600
_ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def enforcing() -> bool:
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin

    return ActionAuthenticatorMixin.request_count >= settings.INITIAL_NO_AUTH_ACTION_COUNT


def enforce() -> None:
    """From now on every request is authenticated and authorised (moto's switch, set in-process)."""
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin

    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    ActionAuthenticatorMixin.request_count = 0


# --------------------------------------------------------------------------- policy conditions

_request = threading.local()  # the condition context of the request this thread handles


def request_context() -> dict[str, str]:
    return getattr(_request, "context", {})


def set_request_context(context: dict[str, str]) -> None:
    _request.context = context


_NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike"}


def _matches(operator: str, expected: str, actual: str) -> bool:
    if operator in ("StringEquals", "StringNotEquals"):
        return actual == expected
    if operator in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        return actual.lower() == expected.lower()
    if operator in ("StringLike", "StringNotLike", "ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals"):
        return fnmatch.fnmatchcase(actual, expected)  # * and ?, as IAM's wildcards
    if operator == "Bool":
        return actual.lower() == expected.lower()
    raise KeyError(operator)


def condition_holds(conditions: dict[str, dict[str, Any]], context: dict[str, str]) -> bool:
    """A statement's Condition block against a request context, as IAM evaluates it: every operator and
    every key must hold (AND), any of a key's values may match (OR). A key absent from the context fails
    the condition, except under a negated operator or ...IfExists; Null tests presence. An operator this
    module does not know fails the condition (a warning says which): strict rather than open."""
    keys = {k.lower(): v for k, v in context.items()}  # condition keys are case-insensitive
    for operator, tests in conditions.items():
        base = operator.split(":", 1)[-1]  # ForAnyValue:/ForAllValues: on single-valued keys
        if_exists = base.endswith("IfExists")
        base = base.removesuffix("IfExists")
        for key, wanted in tests.items():
            values = [str(v).lower() if isinstance(v, bool) else str(v)
                      for v in (wanted if isinstance(wanted, list) else [wanted])]
            actual = keys.get(key.lower())
            if base == "Null":
                if (values[0].lower() == "true") != (actual is None):
                    return False
                continue
            if actual is None:
                if if_exists or base in _NEGATED:
                    continue
                return False
            try:
                hit = any(_matches(base, value, actual) for value in values)
            except KeyError:
                log.warning("policy condition operator %s is not evaluated locally: the statement does not apply",
                            operator)
                return False
            if hit == (base in _NEGATED):
                return False
    return True


def install_conditions() -> None:
    """moto's statement evaluation with conditions evaluated (condition_holds, on the request's context)
    and a failed condition making a statement not apply, instead of moto's explicit deny."""
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    original = IAMPolicyStatement.is_action_permitted

    def is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
        condition = self._statement.get("Condition")
        if principal is not None or not condition:  # a trust policy (moto's own check), or nothing to evaluate
            return original(self, action, resource, principal, incoming_condition_values)
        concerned = (not self._check_element_matches("NotAction", action) if "NotAction" in self._statement
                     else self._check_element_matches("Action", action))
        if not concerned or self.is_unknown_principal(self._statement.get("Principal")):
            return PermissionResult.NEUTRAL
        if not condition_holds(condition, {**request_context(), **(incoming_condition_values or {})}):
            return PermissionResult.NEUTRAL
        if not self._statement.get("Resource") or not self._check_element_matches("Resource", resource):
            return PermissionResult.NEUTRAL
        return PermissionResult.PERMITTED if self._statement["Effect"] == "Allow" else PermissionResult.DENIED

    IAMPolicyStatement.is_action_permitted = is_action_permitted  # type: ignore[method-assign]


# --------------------------------------------------------------------------- the operator identity


def install_operator(endpoint_url: str) -> None:
    """``testing``/``testing`` (and the same with session token ``testing``) may do everything."""
    import boto3
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    def client(service: str):
        return boto3.session.Session().client(
            service, endpoint_url=endpoint_url, region_name="us-east-1",
            aws_access_key_id=OPERATOR_KEY, aws_secret_access_key=OPERATOR_KEY)

    iam = client("iam")
    iam.create_user(UserName=OPERATOR)
    iam.put_user_policy(UserName=OPERATOR, PolicyName="everything", PolicyDocument=_ALLOW_ALL)
    iam.create_access_key(UserName=OPERATOR)
    iam.create_role(RoleName=OPERATOR, AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}}]}))
    iam.put_role_policy(RoleName=OPERATOR, PolicyName="everything", PolicyDocument=_ALLOW_ALL)
    client("sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/{OPERATOR}", RoleSessionName=OPERATOR)
    # moto generates key ids; the runtime and the operator tools use fixed fake credentials.
    [key] = iam_backends[ACCOUNT_ID]["aws"].get_user(OPERATOR).access_keys
    key.access_key_id = key.secret_access_key = OPERATOR_KEY
    session = next(s for s in sts_backends[ACCOUNT_ID]["aws"].assumed_roles if s.role_arn.endswith(f"/{OPERATOR}"))
    session.access_key_id = session.secret_access_key = session.session_token = OPERATOR_KEY


# --------------------------------------------------------------------------- authorising a request


Pair = tuple[str, str] | tuple[str, str, dict[str, str]]  # (action, resource[, condition context])


def _authorize(response: Any, request_cls: type, pairs: Sequence[Pair],
               errors: Callable[[Exception], Exception] | None = None) -> None:
    """moto's ``_authenticate_and_authorize_action`` for several (action, resource[, context]) pairs."""
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin

    if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
        ActionAuthenticatorMixin.request_count += 1
        return
    path = response.raw_path
    query = urlsplit(response.uri).query
    if query:
        path += "?" + query
    try:
        # moto's data is the headers for a REST GET; signed as a body, it would never match.
        # A query-protocol POST (SES) may carry its form in data with raw_body unset.
        data = response.data if response.raw_body or response.method == "POST" else {}
        iam_request = request_cls(account_id=response.current_account, method=response.method, path=path,
                                  data=data, body=response.raw_body, headers=response.headers,
                                  action=pairs[0][0].split(":", 1)[1])
        iam_request.check_signature()
        base = request_context()
        for action, resource, *extra in pairs:
            iam_request._action = action  # the service prefix may differ (iam:PassRole)
            set_request_context({**base, **(extra[0] if extra else {})})
            try:
                iam_request.check_action_permitted(resource)
            finally:
                set_request_context(base)
    except Exception as exc:  # noqa: BLE001 - moto's HTTP errors, re-shaped for the protocol
        if errors is None:
            raise
        raise errors(exc) from None


def _json_errors(denied_code: int) -> Callable[[Exception], Exception]:
    def convert(exc: Exception) -> Exception:
        from moto.core.exceptions import JsonRESTError

        kind = getattr(exc, "error_type", "") or type(exc).__name__
        message = getattr(exc, "message", "") or str(exc)
        mapped = {"AccessDenied": "AccessDeniedException", "SignatureDoesNotMatch": "InvalidSignatureException",
                  "InvalidClientTokenId": "UnrecognizedClientException"}.get(kind, kind)
        error = JsonRESTError(mapped, message)
        error.code = denied_code if mapped == "AccessDeniedException" else 400
        return error

    return convert


def _body(response: Any) -> dict:
    raw = response.raw_body
    try:
        data = json.loads(raw) if raw else {}
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


# -- DynamoDB

_TRANSACT_WRITE = {
    "Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem",
}


def dynamodb_pairs(action: str, body: dict, region: str, account: str) -> list[tuple[str, str]]:
    """The (action, resource) pairs IAM evaluates for one DynamoDB request."""

    def table(name: str) -> str:
        return f"arn:aws:dynamodb:{region}:{account}:table/{name}"

    if action == "TransactWriteItems":
        return [
            (f"dynamodb:{_TRANSACT_WRITE[kind]}", table(spec["TableName"]))
            for item in body.get("TransactItems", [])
            for kind, spec in item.items()
            if kind in _TRANSACT_WRITE
        ]
    if action == "TransactGetItems":
        return [
            ("dynamodb:GetItem", table(item["Get"]["TableName"]))
            for item in body.get("TransactItems", [])
            if "Get" in item
        ]
    if action in ("BatchWriteItem", "BatchGetItem"):
        return [(f"dynamodb:{action}", table(name)) for name in body.get("RequestItems", {})]
    name = body.get("TableName")
    if not name:
        return [(f"dynamodb:{action}", "*")]
    if body.get("IndexName"):
        return [(f"dynamodb:{action}", f"{table(name)}/index/{body['IndexName']}")]
    return [(f"dynamodb:{action}", table(name))]


# -- Scheduler


def scheduler_pairs(action: str, path: str, query: dict, body: dict, region: str, account: str) -> list[Pair]:
    match = re.search(r"/schedules/([^/?]+)", path)
    if not match:
        group = re.search(r"/schedule-groups/([^/?]+)", path)
        resource = f"arn:aws:scheduler:{region}:{account}:schedule-group/{unquote(group.group(1))}" if group else "*"
        return [(f"scheduler:{action}", resource)]
    group = body.get("GroupName") or (query.get("groupName") or ["default"])[0]
    pairs: list[Pair] = [
        (f"scheduler:{action}", f"arn:aws:scheduler:{region}:{account}:schedule/{group}/{unquote(match.group(1))}")
    ]
    role = (body.get("Target") or {}).get("RoleArn")
    if action in ("CreateSchedule", "UpdateSchedule") and role:
        pairs.append(("iam:PassRole", role, {"iam:PassedToService": "scheduler.amazonaws.com"}))
    return pairs


def install() -> None:
    """Teach moto's IAM enforcement the resources of the services the system uses."""
    from moto.dynamodb.responses import DynamoHandler
    from moto.iam.access_control import IAMRequest, S3IAMRequest
    from moto.s3.responses import S3Response
    from moto.scheduler.responses import EventBridgeSchedulerResponse
    from moto.secretsmanager.responses import SecretsManagerResponse
    from moto.ses.responses import EmailResponse
    from moto.sns.responses import SNSResponse

    def dynamodb(self, resource: str = "*") -> None:
        pairs = dynamodb_pairs(self._get_action(), _body(self), self.region, self.current_account)
        _authorize(self, IAMRequest, pairs or [(f"dynamodb:{self._get_action()}", "*")], _json_errors(400))

    DynamoHandler._authenticate_and_authorize_normal_action = dynamodb  # type: ignore[method-assign]

    def scheduler(self, resource: str = "*") -> None:
        parts = urlsplit(self.uri)
        from urllib.parse import parse_qs

        pairs = scheduler_pairs(
            self._get_action(), parts.path, parse_qs(parts.query), _body(self), self.region, self.current_account
        )
        _authorize(self, IAMRequest, pairs, _json_errors(403))

    EventBridgeSchedulerResponse._authenticate_and_authorize_normal_action = scheduler  # type: ignore[method-assign]

    def sns_resource(self) -> str:
        arn = self._get_param("TopicArn") or self._get_param("TargetArn")
        if arn:
            return arn
        if self._get_action() == "CreateTopic" and self._get_param("Name"):
            return f"arn:aws:sns:{self.region}:{self.current_account}:{self._get_param('Name')}"
        return "*"

    SNSResponse._determine_resource = sns_resource  # type: ignore[attr-defined]

    original_sns = SNSResponse._authenticate_and_authorize_normal_action

    def sns(self, resource: str = "*") -> None:
        """PublishBatch is authorised by sns:Publish, as on SNS ("sns:Publish: Grants permission to both
        publish and publish batch", SNS Developer Guide, API permissions reference); moto asks for
        sns:PublishBatch, which no policy grants. Every other call as moto checks it."""
        if self._get_action() == "PublishBatch":
            _authorize(self, IAMRequest, [("sns:Publish", resource)])
            return
        original_sns(self, resource)

    SNSResponse._authenticate_and_authorize_normal_action = sns  # type: ignore[method-assign]

    def ses_sender(self) -> str | None:
        source = self._get_param("Source") or self._get_param("FromArn")
        if not source and self._get_action() == "SendRawEmail":
            import base64
            from email import message_from_bytes

            raw = self._get_param("RawMessage.Data")
            try:
                source = message_from_bytes(base64.b64decode(raw)).get("From") if raw else None
            except (ValueError, TypeError):
                source = None
        return (parseaddr(source)[1] or source) if source else None

    def ses(self, resource: str = "*") -> None:
        """A send is held against the identity SES would authorise it with (the address when it is
        verified, else its domain), the configuration set it names (which must exist, as on SES), and
        ses:FromAddress; any other SES call against "*"."""
        from moto.iam.access_control import IAMRequest
        from moto.ses.exceptions import ConfigurationSetDoesNotExist
        from moto.ses.models import ses_backends

        action = self._get_action()
        sender = ses_sender(self)
        if not sender:
            _authorize(self, IAMRequest, [(f"ses:{action}", "*")])
            return
        arn = f"arn:aws:ses:{self.region}:{self.current_account}"
        backend = ses_backends[self.current_account][self.region]
        identity = sender if sender in backend.email_identities else sender.rsplit("@", 1)[-1]
        context = {"ses:FromAddress": sender}
        pairs: list[Pair] = [(f"ses:{action}", f"{arn}:identity/{identity}", context)]
        configuration_set = self._get_param("ConfigurationSetName")
        if configuration_set:
            if configuration_set not in backend.config_sets:
                raise ConfigurationSetDoesNotExist(f"Configuration set <{configuration_set}> does not exist.")
            pairs.append((f"ses:{action}", f"{arn}:configuration-set/{configuration_set}", context))
        _authorize(self, IAMRequest, pairs)

    EmailResponse._authenticate_and_authorize_normal_action = ses  # type: ignore[method-assign]

    def secret_resource(self) -> str:
        secret_id = self._get_param("SecretId") or self._get_param("Name")
        if not secret_id:
            return "*"
        if secret_id.startswith("arn:"):
            return secret_id
        return f"arn:aws:secretsmanager:{self.region}:{self.current_account}:secret:{secret_id}"

    SecretsManagerResponse._determine_resource = secret_resource  # type: ignore[attr-defined]

    def secretsmanager(self, resource: str = "*") -> None:
        # Secrets Manager speaks JSON: a refusal is {"__type": "AccessDeniedException"} with HTTP 400 (its API
        # reference, common errors). moto's own check answered in XML with a 403, which botocore reads as
        # error code "403".
        _authorize(self, IAMRequest, [(f"secretsmanager:{self._get_action()}", secret_resource(self))],
                   _json_errors(400))

    SecretsManagerResponse._authenticate_and_authorize_normal_action = secretsmanager  # type: ignore[method-assign]

    original_post = S3Response._bucket_response_post

    def s3_post(self, request: Any, bucket_name: str):
        self.path = self._get_path(request)  # what is_delete_keys reads
        if self.is_delete_keys() and request.headers.get("Content-Length"):
            import xmltodict

            objects = (xmltodict.parse(self.body or b"<Delete/>").get("Delete") or {}).get("Object") or []
            objects = objects if isinstance(objects, list) else [objects]
            pairs = [
                (
                    "s3:DeleteObjectVersion" if o.get("VersionId") else "s3:DeleteObject",
                    f"arn:aws:s3:::{bucket_name}/{o.get('Key')}",
                )
                for o in objects
            ]
            # AWS answers 200 with an AccessDenied per refused key; refusing the whole request is
            # stricter and just as loud (the adapter raises on either).
            _authorize(self, S3IAMRequest, pairs or [("s3:DeleteObject", f"arn:aws:s3:::{bucket_name}")])
            return self._bucket_response_delete_keys(bucket_name)
        return original_post(self, request, bucket_name)

    S3Response._bucket_response_post = s3_post  # type: ignore[method-assign]


# --------------------------------------------------------------------------- presigned URLs


def _s3_error(status: int, code: str, message: str) -> tuple[int, bytes]:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{escape(message)}'
        f"</Message><RequestId>localrt</RequestId></Error>"
    ).encode()
    return status, body


def _uri_encode(text: str) -> str:
    return quote(text, safe="-_.~")


def _query_pairs(raw_query: str) -> list[tuple[str, str]]:
    pairs = []
    for part in raw_query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((unquote(key), unquote(value)))
    return pairs


def signing_key(secret: str, day: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def presigned_signature(
    *,
    method: str,
    raw_path: str,
    query: list[tuple[str, str]],
    headers: dict[str, str],
    signed_headers: list[str],
    amz_date: str,
    scope: str,
    secret: str,
) -> str:
    """The Signature V4 of a presigned S3 request (query authentication, unsigned payload),
    written from the specification rather than with botocore, so that it checks botocore."""
    canonical_query = "&".join(f"{_uri_encode(k)}={_uri_encode(v)}" for k, v in sorted(query) if k != "X-Amz-Signature")
    canonical_headers = "".join(f"{name}:{' '.join(headers.get(name, '').split())}\n" for name in signed_headers)
    canonical = "\n".join(
        [method, raw_path, canonical_query, canonical_headers, ";".join(signed_headers), "UNSIGNED-PAYLOAD"]
    )
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    day, region, service, _ = scope.split("/")
    return hmac.new(signing_key(secret, day, region, service), to_sign.encode(), hashlib.sha256).hexdigest()


def _credentials(access_key_id: str, token: str | None) -> Any:
    """The credentials moto knows under that key id (an IAM user's key or a role session)."""
    from moto.iam.access_control import CreateAccessKeyFailure, create_access_key

    headers = {"X-Amz-Security-Token": token} if token else {}
    try:
        return create_access_key(ACCOUNT_ID, "aws", access_key_id, headers).create_credentials()
    except CreateAccessKeyFailure as exc:
        raise _Refused(
            *_s3_error(
                403,
                "InvalidToken" if exc.reason == "InvalidToken" else "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
            )
        ) from None


def _bucket_region(bucket: str) -> str | None:
    from moto.s3.models import s3_backends

    try:
        return s3_backends[ACCOUNT_ID]["aws"].get_bucket(bucket).region_name
    except Exception:  # noqa: BLE001 - no such bucket: S3 answers NoSuchBucket later
        return None


class _Refused(Exception):
    def __init__(self, status: int, body: bytes):
        super().__init__(status)
        self.status, self.body = status, body


_SIGV2_QUERY = ("AWSAccessKeyId", "Signature")
_AUTH_PARAMS = {
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "X-Amz-Security-Token",
}
_HEADER_ENVIRON = {"content-type": "CONTENT_TYPE", "content-length": "CONTENT_LENGTH"}


def _header(environ: dict, name: str) -> str | None:
    key = _HEADER_ENVIRON.get(name) or "HTTP_" + name.upper().replace("-", "_")
    return environ.get(key)


def verify_presigned(environ: dict, now: float | None = None) -> tuple[Any, str, list[tuple[str, str]]]:
    """Checks a presigned request as S3 does; returns (credentials, region, the other query
    parameters). Raises _Refused with S3's error."""
    raw_query = environ.get("QUERY_STRING", "")
    query = _query_pairs(raw_query)
    params = dict(query)
    if "X-Amz-Algorithm" not in params:
        raise _Refused(
            *_s3_error(
                400,
                "InvalidRequest",
                "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
            )
        )
    if params["X-Amz-Algorithm"] != "AWS4-HMAC-SHA256":
        raise _Refused(
            *_s3_error(400, "AuthorizationQueryParametersError", 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"')
        )
    try:
        access_key_id, day, region, service, terminal = params["X-Amz-Credential"].split("/")
        amz_date, expires = params["X-Amz-Date"], int(params["X-Amz-Expires"])
        signed_headers = params["X-Amz-SignedHeaders"].split(";")
        signature = params["X-Amz-Signature"]
        signed_at = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp()
    except (KeyError, ValueError):
        raise _Refused(
            *_s3_error(
                400,
                "AuthorizationQueryParametersError",
                "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, "
                "and X-Amz-Expires parameters.",
            )
        ) from None
    if service != "s3" or terminal != "aws4_request" or not amz_date.startswith(day):
        raise _Refused(
            *_s3_error(400, "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter")
        )
    if not 1 <= expires <= _MAX_EXPIRES:
        raise _Refused(
            *_s3_error(
                400,
                "AuthorizationQueryParametersError",
                "X-Amz-Expires must be less than a week (in seconds) that is, the given "
                "X-Amz-Expires must be less than 604800 seconds",
            )
        )
    if "host" not in signed_headers:
        raise _Refused(*_s3_error(400, "AuthorizationQueryParametersError", "host must be a signed header"))
    raw_path = environ.get("RAW_URI") or environ.get("REQUEST_URI") or quote(environ.get("PATH_INFO", "/"))
    raw_path = urlsplit(raw_path).path
    bucket = unquote(raw_path.lstrip("/").split("/", 1)[0])
    expected_region = _bucket_region(bucket)
    if expected_region and region != expected_region:
        raise _Refused(
            *_s3_error(
                400,
                "AuthorizationQueryParametersError",
                f"Error parsing the X-Amz-Credential parameter; the region '{region}' is wrong; "
                f"expecting '{expected_region}'",
            )
        )
    credentials = _credentials(access_key_id, params.get("X-Amz-Security-Token"))
    headers = {name: _header(environ, name) or "" for name in signed_headers}
    headers["host"] = environ.get("HTTP_HOST", "")
    expected = presigned_signature(
        method=environ["REQUEST_METHOD"],
        raw_path=raw_path,
        query=query,
        headers=headers,
        signed_headers=signed_headers,
        amz_date=amz_date,
        scope=f"{day}/{region}/{service}/{terminal}",
        secret=credentials.secret_key,
    )
    if not hmac.compare_digest(expected, signature):
        raise _Refused(
            *_s3_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match "
                "the signature you provided. Check your key and signing method.",
            )
        )
    if (now if now is not None else time.time()) > signed_at + expires:
        raise _Refused(*_s3_error(403, "AccessDenied", "Request has expired"))
    return credentials, region, [(k, v) for k, v in query if k not in _AUTH_PARAMS]


def _resign(environ: dict, credentials: Any, region: str, rest: list[tuple[str, str]]) -> None:
    """Turns the verified presigned request into the header-signed request moto checks itself."""
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest

    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    query = "&".join(f"{_uri_encode(k)}={_uri_encode(v)}" for k, v in rest)
    raw_path = urlsplit(environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")).path
    headers = {"host": environ.get("HTTP_HOST", "")}
    for key, value in environ.items():
        name = key[5:].lower().replace("_", "-") if key.startswith("HTTP_") else None
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            headers[key.lower().replace("_", "-")] = value
        elif name and (name.startswith("x-amz-") or name in ("if-none-match", "if-match", "content-md5")):
            headers[name] = value
    request = AWSRequest(
        method=environ["REQUEST_METHOD"],
        url=f"http://{headers['host']}{raw_path}" + (f"?{query}" if query else ""),
        data=body,
        headers=headers,
    )
    S3SigV4Auth(credentials, "s3", region).add_auth(request)
    environ["QUERY_STRING"] = query
    for uri_key in ("RAW_URI", "REQUEST_URI"):
        if uri_key in environ:
            environ[uri_key] = raw_path + (f"?{query}" if query else "")
    for name in ("Authorization", "X-Amz-Date", "X-Amz-Content-SHA256", "X-Amz-Security-Token"):
        if name in request.headers:
            environ["HTTP_" + name.upper().replace("-", "_")] = request.headers[name]


class PresignedFront:
    """WSGI middleware in front of moto's app: see the module docstring."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        # A browser's CORS preflight carries no credentials; S3 answers it from the bucket's CORS rules.
        if (
            not enforcing()
            or environ.get("PATH_INFO", "").startswith("/moto-api")
            or environ.get("REQUEST_METHOD") == "OPTIONS"
        ):
            return self.app(environ, start_response)
        query = environ.get("QUERY_STRING", "")
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        try:
            if authorization.startswith("AWS "):
                raise _Refused(
                    *_s3_error(
                        400,
                        "InvalidRequest",
                        "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
                    )
                )
            if not authorization:
                names = {unquote(p.partition("=")[0]) for p in query.split("&") if p}
                if "X-Amz-Algorithm" in names or "X-Amz-Signature" in names or set(_SIGV2_QUERY) <= names:
                    if environ.get("REQUEST_METHOD") == "PUT" and not environ.get("CONTENT_LENGTH"):
                        raise _Refused(
                            *_s3_error(411, "MissingContentLength", "You must provide the Content-Length HTTP header.")
                        )
                    _resign(environ, *verify_presigned(environ))
                else:
                    raise _Refused(*_s3_error(403, "AccessDenied", "Access Denied"))
        except _Refused as refused:
            start_response(
                f"{refused.status} {HTTPStatus(refused.status).phrase}",
                [("Content-Type", "application/xml"), ("Content-Length", str(len(refused.body)))],
            )
            return [refused.body]
        set_request_context(_condition_context(environ))
        try:
            return self.app(environ, start_response)
        finally:
            set_request_context({})


def _condition_context(environ: dict) -> dict[str, str]:
    """The global and S3 condition keys of a request (install_conditions reads them)."""
    context = {"aws:SecureTransport": "true"}  # the local endpoint stands for an HTTPS one (module docstring)
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    if authorization.startswith("AWS4-HMAC-SHA256"):  # presigned requests were re-signed as such by now
        context["s3:signatureversion"] = "AWS4-HMAC-SHA256"
    prefix = dict(_query_pairs(environ.get("QUERY_STRING", ""))).get("prefix")
    if prefix is not None:
        context["s3:prefix"] = prefix
    return context
