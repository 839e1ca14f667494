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
def table(table_name: str) -> Any:
    """A DynamoDB Table resource (converts Python values to attribute values and back)."""
    import boto3

    return boto3.resource("dynamodb", config=_config()).Table(table_name)


def reset() -> None:
    """Forget cached clients (tests that start a new moto between cases)."""
    client.cache_clear()
    table.cache_clear()
    _s3_config.cache_clear()
