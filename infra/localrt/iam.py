"""Each function's execution role, as CloudFormation gets it, so that moto holds calls against it.

SAM turns a function's ``Policies`` (policy templates such as DynamoDBCrudPolicy, inline
statements, managed policy names) into an ``AWS::IAM::Role``; samtranslator does exactly that
translation here, and the template's intrinsics are resolved with the local names. The runtime
creates each role in moto, opens a session on it (sts:AssumeRole, as Lambda does) and gives the
function that session's credentials; moto's IAM enforcement (with _strict.py) then refuses any
call outside the role's policies with AccessDenied, as AWS would.
"""

from __future__ import annotations

import copy
import functools
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cfn_yaml import load_yaml
from .template import ACCOUNT_ID, PARTITION, REGION, _parameters, _Resolver

log = logging.getLogger("localrt")

_CODE_PLACEHOLDER = "s3://localrt-code/functions.zip"  # what `sam build` uploads; the translator wants one


@dataclass(frozen=True)
class ExecutionRole:
    function_logical_id: str
    name: str
    trust_policy: dict
    policies: dict[str, dict] = field(default_factory=dict)  # name -> policy document (resolved)
    managed_policy_arns: tuple[str, ...] = ()

    @property
    def arn(self) -> str:
        return f"arn:{PARTITION}:iam::{ACCOUNT_ID}:role/{self.name}"

    def statements(self) -> list[dict]:
        out: list[dict] = []
        for document in self.policies.values():
            stmts = document.get("Statement", [])
            out += stmts if isinstance(stmts, list) else [stmts]
        return out


def _translate(doc: dict, parameters: dict[str, str]) -> dict:
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    doc = copy.deepcopy(doc)
    globals_fn = (doc.get("Globals") or {}).get("Function") or {}
    if "CodeUri" in globals_fn:
        globals_fn["CodeUri"] = _CODE_PLACEHOLDER
    for resource in (doc.get("Resources") or {}).values():
        if resource.get("Type") == "AWS::Serverless::Function" and "CodeUri" in (resource.get("Properties") or {}):
            resource["Properties"]["CodeUri"] = _CODE_PLACEHOLDER
    translator = Translator(None, Parser(), boto_session=boto3.session.Session(region_name=REGION))
    values = {**parameters, "AWS::Region": REGION, "AWS::AccountId": ACCOUNT_ID, "AWS::Partition": PARTITION}
    return translator.translate(doc, parameter_values=values, get_managed_policy_map=lambda: {})


def _role(resolver: _Resolver, owner: str, role_id: str, resource: dict) -> ExecutionRole:
    props = resolver.resolve(resource.get("Properties") or {})
    return ExecutionRole(
        function_logical_id=owner, name=role_id,
        trust_policy=props.get("AssumeRolePolicyDocument") or {},
        policies={p["PolicyName"]: p["PolicyDocument"] for p in props.get("Policies") or []},
        managed_policy_arns=tuple(props.get("ManagedPolicyArns") or ()),
    )


@functools.lru_cache(maxsize=8)
def _all_roles(path: str, mtime: float,
               overrides: tuple[tuple[str, str], ...]) -> tuple[dict[str, ExecutionRole], dict[str, ExecutionRole]]:
    """(function logical id -> its execution role, role logical id -> every other role of the template)."""
    doc = load_yaml(path)
    parameters = _parameters(doc, dict(overrides))
    translated = _translate(doc, parameters)
    resolver = _Resolver(translated, parameters)
    roles: dict[str, ExecutionRole] = {}
    for logical_id, resource in translated["Resources"].items():
        if resource.get("Type") != "AWS::Lambda::Function":
            continue
        role_ref = (resource.get("Properties") or {}).get("Role")
        role_id = role_ref.get("Fn::GetAtt", [None])[0] if isinstance(role_ref, dict) else None
        if role_id is None or role_id not in translated["Resources"]:
            log.warning("%s: no execution role in the template; the function gets none locally", logical_id)
            continue
        roles[logical_id] = _role(resolver, logical_id, role_id, translated["Resources"][role_id])
    taken = {r.name for r in roles.values()}
    others = {logical_id: _role(resolver, "", logical_id, resource)
              for logical_id, resource in translated["Resources"].items()
              if resource.get("Type") == "AWS::IAM::Role" and logical_id not in taken}
    return roles, others


def execution_roles(
    template_path: str | Path, parameter_overrides: dict[str, str] | None = None
) -> dict[str, ExecutionRole]:
    """Function logical id -> its execution role, from SAM's translation of the template."""
    path = Path(template_path).resolve()
    return _all_roles(str(path), path.stat().st_mtime, tuple(sorted((parameter_overrides or {}).items())))[0]


def service_roles(
    template_path: str | Path, parameter_overrides: dict[str, str] | None = None
) -> dict[str, ExecutionRole]:
    """The template's other roles (role logical id -> role): those a service assumes, such as the
    scheduler's roles; created in moto as they are, no function runs as them."""
    path = Path(template_path).resolve()
    return _all_roles(str(path), path.stat().st_mtime, tuple(sorted((parameter_overrides or {}).items())))[1]


def _create_role(iam: Any, role: ExecutionRole) -> None:
    iam.create_role(
        RoleName=role.name, AssumeRolePolicyDocument=json.dumps(role.trust_policy), MaxSessionDuration=43200
    )
    for name, document in role.policies.items():
        # SAM writes no Version; IAM then reads 2008-10-17, which moto refuses. The statements
        # mean the same under both (they use no policy variables).
        document = {"Version": "2012-10-17", **document}
        iam.put_role_policy(RoleName=role.name, PolicyName=name, PolicyDocument=json.dumps(document))


def provision_roles(
    moto: Any, roles: dict[str, ExecutionRole], others: dict[str, ExecutionRole] | None = None
) -> dict[str, dict[str, str]]:
    """Creates every role in moto and opens a session on each (before IAM is enforced, as the services
    that assume them are trusted to); function logical id, or role logical id for ``others`` (the
    scheduler's roles: scheduler.py checks their trust policy at each delivery), -> the
    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN of that session."""
    iam, sts = moto.client("iam"), moto.client("sts")
    credentials: dict[str, dict[str, str]] = {}
    for key, role in [*roles.items(), *(others or {}).items()]:
        _create_role(iam, role)
        for arn in role.managed_policy_arns:
            # AWSLambdaBasicExecutionRole (logs) and the SQS poller's policy: attached when moto
            # knows them, as on AWS; neither grants anything the handlers call.
            try:
                iam.attach_role_policy(RoleName=role.name, PolicyArn=arn)
            except iam.exceptions.NoSuchEntityException:
                log.debug("%s: managed policy %s unknown to moto, not attached", key, arn)
        session = sts.assume_role(RoleArn=role.arn, RoleSessionName=key[:64], DurationSeconds=43200)
        c = session["Credentials"]
        credentials[key] = {
            "AWS_ACCESS_KEY_ID": c["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": c["SecretAccessKey"],
            "AWS_SESSION_TOKEN": c["SessionToken"],
        }
    return credentials
