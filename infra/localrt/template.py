"""Read the SAM template and give the runtime a typed view of the topology.

The template is the single source of truth: every table, queue, subscription, route and
function the local runtime wires comes from here, so local and deployed topology cannot drift.
Only what the runtime needs is modelled: IAM comes from SAM's translation (iam.py); alarms, the dashboard,
log groups, KMS keys and retention policies are skipped (nothing runs them locally; infra/localrt/README.md
says what is honoured of each feature).

Local physical names are predictable (no stack-name prefixes or random suffixes) so that a
developer can find things in moto: the logical id, lower-cased for buckets (S3 names must be).
"""

from __future__ import annotations

import base64
import copy
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cfn_yaml import load_yaml

log = logging.getLogger("localrt")

ACCOUNT_ID = "123456789012"
REGION = "eu-west-1"
PARTITION = "aws"
STACK_NAME = "leerwerkplek-local"

# Parameters the deployed stack gets from the pipeline; locally the runtime is the issuer.
LOCAL_PARAMETER_OVERRIDES = {
    "JwtIssuer": "localrt", "JwtAudience": "leerwerkplek-local",
    # The portal logs in at the runtime's own fake OpenID provider (oidc.py), on whatever port it serves,
    # and browsers upload from the runtime's origin, on any port.
    "OidcDiscoveryUrl": "/_local/oidc/.well-known/openid-configuration",
    "PortalOrigin": "http://127.0.0.1:*",
}
# Values for parameters a deployment must choose (they have no default), where a template leaves them so:
# locally the sender's SES and the operator's mailbox are moto's.
LOCAL_REQUIRED_VALUES = {
    "MailSender": "noreply@duaal-leren.example.be",
    "AlarmEmail": "operator@duaal-leren.example.be",
}


# --------------------------------------------------------------------------- typed view


@dataclass
class Table:
    logical_id: str
    name: str
    attribute_definitions: list[dict]
    key_schema: list[dict]
    global_secondary_indexes: list[dict] = field(default_factory=list)
    local_secondary_indexes: list[dict] = field(default_factory=list)
    ttl_attribute: str | None = None


@dataclass
class Bucket:
    logical_id: str
    name: str
    versioned: bool = False
    cors_rules: list[dict] = field(default_factory=list)  # CorsConfiguration.CorsRules, as in the template
    policy: dict | None = None  # the PolicyDocument of its AWS::S3::BucketPolicy


@dataclass
class Secret:
    logical_id: str
    name: str


@dataclass
class Topic:
    logical_id: str
    name: str
    arn: str


@dataclass
class Queue:
    logical_id: str
    name: str
    arn: str
    visibility_timeout: int = 30
    redrive_policy: dict | None = None  # {"deadLetterTargetArn": ..., "maxReceiveCount": n}
    attributes: dict[str, str] = field(default_factory=dict)  # other SQS attributes, as strings


@dataclass
class Subscription:
    logical_id: str
    topic_arn: str
    protocol: str
    endpoint: str
    raw_message_delivery: bool = False
    filter_policy: dict | None = None
    filter_policy_scope: str | None = None


@dataclass
class MailEventDestination:
    """An AWS::SES::ConfigurationSetEventDestination with an SnsDestination."""

    configuration_set: str
    topic_arn: str
    event_types: list[str]


@dataclass
class ScheduleGroup:
    logical_id: str
    name: str


@dataclass(frozen=True)
class HttpRoute:
    method: str  # upper case, or ANY
    path: str  # "/applications/{proxy+}"
    public: bool
    authorizer: str | None = None  # as the event declares it (None: the API's default)

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class SqsEventSource:
    queue_arn: str
    queue_logical_id: str
    batch_size: int = 10
    function_response_types: tuple[str, ...] = ()
    maximum_concurrency: int | None = None  # ScalingConfig.MaximumConcurrency

    @property
    def reports_batch_item_failures(self) -> bool:
        return "ReportBatchItemFailures" in self.function_response_types


@dataclass
class Function:
    logical_id: str
    name: str
    handler: str  # "pkg.module.func"
    code_dir: Path
    env: dict[str, str]
    timeout: int = 3
    memory_size: int = 128
    http_routes: list[HttpRoute] = field(default_factory=list)
    sqs_events: list[SqsEventSource] = field(default_factory=list)
    reserved_concurrency: int | None = None  # ReservedConcurrentExecutions
    build_method: str | None = None  # Metadata.BuildMethod: "makefile" runs from its built artefact (artifact.py)

    @property
    def arn(self) -> str:
        return f"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT_ID}:function:{self.name}"


@dataclass
class JwtAuthorizer:
    issuer: str
    audience: list[str]


@dataclass(frozen=True)
class Throttle:
    rate: float  # requests per second (ThrottlingRateLimit)
    burst: int  # ThrottlingBurstLimit


@dataclass
class HttpApiSettings:
    """The stage's throttling and the API's CORS configuration (SAM's HttpApi properties)."""

    default_throttle: Throttle | None = None
    route_throttles: dict[str, Throttle] = field(default_factory=dict)  # route key -> its own
    cors: dict | None = None  # CorsConfiguration, as in the template

    def throttle(self, route_key: str) -> Throttle | None:
        return self.route_throttles.get(route_key, self.default_throttle)


@dataclass
class Template:
    path: Path
    parameters: dict[str, str]
    tables: list[Table]
    buckets: list[Bucket]
    topics: list[Topic]
    queues: list[Queue]
    subscriptions: list[Subscription]
    schedule_groups: list[ScheduleGroup]
    functions: list[Function]
    authorizer: JwtAuthorizer | None
    secrets: list[Secret] = field(default_factory=list)
    http_api: HttpApiSettings = field(default_factory=HttpApiSettings)
    mail_identities: list[str] = field(default_factory=list)  # AWS::SES::EmailIdentity: an address or a domain
    configuration_sets: list[str] = field(default_factory=list)  # AWS::SES::ConfigurationSet names
    mail_event_destinations: list[MailEventDestination] = field(default_factory=list)  # SES -> SNS

    def queue_by_arn(self, arn: str) -> Queue:
        return next(q for q in self.queues if q.arn == arn)

    @property
    def dead_letter_queue_arns(self) -> set[str]:
        return {q.redrive_policy["deadLetterTargetArn"] for q in self.queues if q.redrive_policy}

    @property
    def consumer_queues(self) -> list[Queue]:
        """Queues a function consumes (an SQS event source): what settle waits on. DLQs and queues
        polled by someone outside the system (e.g. a partner's feed) never drain locally."""
        consumed = {e.queue_arn for f in self.functions for e in f.sqs_events}
        return [q for q in self.queues if q.arn in consumed]

    def function(self, logical_id: str) -> Function:
        return next(f for f in self.functions if f.logical_id == logical_id)


# --------------------------------------------------------------------------- intrinsics

_NO_VALUE = object()  # AWS::NoValue: the key disappears


class TemplateError(ValueError):
    pass


class _Resolver:
    """Resolves the intrinsic functions the runtime needs, with local physical names."""

    def __init__(self, doc: dict, parameters: dict[str, str]):
        self.resources: dict[str, dict] = doc.get("Resources") or {}
        self.parameters = parameters
        self.conditions_doc: dict = doc.get("Conditions") or {}
        self._conditions: dict[str, bool] = {}
        self.pseudo = {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": PARTITION,
            "AWS::StackName": STACK_NAME,
            "AWS::StackId": f"arn:{PARTITION}:cloudformation:{REGION}:{ACCOUNT_ID}:stack/{STACK_NAME}/local",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": _NO_VALUE,
        }

    # -- names of resources
    def physical_name(self, logical_id: str) -> str:
        rtype = self._type(logical_id)
        if rtype == "AWS::S3::Bucket":
            return logical_id.lower()
        return logical_id

    def _type(self, logical_id: str) -> str:
        if logical_id not in self.resources:
            raise TemplateError(f"unknown resource {logical_id!r}")
        return self.resources[logical_id].get("Type", "")

    def arn(self, logical_id: str) -> str:
        rtype, name = self._type(logical_id), self.physical_name(logical_id)
        p, r, a = PARTITION, REGION, ACCOUNT_ID
        return {
            "AWS::SNS::Topic": f"arn:{p}:sns:{r}:{a}:{name}",
            "AWS::SQS::Queue": f"arn:{p}:sqs:{r}:{a}:{name}",
            "AWS::S3::Bucket": f"arn:{p}:s3:::{name}",
            "AWS::DynamoDB::Table": f"arn:{p}:dynamodb:{r}:{a}:table/{name}",
            "AWS::Scheduler::ScheduleGroup": f"arn:{p}:scheduler:{r}:{a}:schedule-group/{name}",
            "AWS::IAM::Role": f"arn:{p}:iam::{a}:role/{name}",
            "AWS::Serverless::Function": f"arn:{p}:lambda:{r}:{a}:function:{name}",
            "AWS::Lambda::Function": f"arn:{p}:lambda:{r}:{a}:function:{name}",
            # A partial ARN (AWS appends six random characters): Secrets Manager takes it as SecretId.
            "AWS::SecretsManager::Secret": f"arn:{p}:secretsmanager:{r}:{a}:secret:{name}",
        }.get(rtype, f"arn:{p}:{rtype.split('::')[1].lower() if '::' in rtype else 'local'}:{r}:{a}:{name}")

    def ref(self, name: str) -> Any:
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        rtype = self._type(name)
        if rtype == "AWS::SNS::Topic":
            return self.arn(name)  # Ref of a topic is its ARN
        if rtype == "AWS::SQS::Queue":  # Ref of a queue is its URL
            return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT_ID}/{self.physical_name(name)}"
        if rtype == "AWS::SecretsManager::Secret":  # Ref of a secret is its ARN, as on AWS
            return self.arn(name)
        return self.physical_name(name)

    def get_att(self, logical_id: str, attr: str) -> Any:
        if attr in ("Arn", "TopicArn"):
            return self.arn(logical_id)
        name = self.physical_name(logical_id)
        if attr in ("QueueName", "TopicName", "Name"):
            return name
        if attr == "QueueUrl":
            return self.ref(logical_id)
        if attr == "DomainName":
            return f"{name}.s3.amazonaws.com"
        return f"{name}.{attr}"  # an attribute the runtime never reads

    # -- conditions
    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            if name not in self.conditions_doc:
                raise TemplateError(f"unknown condition {name!r}")
            self._conditions[name] = bool(self.resolve(self.conditions_doc[name]))
        return self._conditions[name]

    # -- the walk
    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            items = [self.resolve(v) for v in value]
            return [v for v in items if v is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Condition" and isinstance(arg, str):
                return self.condition(arg)
            if key.startswith("Fn::"):
                return self._fn(key[4:], arg)
        out = {}
        for k, v in value.items():
            rv = self.resolve(v)
            if rv is not _NO_VALUE:
                out[k] = rv
        return out

    def _fn(self, fn: str, arg: Any) -> Any:
        if fn == "GetAtt":
            logical_id, attr = arg if isinstance(arg, list) else arg.split(".", 1)
            return self.get_att(logical_id, self.resolve(attr))
        if fn == "Sub":
            return self._sub(arg)
        if fn == "Join":
            sep, items = arg
            return self.resolve(sep).join(str(i) for i in self.resolve(items))
        if fn == "Select":
            index, items = self.resolve(arg)
            return items[int(index)]
        if fn == "Split":
            sep, text = self.resolve(arg)
            return text.split(sep)
        if fn == "Equals":
            a, b = self.resolve(arg)
            return str(a) == str(b)
        if fn == "Not":
            return not self.resolve(arg[0] if isinstance(arg, list) else arg)
        if fn == "And":
            return all(self.resolve(a) for a in arg)
        if fn == "Or":
            return any(self.resolve(a) for a in arg)
        if fn == "If":
            cond, yes, no = arg
            return self.resolve(yes if self.condition(cond) else no)
        if fn == "Base64":
            return base64.b64encode(str(self.resolve(arg)).encode()).decode()
        if fn == "GetAZs":
            return [f"{REGION}a", f"{REGION}b", f"{REGION}c"]
        if fn == "Length":
            return len(self.resolve(arg))
        raise TemplateError(f"intrinsic Fn::{fn} is not supported by the local runtime")

    _SUB_VAR = re.compile(r"\$\{([^}]+)\}")

    def _sub(self, arg: Any) -> str:
        text, local_vars = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def replace(match: re.Match) -> str:
            expr = match.group(1)
            if expr.startswith("!"):  # ${!Literal} stays literal
                return "${" + expr[1:] + "}"
            if expr in local_vars:
                return str(local_vars[expr])
            if "." in expr and expr.split(".", 1)[0] in self.resources:
                return str(self.get_att(*expr.split(".", 1)))
            return str(self.ref(expr))

        return self._SUB_VAR.sub(replace, text)


# --------------------------------------------------------------------------- building the view


def _parameters(doc: dict, overrides: dict[str, str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    merged = {**LOCAL_PARAMETER_OVERRIDES, **(overrides or {})}
    for name, spec in (doc.get("Parameters") or {}).items():
        if name in merged:
            params[name] = str(merged[name])
        elif "Default" in spec:
            params[name] = str(spec["Default"])
        elif name in LOCAL_REQUIRED_VALUES:
            params[name] = LOCAL_REQUIRED_VALUES[name]
        else:
            raise TemplateError(f"parameter {name} has no default and no local override")
    return params


def _function_globals(props: dict, global_fn: dict) -> dict:
    """SAM's merge of Globals.Function: a function's own keys win, environment variables are joined."""
    merged = copy.deepcopy(global_fn)
    for key, value in props.items():
        if key == "Environment":
            g_vars = (merged.get("Environment") or {}).get("Variables") or {}
            f_vars = (value or {}).get("Variables") or {}
            merged["Environment"] = {"Variables": {**g_vars, **f_vars}}
        else:
            merged[key] = value
    return merged


def _api_globals(props: dict, global_api: dict) -> dict:
    return {**copy.deepcopy(global_api), **props}


# Resource type -> (the Globals section it takes, how its properties merge with it).
_GLOBALS: dict[str, tuple[str, Callable[[dict, dict], dict]]] = {
    "AWS::Serverless::Function": ("Function", _function_globals),
    "AWS::Serverless::HttpApi": ("HttpApi", _api_globals),
}


@dataclass
class _Build:
    """What the per-resource parsers add to: the view, and what only the whole template settles."""

    view: Template
    resolver: _Resolver
    template_dir: Path
    default_authorizer: str | None = None
    bucket_policies: dict[str, dict] = field(default_factory=dict)  # bucket name -> policy document


def _table(build: _Build, lid: str, props: dict) -> None:
    ttl = props.get("TimeToLiveSpecification") or {}
    build.view.tables.append(Table(
        logical_id=lid, name=props.get("TableName", build.resolver.physical_name(lid)),
        attribute_definitions=props["AttributeDefinitions"], key_schema=props["KeySchema"],
        global_secondary_indexes=props.get("GlobalSecondaryIndexes") or [],
        local_secondary_indexes=props.get("LocalSecondaryIndexes") or [],
        ttl_attribute=ttl.get("AttributeName") if _truthy(ttl.get("Enabled")) else None))


def _bucket(build: _Build, lid: str, props: dict) -> None:
    status = (props.get("VersioningConfiguration") or {}).get("Status")
    cors = (props.get("CorsConfiguration") or {}).get("CorsRules") or []
    build.view.buckets.append(Bucket(lid, build.resolver.physical_name(lid), versioned=status == "Enabled",
                                     cors_rules=list(cors)))


def _bucket_policy(build: _Build, lid: str, props: dict) -> None:
    build.bucket_policies[props["Bucket"]] = props["PolicyDocument"]


def _email_identity(build: _Build, lid: str, props: dict) -> None:
    build.view.mail_identities.append(props["EmailIdentity"])


def _configuration_set(build: _Build, lid: str, props: dict) -> None:
    build.view.configuration_sets.append(props.get("Name", build.resolver.physical_name(lid)))


def _event_destination(build: _Build, lid: str, props: dict) -> None:
    destination = props["EventDestination"]
    sns = destination.get("SnsDestination")
    if sns and _truthy(destination.get("Enabled", False)):  # CloudWatch destinations have nothing to run locally
        build.view.mail_event_destinations.append(MailEventDestination(
            configuration_set=props["ConfigurationSetName"], topic_arn=sns["TopicARN"],
            event_types=list(destination.get("MatchingEventTypes") or [])))


def _secret(build: _Build, lid: str, props: dict) -> None:
    build.view.secrets.append(Secret(lid, props.get("Name", build.resolver.physical_name(lid))))


def _topic(build: _Build, lid: str, props: dict) -> None:
    build.view.topics.append(Topic(lid, build.resolver.physical_name(lid), build.resolver.arn(lid)))


_QUEUE_ATTRIBUTES = ("DelaySeconds", "MessageRetentionPeriod", "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds")


def _queue(build: _Build, lid: str, props: dict) -> None:
    redrive = props.get("RedrivePolicy")
    if isinstance(redrive, str):  # CloudFormation takes the policy as a JSON string too
        redrive = json.loads(redrive)
    build.view.queues.append(Queue(
        lid, build.resolver.physical_name(lid), build.resolver.arn(lid),
        visibility_timeout=int(props.get("VisibilityTimeout", 30)),
        redrive_policy=({"deadLetterTargetArn": redrive["deadLetterTargetArn"],
                         "maxReceiveCount": int(redrive["maxReceiveCount"])} if redrive else None),
        attributes={k: str(props[k]) for k in _QUEUE_ATTRIBUTES if k in props}))


def _subscription(build: _Build, lid: str, props: dict) -> None:
    build.view.subscriptions.append(Subscription(
        lid, topic_arn=props["TopicArn"], protocol=props["Protocol"], endpoint=props["Endpoint"],
        raw_message_delivery=_truthy(props.get("RawMessageDelivery")),
        filter_policy=props.get("FilterPolicy"),
        filter_policy_scope=props.get("FilterPolicyScope")))


def _schedule_group(build: _Build, lid: str, props: dict) -> None:
    build.view.schedule_groups.append(ScheduleGroup(lid, props.get("Name", build.resolver.physical_name(lid))))


def _http_api(build: _Build, lid: str, props: dict) -> None:
    build.view.http_api = _http_api_settings(props)
    auth = props.get("Auth") or {}
    build.default_authorizer = auth.get("DefaultAuthorizer")
    for authorizer in (auth.get("Authorizers") or {}).values():
        jwt = authorizer.get("JwtConfiguration") or {}
        if jwt:
            audience = jwt.get("audience") or []
            build.view.authorizer = JwtAuthorizer(
                issuer=jwt.get("issuer") or "", audience=[audience] if isinstance(audience, str) else list(audience))


def _serverless_function(build: _Build, lid: str, props: dict) -> None:
    build.view.functions.append(_function(lid, props, build.template_dir))


# What the runtime models, by resource type; every other type (IAM, alarms, log groups...) is skipped.
_PARSERS: dict[str, Callable[[_Build, str, dict], None]] = {
    "AWS::DynamoDB::Table": _table,
    "AWS::S3::Bucket": _bucket,
    "AWS::S3::BucketPolicy": _bucket_policy,
    "AWS::SES::EmailIdentity": _email_identity,
    "AWS::SES::ConfigurationSet": _configuration_set,
    "AWS::SES::ConfigurationSetEventDestination": _event_destination,
    "AWS::SecretsManager::Secret": _secret,
    "AWS::SNS::Topic": _topic,
    "AWS::SQS::Queue": _queue,
    "AWS::SNS::Subscription": _subscription,
    "AWS::Scheduler::ScheduleGroup": _schedule_group,
    "AWS::Serverless::HttpApi": _http_api,
    "AWS::Serverless::Function": _serverless_function,
}


def load_template(path: str | Path, parameter_overrides: dict[str, str] | None = None) -> Template:
    """The typed view of the template at ``path``. Raises TemplateError on what the runtime cannot wire."""
    path = Path(path).resolve()
    doc = load_yaml(path)
    params = _parameters(doc, parameter_overrides)
    build = _Build(Template(path=path, parameters=params, tables=[], buckets=[], topics=[], queues=[],
                            subscriptions=[], schedule_groups=[], functions=[], authorizer=None),
                   _Resolver(doc, params), path.parent)
    sections = doc.get("Globals") or {}
    for lid, raw in (doc.get("Resources") or {}).items():
        if "Condition" in raw and not build.resolver.condition(raw["Condition"]):
            continue  # e.g. the alarm e-mail subscription when AlarmEmail is empty
        parse = _PARSERS.get(raw.get("Type", ""))
        if parse is None:
            continue
        props = raw.get("Properties") or {}
        if raw["Type"] in _GLOBALS:
            section, merge = _GLOBALS[raw["Type"]]
            props = merge(props, sections.get(section) or {})
        parse(build, lid, build.resolver.resolve(props))
        if raw["Type"] == "AWS::Serverless::Function":
            build.view.functions[-1].build_method = (raw.get("Metadata") or {}).get("BuildMethod")
    for bucket in build.view.buckets:
        bucket.policy = build.bucket_policies.get(bucket.name)
    _settle_authorization(build)
    _check_event_sources(build.view)
    return build.view


def _settle_authorization(build: _Build) -> None:
    """A route is protected when it names an authorizer, or names none and the API has a default;
    `Auth: {Authorizer: NONE}` opts out of the default."""
    view, default = build.view, build.default_authorizer
    for fn in view.functions:
        fn.http_routes = [HttpRoute(r.method, r.path, _is_public(r.authorizer, default), r.authorizer)
                          for r in fn.http_routes]
    if view.authorizer is None and default is not None:
        view.authorizer = JwtAuthorizer(view.parameters.get("JwtIssuer", "localrt"),
                                        [view.parameters.get("JwtAudience", "")])


def _check_event_sources(view: Template) -> None:
    queue_arns = {q.arn for q in view.queues}
    for fn in view.functions:
        for source in fn.sqs_events:
            if source.queue_arn not in queue_arns:
                raise TemplateError(f"{fn.logical_id}: SQS event on unknown queue {source.queue_arn}")


def _throttle(settings: dict | None) -> Throttle | None:
    if not settings or "ThrottlingRateLimit" not in settings:
        return None
    return Throttle(float(settings["ThrottlingRateLimit"]), int(settings.get("ThrottlingBurstLimit", 0)))


def _http_api_settings(props: dict) -> HttpApiSettings:
    routes = {key: t for key, value in (props.get("RouteSettings") or {}).items() if (t := _throttle(value))}
    cors = props.get("CorsConfiguration")
    if cors is True:  # SAM's shorthand: any origin
        cors = {"AllowOrigins": ["*"]}
    return HttpApiSettings(default_throttle=_throttle(props.get("DefaultRouteSettings")), route_throttles=routes,
                           cors=cors if isinstance(cors, dict) else None)


def _is_public(route_authorizer: str | None, default_authorizer: str | None) -> bool:
    if route_authorizer == "NONE":
        return True
    return route_authorizer is None and default_authorizer is None


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _function(lid: str, props: dict, template_dir: Path) -> Function:
    code_uri = props.get("CodeUri") or "."
    if not isinstance(code_uri, str):
        raise TemplateError(f"{lid}: only a local CodeUri folder is supported")
    env = {k: str(v) for k, v in ((props.get("Environment") or {}).get("Variables") or {}).items()}
    reserved = props.get("ReservedConcurrentExecutions")
    fn = Function(logical_id=lid, name=props.get("FunctionName", lid), handler=props["Handler"],
                  code_dir=(template_dir / code_uri).resolve(), env=env,
                  timeout=int(props.get("Timeout", 3)), memory_size=int(props.get("MemorySize", 128)),
                  reserved_concurrency=int(reserved) if reserved is not None else None)
    for event in (props.get("Events") or {}).values():
        parse = _EVENT_PARSERS.get(event.get("Type", ""))
        if parse is not None:
            parse(fn, event.get("Properties") or {})
    return fn


def _http_api_event(fn: Function, ep: dict) -> None:
    authorizer = (ep.get("Auth") or {}).get("Authorizer")
    method = str(ep.get("Method", "ANY")).upper()
    if ep.get("RouteSettings") or (ep.get("Auth") or {}).get("AuthorizationScopes"):
        log.warning("%s %s: route settings and authorization scopes are ignored locally", fn.logical_id, ep.get("Path"))
    fn.http_routes.append(HttpRoute("ANY" if method in ("ANY", "X-AMAZON-APIGATEWAY-ANY-METHOD") else method,
                                    ep.get("Path", "/$default"), public=authorizer == "NONE", authorizer=authorizer))


def _sqs_event(fn: Function, ep: dict) -> None:
    unsupported = sorted(set(ep) & {"FilterCriteria", "MaximumBatchingWindowInSeconds"})
    if unsupported:
        log.warning("%s: SQS event properties %s are ignored by the local runtime", fn.logical_id, unsupported)
    queue_arn = ep["Queue"]
    fn.sqs_events.append(SqsEventSource(
        queue_arn=queue_arn, queue_logical_id=queue_arn.rsplit(":", 1)[-1], batch_size=int(ep.get("BatchSize", 10)),
        function_response_types=tuple(ep.get("FunctionResponseTypes") or ()),
        maximum_concurrency=_maximum_concurrency(ep)))


def _maximum_concurrency(properties: dict) -> int | None:
    value = (properties.get("ScalingConfig") or {}).get("MaximumConcurrency")
    return int(value) if value is not None else None


# A function's event sources the runtime wires, by SAM event type.
_EVENT_PARSERS: dict[str, Callable[[Function, dict], None]] = {"HttpApi": _http_api_event, "SQS": _sqs_event}
