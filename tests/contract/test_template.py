"""The SAM template is the topology's single source of truth; these checks keep it honest."""

import subprocess
import sys
from pathlib import Path

import yaml

from apidocs.openapi import API_MODULES

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infra" / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    pass


def _any_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node, deep=True)}
    return {suffix: loader.construct_mapping(node, deep=True)}


_CfnLoader.add_multi_constructor("!", _any_tag)


def template() -> dict:
    return yaml.load(TEMPLATE.read_text(), Loader=_CfnLoader)


def test_cfn_lint_reports_nothing():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("cfn-lint")), str(TEMPLATE)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_consumer_queue_has_a_dlq_after_five_receives_and_six_times_the_timeout():
    resources = template()["Resources"]
    timeout = template()["Globals"]["Function"]["Timeout"]
    queues = {
        name: r for name, r in resources.items()
        if r["Type"] == "AWS::SQS::Queue" and "RedrivePolicy" in r["Properties"]
    }
    assert len(queues) >= 5
    for name, queue in queues.items():
        assert queue["Properties"]["RedrivePolicy"]["maxReceiveCount"] == 5, name
        assert queue["Properties"]["VisibilityTimeout"] >= 6 * timeout, name


def test_every_subscription_is_raw_and_filters_on_event_name():
    resources = template()["Resources"]
    subscriptions = [
        r for r in resources.values() if r["Type"] == "AWS::SNS::Subscription" and r["Properties"]["Protocol"] == "sqs"
    ]
    assert subscriptions
    for sub in subscriptions:
        props = sub["Properties"]
        assert props["RawMessageDelivery"] is True
        assert "event_name" in props["FilterPolicy"] or "partnership_id" in props["FilterPolicy"]


def test_every_function_has_a_log_group_with_retention():
    resources = template()["Resources"]
    functions = {n for n, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    grouped = {
        r["Properties"]["LogGroupName"]["Sub"].split("${")[1].rstrip("}")
        for r in resources.values() if r["Type"] == "AWS::Logs::LogGroup"
    }
    assert functions == grouped


def test_every_dlq_has_an_alarm():
    resources = template()["Resources"]
    dlqs = {
        r["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["GetAtt"].split(".")[0]
        for r in resources.values() if r["Type"] == "AWS::SQS::Queue" and "RedrivePolicy" in r["Properties"]
    }
    alarmed = {
        r["Properties"]["Dimensions"][0]["Value"]["GetAtt"].split(".")[0]
        for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"
    }
    assert dlqs <= alarmed


# The portal serves HTML pages for browsers, not JSON operations: it is no part of the API document.
BROWSER_PAGES = {"portal.handlers.api"}


def test_every_api_function_is_in_the_merged_openapi_document():
    resources = template()["Resources"]
    api_handlers = {
        r["Properties"]["Handler"].rsplit(".", 1)[0]
        for r in resources.values()
        if r["Type"] == "AWS::Serverless::Function"
        and any(e["Type"] == "HttpApi" for e in r["Properties"].get("Events", {}).values())
    } - BROWSER_PAGES
    assert api_handlers == set(API_MODULES)


def test_every_handler_in_the_template_exists():
    resources = template()["Resources"]
    for name, r in resources.items():
        if r["Type"] == "AWS::Serverless::Function":
            module = r["Properties"]["Handler"].rsplit(".", 1)[0]
            assert (ROOT / "services" / (module.replace(".", "/") + ".py")).exists(), name


def test_the_lambda_requirements_match_the_project_dependencies():
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    shipped = [
        line.strip() for line in (ROOT / "services" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert sorted(shipped) == sorted(declared)
