"""The public register at Flemish scale: a register page and a verify at 100 and at 50,000 recognitions.

The review table is created as infra/template.yaml declares ReviewTable, in moto in this process, and
seeded directly through the adapter (DynamoReviewRepository.import_recognitions: the items that
granting writes). Each figure is one request through the real handler (review.handlers.api, an HTTP
API event), so parsing, the use case, DynamoDB and the JSON answer are all in it:

- read units: what DynamoDB bills for the reads the request made, from the items each read evaluated
  (DynamoDB's item-size rules, 4 KB per unit, half for an eventually consistent read). moto reports
  a constant instead, so the bench sizes the items itself; a read whose filter dropped items is sized
  from an unfiltered replay of the same read.
- bytes: the response body.
- latency: the handler's wall time, and the same without the time spent inside DynamoDB calls. moto
  answers every Query by walking all the items of the table in Python (about 250,000 at 50,000
  recognitions), so its share grows with the register where DynamoDB's does not: DynamoDB reads only
  the page, which the read units show. The time outside DynamoDB is the handler's own.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SIZES = tuple(int(n) for n in os.environ.get("BENCH_REGISTER_SIZES", "100,50000").split(","))
RUNS = 5
TRAININGS = ("keukenmedewerker-duaal", "kapper-duaal", "verkoper-duaal", "logistiek-medewerker-duaal")
POSTAL_CODES = tuple(str(code) for code in range(1000, 10000, 37))


# --------------------------------------------------------------------------- DynamoDB's item sizes



def _seeded(figures: dict, size: int) -> str:
    return f"{figures[size]['seed']['seconds']:.0f} s for {size:,}"

def _value_size(value: dict[str, Any]) -> int:
    (kind, raw), = value.items()
    if kind == "S":
        return len(raw.encode())
    if kind == "N":
        digits = raw.lstrip("-").replace(".", "").strip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return math.ceil(len(raw) * 3 / 4)  # base64 on the wire
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + _value_size(v) + 1 for k, v in raw.items())
    if kind == "L":
        return 3 + sum(_value_size(v) + 1 for v in raw)
    if kind in ("SS", "NS", "BS"):
        return sum(_value_size({kind[0]: v}) for v in raw)
    raise ValueError(kind)


def item_size(item: dict[str, Any]) -> int:
    """An item's size as DynamoDB counts it for capacity (attribute names plus values)."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def read_units(operation: str, params: dict[str, Any], response: dict[str, Any], client: Any) -> float:
    consistent = bool(params.get("ConsistentRead"))
    if operation == "GetItem":
        size = item_size(response.get("Item") or {})
        return max(1, math.ceil(size / 4096)) * (1 if consistent else 0.5)
    if operation == "Query":
        items = response.get("Items", [])
        if response.get("ScannedCount", len(items)) != len(items):  # the filter dropped some: size them too
            replay = {k: v for k, v in params.items() if k not in ("FilterExpression",)}
            names = {f"#{n}" for n in _names_in(replay)}
            replay["ExpressionAttributeNames"] = {
                k: v for k, v in (params.get("ExpressionAttributeNames") or {}).items() if k in names
            } or None
            used = _values_in(replay)
            replay["ExpressionAttributeValues"] = {
                k: v for k, v in (params.get("ExpressionAttributeValues") or {}).items() if k in used
            }
            replay = {k: v for k, v in replay.items() if v}
            items = client.query(**replay).get("Items", [])
        size = sum(item_size(i) for i in items)
        return max(1, math.ceil(size / 4096)) * (1 if consistent else 0.5)
    if operation == "BatchGetItem":
        total = 0.0
        for table_items in response.get("Responses", {}).values():
            total += sum(max(1, math.ceil(item_size(i) / 4096)) for i in table_items)
        return total
    raise ValueError(f"{operation}: not a read the register makes")


def _names_in(params: dict[str, Any]) -> set[str]:
    text = " ".join(str(params.get(k, "")) for k in ("KeyConditionExpression", "ProjectionExpression"))
    return {
        word[1:] for word in text.replace("(", " ").replace(")", " ").replace(",", " ").split() if word.startswith("#")
    }


def _values_in(params: dict[str, Any]) -> set[str]:
    text = str(params.get("KeyConditionExpression", ""))
    return {word.rstrip(")") for word in text.replace("(", " ").replace(",", " ").split() if word.startswith(":")}


class Recorder:
    """Every DynamoDB call of a request: its wire parameters, its answer and its time."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        self.seconds = 0.0
        self._started = 0.0

    def before(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        self._started = time.perf_counter()
        self._params = json.loads(params["body"]) if params.get("body") else {}

    def after(self, model: Any, http_response: Any, **_: Any) -> None:
        self.seconds += time.perf_counter() - self._started
        self.calls.append((model.name, self._params, json.loads(http_response.content or b"{}")))


# --------------------------------------------------------------------------- the table and its data


def _number(first: int, serial: int) -> str:
    """A 10-digit enterprise (first 0) or establishment (first 2) number with its mod-97 check."""
    eight = f"{first}{serial:07d}"
    return f"{eight}{97 - int(eight) % 97:02d}"


def _recognitions(count: int, today: date) -> list[Any]:
    from kernel.events import Mentor
    from review.domain.recognition import Recognition

    made = []
    for i in range(count):
        start = today - timedelta(days=(i * 7) % 1500)
        made.append(
            Recognition(
                recognition_id=f"rec-{i:06d}",
                partnership_id="horeca",
                enterprise_number=_number(0, 4000000 + i // 3),
                establishment_number=_number(2, 1000000 + i),
                training_code=TRAININGS[i % len(TRAININGS)],
                company_name=f"Bedrijf {i} BV",
                postal_code=POSTAL_CODES[i % len(POSTAL_CODES)],
                city="Gemeente",
                mentors=[
                    Mentor(first_name="Jan", last_name=f"Peeters {i}", national_register_number="80031512361"),
                    Mentor(first_name="An", last_name=f"Janssens {i}", national_register_number="85073003328"),
                ],
                valid_from=start,
                valid_until=start + timedelta(days=5 * 365 - 1),
                granted_at=datetime.combine(start, datetime.min.time(), tzinfo=UTC),
                application_id=f"app-{i}",
                decision_id=f"dec-{i}",
            )
        )
    return made


def _create_table(name: str) -> None:
    import boto3

    from localrt.template import load_template

    [table] = [t for t in load_template(ROOT / "infra" / "template.yaml").tables if t.logical_id == "ReviewTable"]
    kwargs: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": table.attribute_definitions,
        "KeySchema": table.key_schema,
        "BillingMode": "PAY_PER_REQUEST",
    }
    if table.global_secondary_indexes:
        kwargs["GlobalSecondaryIndexes"] = [
            {k: v for k, v in g.items() if k in ("IndexName", "KeySchema", "Projection")}
            for g in table.global_secondary_indexes
        ]
    boto3.client("dynamodb").create_table(**kwargs)


def _event(path: str, query: dict[str, str]) -> dict[str, Any]:
    from urllib.parse import urlencode

    return {
        "version": "2.0",
        "routeKey": f"GET {path}",
        "rawPath": path,
        "rawQueryString": urlencode(query),
        "queryStringParameters": query,
        "headers": {"accept": "application/json"},
        "requestContext": {
            "http": {
                "method": "GET",
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "bench",
            },
            "requestId": "bench",
            "routeKey": f"GET {path}",
            "stage": "$default",
        },
        "body": None,
        "isBase64Encoded": False,
    }


class _Context:
    function_name = "RegisterFunction"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:RegisterFunction"
    aws_request_id = "bench"


def _measure(handler: Any, client: Any, recorder: Recorder, path: str, query: dict[str, str]) -> dict[str, float]:
    walls, outside, units, sizes = [], [], [], []
    for _ in range(RUNS):
        recorder.calls.clear()
        recorder.seconds = 0.0
        started = time.perf_counter()
        response = handler(_event(path, query), _Context())
        wall = time.perf_counter() - started
        if response["statusCode"] != 200:
            raise RuntimeError(f"GET {path}?{query}: {response['statusCode']} {response.get('body', '')[:300]}")
        walls.append(wall * 1000)
        outside.append((wall - recorder.seconds) * 1000)
        units.append(sum(read_units(op, params, answer, client) for op, params, answer in recorder.calls))
        sizes.append(len(response["body"].encode()))
        body = json.loads(response["body"])
    items = len(body["items"]) if isinstance(body, dict) and "items" in body else None
    return {
        "latency_ms": statistics.median(walls),
        "latency_outside_dynamodb_ms": statistics.median(outside),
        "read_units": statistics.median(units),
        "bytes": statistics.median(sizes),
        "reads": len(recorder.calls),
        "items": items,
    }


def measure(sizes: tuple[int, ...] = SIZES) -> dict[int, dict[str, dict[str, float]]]:
    """{register size: {"page" | "verify": figures}}."""
    import boto3
    from moto import mock_aws

    saved = {
        k: os.environ.get(k)
        for k in (
            "AWS_DEFAULT_REGION",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_ENDPOINT_URL",
            "TABLE_NAME",
            "POWERTOOLS_SERVICE_NAME",
            "POWERTOOLS_LOG_LEVEL",
        )
    }
    os.environ.update(
        AWS_DEFAULT_REGION="eu-west-1",
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        TABLE_NAME="bench-review",
        POWERTOOLS_SERVICE_NAME="review",
        POWERTOOLS_LOG_LEVEL="ERROR",
    )
    for key in ("AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        os.environ.pop(key, None)
    from kernel import aws, clock
    from review import bootstrap
    from review.adapters.dynamo import DynamoReviewRepository
    from review.handlers.api import handler

    figures: dict[int, dict[str, dict[str, float]]] = {}
    try:
        for size in sizes:
            with mock_aws():
                aws.reset()
                bootstrap.reset()
                _create_table("bench-review")
                today = clock.today()
                made = _recognitions(size, today)
                started = time.monotonic()
                DynamoReviewRepository("bench-review").import_recognitions(made)
                seeded_s = time.monotonic() - started
                client = boto3.client("dynamodb")
                recorder = Recorder()
                events = aws.table("bench-review").meta.client.meta.events
                events.register("before-call.dynamodb", recorder.before)
                events.register("after-call.dynamodb", recorder.after)
                target = made[len(made) // 2]
                figures[size] = {
                    "page": _measure(handler, client, recorder, "/register", {}),
                    "page_by_training": _measure(
                        handler, client, recorder, "/register", {"training_code": TRAININGS[1]}
                    ),
                    "verify": _measure(
                        handler,
                        client,
                        recorder,
                        "/register/verify",
                        {
                            "enterprise_number": target.enterprise_number,
                            "establishment_number": target.establishment_number,
                            "training_code": target.training_code,
                        },
                    ),
                    "seed": {"seconds": seeded_s},
                }
                aws.reset()
                bootstrap.reset()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return figures


def report(report: Any, figures: dict[int, dict[str, dict[str, float]]]) -> None:
    sizes = sorted(figures)
    report.section(
        f"The public register at {' and '.join(f'{n:,}' for n in sizes)} recognitions (review table in "
        f"moto, seeded through the adapter; one request through the handler, median of {RUNS})"
    )
    for what, label in (
        ("page", "register page"),
        ("page_by_training", "register page, one training"),
        ("verify", "verify"),
    ):
        for size in sizes:
            f = figures[size][what]
            key = f"register/{what}/{size}"
            report.figure(
                f"{key}/read_units",
                f"{label} at {size:,}: read units",
                f["read_units"],
                "RCU",
                note=f"{f['reads']:.0f} read(s), {f['items'] if f['items'] is not None else '-'} item(s)",
            )
            report.figure(f"{key}/bytes", f"{label} at {size:,}: response", f["bytes"], "bytes", digits=0)
            report.figure(
                f"{key}/latency_ms",
                f"{label} at {size:,}: latency (moto)",
                f["latency_ms"],
                "ms",
                note=f"outside DynamoDB {f['latency_outside_dynamodb_ms']:.1f} ms",
            )
    print(
        f"  (seeding took {', '.join(_seeded(figures, n) for n in sizes)}; moto walks "
        "every item of the table per Query, DynamoDB reads only the page: the read units are what it reads)"
    )


if __name__ == "__main__":
    import sys

    for folder in ("services", "infra"):
        sys.path.insert(0, str(ROOT / folder))
    sys.path.insert(0, str(Path(__file__).parent))
    import history

    report(history.Report({}), measure())
