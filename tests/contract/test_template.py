"""The SAM template is the topology's single source of truth; these checks keep it honest."""

from pathlib import Path

from apidocs.openapi import API_MODULES
from localrt.cfn_yaml import load_yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infra" / "template.yaml"


def template() -> dict:
    return load_yaml(TEMPLATE)


def test_cfn_lint_reports_nothing_and_no_stateful_resource_lacks_retention_policies():
    """One cfn-lint run (it takes tens of seconds on 2 cores): no error or warning, and with the
    informational checks I3011/I3013 (issue 18) no stateful resource without DeletionPolicy and
    UpdateReplacePolicy, or with Delete."""
    from cfnlint.api import ManualArgs, lint_file

    matches = lint_file(TEMPLATE, config=ManualArgs(include_checks=["I3011", "I3013"], regions=["eu-west-1"]))
    found = [f"{m.rule.id} {m.message} (line {m.linenumber})" for m in matches]
    assert found == []


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
        and r["Properties"]["TopicArn"] == {"Ref": "EventTopic"}  # the bus; SES's mail events are not envelopes
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
        r["Properties"]["LogGroupName"]["Fn::Sub"].split("${")[1].rstrip("}")
        for r in resources.values() if r["Type"] == "AWS::Logs::LogGroup"
    }
    assert functions == grouped


# Every DLQ's alarm, and the other alarms: test_template_operations.py.


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


def _pins(path: Path) -> dict[str, tuple[str, set[str]]]:
    """name -> (pinned version, its sha256 hashes) of a pip-compile --generate-hashes lock."""
    import re

    pins: dict[str, tuple[str, set[str]]] = {}
    for block in re.split(r"\n(?=[a-z0-9])", "\n" + path.read_text()):
        found = re.match(r"\s*([a-z0-9][a-z0-9._-]*)==([^ \\\n]+)", block)
        if found:
            pins[found[1]] = (found[2], set(re.findall(r"--hash=sha256:([0-9a-f]{64})", block)))
    return pins


def test_the_lambda_lock_pins_every_dependency_with_hashes_and_the_test_venv_uses_the_same():
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    lock = _pins(ROOT / "services" / "requirements.txt")
    dev = _pins(ROOT / "requirements-dev.txt")
    declared = [Requirement(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]]
    assert len(lock) > len(declared)  # the transitive dependencies are pinned too
    for requirement in declared:
        version, hashes = lock[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), f"{requirement}: the lock has {version}"
    for name, (version, hashes) in lock.items():
        assert hashes, f"{name} has no hash"
        # The tests run exactly what the Lambda artifact ships: same version, same files.
        assert dev[name] == (version, hashes), name
    assert "moto" in dev and "moto" not in lock  # no dev dependency in the artifact
