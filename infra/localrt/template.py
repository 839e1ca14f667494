"""Read the SAM template and give the runtime a typed view of the topology.

The template is the single source of truth: every table, queue, subscription, route and
function the local runtime wires comes from here, so local and deployed topology cannot drift.
Only what the runtime needs is modelled; IAM, alarms, log groups and policies are skipped.

Local physical names are predictable (no stack-name prefixes or random suffixes) so that a
developer can find things in moto: the logical id, lower-cased for buckets (S3 names must be).
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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


# --------------------------------------------------------------------------- YAML with short tags


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that turns CloudFormation short tags (!Ref, !Sub...) into their long form."""


def _short_tag(tag: str):
    name = "Ref" if tag == "Ref" else ("Condition" if tag == "Condition" else f"Fn::{tag}")

    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if tag == "GetAtt":  # !GetAtt A.B is short for [A, B]
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            assert isinstance(node, yaml.MappingNode)
            value = loader.construct_mapping(node, deep=True)
        return {name: value}

    return construct


for _tag in ("Ref", "GetAtt", "Sub", "Join", "Select", "Split", "If", "Not", "Equals", "And", "Or",
             "Condition", "FindInMap", "Base64", "GetAZs", "ImportValue", "Cidr", "Length", "ToJsonString"):
    _CfnLoader.add_constructor(f"!{_tag}", _short_tag(_tag))


def load_yaml(path: str | Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass


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

    @property
    def arn(self) -> str:
        return f"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT_ID}:function:{self.name}"


@dataclass
class JwtAuthorizer:
    issuer: str
    audience: list[str]


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
            out = [self.resolve(v) for v in value]
            return [v for v in out if v is not _NO_VALUE]
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
        resolved = {}
        for k, v in value.items():
            rv = self.resolve(v)
            if rv is not _NO_VALUE:
                resolved[k] = rv
        return resolved

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
            import base64

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
        else:
            raise TemplateError(f"parameter {name} has no default and no local override")
    return params


def _merge_globals(props: dict, global_fn: dict) -> dict:
    merged = copy.deepcopy(global_fn)
    for key, value in props.items():
        if key == "Environment":
            g_vars = (merged.get("Environment") or {}).get("Variables") or {}
            f_vars = (value or {}).get("Variables") or {}
            merged["Environment"] = {"Variables": {**g_vars, **f_vars}}
        else:
            merged[key] = value
    return merged


def load_template(path: str | Path, parameter_overrides: dict[str, str] | None = None) -> Template:
    path = Path(path).resolve()
    doc = load_yaml(path)
    params = _parameters(doc, parameter_overrides)
    res = _Resolver(doc, params)
    global_fn = ((doc.get("Globals") or {}).get("Function")) or {}
    global_api = ((doc.get("Globals") or {}).get("HttpApi")) or {}

    view = Template(path=path, parameters=params, tables=[], buckets=[], topics=[], queues=[],
                    subscriptions=[], schedule_groups=[], functions=[], authorizer=None)
    default_authorizer: str | None = None

    for lid, raw in (doc.get("Resources") or {}).items():
        if "Condition" in raw and not res.condition(raw["Condition"]):
            continue  # e.g. the alarm e-mail subscription when AlarmEmail is empty
        rtype = raw.get("Type")
        if rtype == "AWS::Serverless::Function":
            props = _merge_globals(raw.get("Properties") or {}, global_fn)
        elif rtype == "AWS::Serverless::HttpApi":
            props = {**copy.deepcopy(global_api), **(raw.get("Properties") or {})}
        else:
            props = raw.get("Properties") or {}
        props = res.resolve(props)
        name = res.physical_name(lid)

        if rtype == "AWS::DynamoDB::Table":
            ttl = props.get("TimeToLiveSpecification") or {}
            view.tables.append(Table(
                logical_id=lid, name=props.get("TableName", name),
                attribute_definitions=props["AttributeDefinitions"], key_schema=props["KeySchema"],
                global_secondary_indexes=props.get("GlobalSecondaryIndexes") or [],
                local_secondary_indexes=props.get("LocalSecondaryIndexes") or [],
                ttl_attribute=ttl.get("AttributeName") if _truthy(ttl.get("Enabled")) else None))
        elif rtype == "AWS::S3::Bucket":
            status = (props.get("VersioningConfiguration") or {}).get("Status")
            view.buckets.append(Bucket(lid, name, versioned=status == "Enabled",
                                       cors_rules=list((props.get("CorsConfiguration") or {}).get("CorsRules") or [])))
        elif rtype == "AWS::SecretsManager::Secret":
            view.secrets.append(Secret(lid, props.get("Name", name)))
        elif rtype == "AWS::SNS::Topic":
            view.topics.append(Topic(lid, name, res.arn(lid)))
        elif rtype == "AWS::SQS::Queue":
            extra = {k: str(props[k]) for k in ("DelaySeconds", "MessageRetentionPeriod",
                                                 "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds")
                     if k in props}
            redrive = props.get("RedrivePolicy")
            if isinstance(redrive, str):
                import json

                redrive = json.loads(redrive)
            view.queues.append(Queue(
                lid, name, res.arn(lid), visibility_timeout=int(props.get("VisibilityTimeout", 30)),
                redrive_policy=({"deadLetterTargetArn": redrive["deadLetterTargetArn"],
                                 "maxReceiveCount": int(redrive["maxReceiveCount"])} if redrive else None),
                attributes=extra))
        elif rtype == "AWS::SNS::Subscription":
            view.subscriptions.append(Subscription(
                lid, topic_arn=props["TopicArn"], protocol=props["Protocol"], endpoint=props["Endpoint"],
                raw_message_delivery=_truthy(props.get("RawMessageDelivery")),
                filter_policy=props.get("FilterPolicy"),
                filter_policy_scope=props.get("FilterPolicyScope")))
        elif rtype == "AWS::Scheduler::ScheduleGroup":
            view.schedule_groups.append(ScheduleGroup(lid, props.get("Name", name)))
        elif rtype == "AWS::Serverless::HttpApi":
            auth = props.get("Auth") or {}
            default_authorizer = auth.get("DefaultAuthorizer")
            for az in (auth.get("Authorizers") or {}).values():
                jwt = az.get("JwtConfiguration") or {}
                if jwt:
                    aud = jwt.get("audience") or []
                    view.authorizer = JwtAuthorizer(issuer=jwt.get("issuer", ""),
                                                    audience=[aud] if isinstance(aud, str) else list(aud))
        elif rtype == "AWS::Serverless::Function":
            view.functions.append(_function(lid, props, path.parent))

    # A route is protected when it names an authorizer, or names none and the API has a default;
    # `Auth: {Authorizer: NONE}` opts out of the default.
    for fn in view.functions:
        fn.http_routes = [HttpRoute(r.method, r.path, _is_public(r.authorizer, default_authorizer), r.authorizer)
                          for r in fn.http_routes]
    if view.authorizer is None and default_authorizer is not None:
        view.authorizer = JwtAuthorizer(params.get("JwtIssuer", "localrt"), [params.get("JwtAudience", "")])
    queue_ids = {q.arn: q.logical_id for q in view.queues}
    for fn in view.functions:
        for ev in fn.sqs_events:
            if ev.queue_arn not in queue_ids:
                raise TemplateError(f"{fn.logical_id}: SQS event on unknown queue {ev.queue_arn}")
    return view


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
    fn = Function(logical_id=lid, name=props.get("FunctionName", lid), handler=props["Handler"],
                  code_dir=(template_dir / code_uri).resolve(), env=env,
                  timeout=int(props.get("Timeout", 3)), memory_size=int(props.get("MemorySize", 128)))
    for event in (props.get("Events") or {}).values():
        ep = event.get("Properties") or {}
        if event.get("Type") == "HttpApi":
            authorizer = (ep.get("Auth") or {}).get("Authorizer")
            method = str(ep.get("Method", "ANY")).upper()
            if ep.get("RouteSettings") or (ep.get("Auth") or {}).get("AuthorizationScopes"):
                log.warning("%s %s: route settings and authorization scopes are ignored locally", lid, ep.get("Path"))
            fn.http_routes.append(HttpRoute("ANY" if method in ("ANY", "X-AMAZON-APIGATEWAY-ANY-METHOD") else method,
                                            ep.get("Path", "/$default"), public=authorizer == "NONE",
                                            authorizer=authorizer))
        elif event.get("Type") == "SQS":
            unsupported = sorted(set(ep) & {"FilterCriteria", "MaximumBatchingWindowInSeconds", "ScalingConfig"})
            if unsupported:
                log.warning("%s: SQS event properties %s are ignored by the local runtime", lid, unsupported)
            queue_arn = ep["Queue"]
            fn.sqs_events.append(SqsEventSource(
                queue_arn=queue_arn, queue_logical_id=queue_arn.rsplit(":", 1)[-1],
                batch_size=int(ep.get("BatchSize", 10)),
                function_response_types=tuple(ep.get("FunctionResponseTypes") or ())))
    return fn
