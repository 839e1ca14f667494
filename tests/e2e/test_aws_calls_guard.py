"""The check the runtime fixture runs on every e2e worker's AWS calls can fail."""

from __future__ import annotations

import json

import pytest
from testkit.aws_calls import assert_every_call_was_held_against_its_policy


def _report(directory, function: str, calls: dict) -> None:
    (directory / f"{function}-1.json").write_text(json.dumps({"function": function, "calls": calls}))


def test_calls_to_enforced_services_pass(tmp_path):
    _report(tmp_path, "IntakeApiFunction", {"dynamodb.TransactWriteItems": 2, "dynamodb.TransactWriteItems#items": 4,
                                            "s3.PutObject": 1, "sns.Publish": 1, "scheduler.CreateSchedule": 1})
    # The counter names a service as botocore's event names do (the portal's first run with counting on failed
    # here: the local stack checks Secrets Manager, but was listed under its endpoint prefix).
    _report(tmp_path, "PortalFunction", {"secrets-manager.GetSecretValue": 1})
    assert_every_call_was_held_against_its_policy(tmp_path)


def test_a_call_to_a_service_the_local_stack_does_not_check_fails(tmp_path):
    _report(tmp_path, "ReviewApiFunction", {"dynamodb.GetItem": 3, "kms.Decrypt": 1})
    with pytest.raises(AssertionError, match="kms.Decrypt"):
        assert_every_call_was_held_against_its_policy(tmp_path)
