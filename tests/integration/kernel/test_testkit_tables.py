"""Integration tests provision their tables and buckets from infra/template.yaml (testkit.tables)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws
from testkit import tables

from localrt.cfn_yaml import load_yaml


@pytest.fixture
def moto_env(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield


def test_a_table_gets_the_keys_indexes_and_ttl_the_template_declares(moto_env):
    declared = load_yaml(tables.TEMPLATE)["Resources"]["ReviewTable"]["Properties"]
    assert tables.table("ReviewTable", "review-test") == "review-test"
    ddb = boto3.client("dynamodb")
    made = ddb.describe_table(TableName="review-test")["Table"]
    assert made["KeySchema"] == declared["KeySchema"]
    assert [(i["IndexName"], i["KeySchema"]) for i in made["GlobalSecondaryIndexes"]] == [
        (i["IndexName"], i["KeySchema"]) for i in declared["GlobalSecondaryIndexes"]]
    ttl = ddb.describe_time_to_live(TableName="review-test")["TimeToLiveDescription"]
    assert ttl["AttributeName"] == declared["TimeToLiveSpecification"]["AttributeName"]


def test_a_bucket_gets_the_templates_versioning(moto_env):
    tables.bucket("DocumentsBucket", "docs-test")
    assert boto3.client("s3").get_bucket_versioning(Bucket="docs-test")["Status"] == "Enabled"


def test_a_name_the_template_does_not_declare_is_refused():
    with pytest.raises(KeyError):
        tables.table("NoSuchTable")
