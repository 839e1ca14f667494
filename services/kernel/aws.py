"""Lazily built, cached boto3 clients: nothing touches AWS (or imports boto3) at import time.

boto3 honours AWS_ENDPOINT_URL, which is how the local runtime points handlers at moto; the code
is otherwise exactly what runs on AWS.

Every S3 client of every service comes from here (tests/unit/kernel/test_presigned_urls.py holds
that), because botocore's defaults are wrong for presigning: in us-east-1 and eu-west-1 a default
client signs URLs with Signature V2, which buckets created since June 2020 refuse, and it may
address the global endpoint, which redirects. So: Signature V4, the region's own endpoint and
virtual-hosted addressing (``<bucket>.s3.<region>.amazonaws.com``). Against a local endpoint
(AWS_ENDPOINT_URL) the bucket cannot be a host name, so there it is path-style.
"""

from __future__ import annotations

import functools
import os
from typing import Any


@functools.cache
def _config() -> Any:
    from botocore.config import Config

    # Standard retry mode retries throttling and 5xx with backoff; a call that still fails raises,
    # and the message goes back to its queue instead of being half-processed.
    return Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=3, read_timeout=15)


def _local_endpoint(service_name: str) -> bool:
    return bool(os.environ.get(f"AWS_ENDPOINT_URL_{service_name.upper()}") or os.environ.get("AWS_ENDPOINT_URL"))


@functools.cache
def _s3_config() -> Any:
    from botocore.config import Config

    addressing = "path" if _local_endpoint("s3") else "virtual"
    return _config().merge(Config(
        signature_version="s3v4",
        s3={"addressing_style": addressing, "us_east_1_regional_endpoint": "regional"},
    ))


@functools.cache
def client(service_name: str) -> Any:
    import boto3

    if service_name == "s3":
        return boto3.client("s3", config=_s3_config())
    return boto3.client(service_name, config=_config())


@functools.cache
def values_client() -> Any:
    """A DynamoDB client that takes and returns Python values (str, Decimal, dict...) and builds
    condition expressions from boto3's Key/Attr, exactly as a Table resource's client does: the same
    four handlers boto3.dynamodb.transform.DynamoDBHighLevelResource registers. The resource itself
    is not built: loading its model and generating its classes is a cold start's cost for nothing
    the adapters use."""
    import boto3
    from boto3.dynamodb.transform import TransformationInjector, copy_dynamodb_params

    dynamodb = boto3.client("dynamodb", config=_config())
    events, injector = dynamodb.meta.events, TransformationInjector()
    events.register("provide-client-params.dynamodb", copy_dynamodb_params, unique_id="dynamodb-create-params-copy")
    events.register("before-parameter-build.dynamodb", injector.inject_condition_expressions,
                    unique_id="dynamodb-condition-expression")
    events.register("before-parameter-build.dynamodb", injector.inject_attribute_value_input,
                    unique_id="dynamodb-attr-value-input")
    events.register("after-call.dynamodb", injector.inject_attribute_value_output,
                    unique_id="dynamodb-attr-value-output")
    return dynamodb


class _Meta:
    def __init__(self, client: Any) -> None:
        self.client = client


class Table:
    """What the adapters use of a boto3 Table resource, over values_client(): the item operations
    with the table's name filled in, ``meta.client`` for transactions, and ``batch_writer()``."""

    def __init__(self, name: str, client: Any) -> None:
        self.name = self.table_name = name
        self.meta = _Meta(client)

    def get_item(self, **kwargs: Any) -> Any:
        return self.meta.client.get_item(TableName=self.name, **kwargs)

    def put_item(self, **kwargs: Any) -> Any:
        return self.meta.client.put_item(TableName=self.name, **kwargs)

    def update_item(self, **kwargs: Any) -> Any:
        return self.meta.client.update_item(TableName=self.name, **kwargs)

    def delete_item(self, **kwargs: Any) -> Any:
        return self.meta.client.delete_item(TableName=self.name, **kwargs)

    def query(self, **kwargs: Any) -> Any:
        return self.meta.client.query(TableName=self.name, **kwargs)

    def scan(self, **kwargs: Any) -> Any:
        return self.meta.client.scan(TableName=self.name, **kwargs)

    def batch_writer(self, overwrite_by_pkeys: list[str] | None = None) -> Any:
        from boto3.dynamodb.table import BatchWriter

        return BatchWriter(self.name, self.meta.client, overwrite_by_pkeys=overwrite_by_pkeys)


@functools.cache
def table(table_name: str) -> Table:
    """A DynamoDB table that converts Python values to attribute values and back (Table)."""
    return Table(table_name, values_client())


def reset() -> None:
    """Forget cached clients (tests that start a new moto between cases)."""
    client.cache_clear()
    values_client.cache_clear()
    table.cache_clear()
    _s3_config.cache_clear()
