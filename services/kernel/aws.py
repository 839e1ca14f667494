"""Lazily built, cached boto3 clients: nothing touches AWS (or imports boto3) at import time.

boto3 honours AWS_ENDPOINT_URL, which is how the local runtime points handlers at moto; the code
is otherwise exactly what runs on AWS.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _config() -> Any:
    from botocore.config import Config

    # Standard retry mode retries throttling and 5xx with backoff; a call that still fails raises,
    # and the message goes back to its queue instead of being half-processed.
    return Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=3, read_timeout=15)


@functools.cache
def client(service_name: str) -> Any:
    import boto3

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
