"""Idempotency keys on DynamoDB (moto): replay, and a claim left by a dead request is taken over."""

import pytest
from moto import mock_aws
from testkit import tables

from kernel import aws, clock
from kernel.idempotency_keys import DynamoIdempotencyKeys


@pytest.fixture
def keys(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        aws.reset()
        tables.table("IntakeTable", "t")  # the keys live in the table of the service whose API they guard
        yield DynamoIdempotencyKeys("t")
        aws.reset()
        clock.set_offset(0)


def test_a_completed_request_is_replayed(keys):
    assert keys.claim("s", "f1") is None
    keys.complete("s", 201, '{"id": 1}', "application/json")
    earlier = keys.claim("s", "f1")
    assert earlier.completed and earlier.status == 201 and earlier.body == '{"id": 1}'


def test_a_fresh_unfinished_claim_is_reported_in_progress(keys):
    assert keys.claim("s", "f1") is None
    earlier = keys.claim("s", "f1")
    assert earlier is not None and not earlier.completed


def test_a_claim_left_by_a_request_that_died_is_taken_over_by_the_retry(keys):
    assert keys.claim("s", "f1") is None
    clock.set_offset(120)
    assert keys.claim("s", "f1") is None


def test_a_stale_claim_with_another_body_is_still_reported(keys):
    assert keys.claim("s", "f1") is None
    clock.set_offset(120)
    assert keys.claim("s", "f2").fingerprint == "f1"
