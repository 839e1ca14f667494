"""Lazily built, cached botocore clients: nothing touches AWS (or imports botocore) at import time.

The clients are botocore's, from one botocore session per process; boto3 is not imported at all
(tests/unit/kernel/test_no_boto3_in_functions.py): a function uses none of what it adds over botocore
(resources, the S3 transfer manager) and its import and default session cost every cold start ~50 ms.
The DynamoDB clients take and return Python values (kernel.attribute_values), as boto3's Table does.

botocore honours AWS_ENDPOINT_URL, which is how the local runtime points handlers at moto; the code
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
import threading
import time
from collections.abc import Iterable
from typing import Any

_creating = threading.Lock()  # a botocore session builds one client at a time

# The AWS services the functions call (tests/unit/kernel/test_aws_clients.py holds every
# ``aws.client(...)`` of services/ to this list). botocore's loader, to check that a service exists
# before loading its model, otherwise lists every folder of its data (some 400 services, ~2,700 stat
# calls), once per kind of file a client loads: 15 ms of every cold start, for a name we know.
SERVICES = frozenset({"dynamodb", "s3", "scheduler", "secretsmanager", "ses", "sns"})


@functools.cache
def session() -> Any:
    """The process's botocore session: every client is built from it (the local runtime's call
    counter and fault hooks attach to the sessions botocore creates)."""
    import botocore.loaders
    import botocore.session

    from kernel import aws_data

    class KnownServicesLoader(botocore.loaders.Loader):
        """botocore's loader, with its search paths (AWS_DATA_PATH too), that knows which services
        exist: a client of any other fails as botocore fails for an unknown name."""

        def list_available_services(self, type_name: str) -> list[str]:
            return sorted(SERVICES)

    created = botocore.session.Session()
    data_path = created.get_config_variable("data_path")
    searched = data_path.split(os.pathsep) if data_path else []
    # What the build wrote beside the code (kernel/aws_data.py): found before botocore's own data.
    trimmed = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), aws_data.FOLDER)
    if os.path.isdir(trimmed):
        searched.append(trimmed)
    created.register_component("data_loader", KnownServicesLoader(extra_search_paths=searched))
    return created


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


def _create(service_name: str, config: Any) -> Any:
    with _creating:
        return session().create_client(service_name, config=config)


@functools.cache
def client(service_name: str) -> Any:
    return _create(service_name, _s3_config() if service_name == "s3" else _config())


@functools.cache
def values_client() -> Any:
    """A DynamoDB client that takes and returns Python values (str, Decimal, dict...), as a boto3
    Table resource's client does (kernel.attribute_values). Condition expressions are strings."""
    from kernel import attribute_values

    return attribute_values.register(_create("dynamodb", _config()))


_BATCH_WRITE_MAX = 25  # DynamoDB's limit per BatchWriteItem


class _Meta:
    def __init__(self, client: Any) -> None:
        self.client = client


class Table:
    """What the adapters use of a boto3 Table resource, over values_client(): the item operations
    with the table's name filled in, ``meta.client`` for transactions, and ``put_all()``."""

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

    def put_all(self, items: Iterable[dict[str, Any]], attempts: int = 8) -> int:
        """Puts ``items`` unconditionally, 25 to a BatchWriteItem, as boto3's batch_writer does: what
        DynamoDB leaves unprocessed (throttled) is sent again after a backoff, ``attempts`` times at
        most, then raises. Returns the number of items written."""
        written, batch = 0, []
        for item in items:
            batch.append({"PutRequest": {"Item": item}})
            if len(batch) == _BATCH_WRITE_MAX:
                written += self._write_batch(batch, attempts)
                batch = []
        if batch:
            written += self._write_batch(batch, attempts)
        return written

    def _write_batch(self, requests: list[dict[str, Any]], attempts: int) -> int:
        pending, count = requests, len(requests)
        for attempt in range(attempts):
            response = self.meta.client.batch_write_item(RequestItems={self.name: pending})
            pending = (response.get("UnprocessedItems") or {}).get(self.name) or []
            if not pending:
                return count
            time.sleep(min(0.05 * 2 ** attempt, 2.0))
        raise RuntimeError(f"{self.name}: {len(pending)} item(s) still unprocessed after {attempts} attempts")


@functools.cache
def table(table_name: str) -> Table:
    """A DynamoDB table that converts Python values to attribute values and back (Table)."""
    return Table(table_name, values_client())


def reset() -> None:
    """Forget cached clients (tests that start a new moto between cases)."""
    client.cache_clear()
    values_client.cache_clear()
    session.cache_clear()
    table.cache_clear()
    _s3_config.cache_clear()
