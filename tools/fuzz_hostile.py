"""Part of `make fuzz`: hostile requests Schemathesis does not make, and the check that no request
leaves a stored change without its event (issue 19).

StoreWatch reads every DynamoDB table of the local runtime and the bus (an audit queue subscribed
to the event topic) around each request that can change something. A refused request must leave
every table as it was and publish nothing new; an accepted one on a route that announces its
changes must have published an event if it stored anything. Background work (consumers, after a
success) is let to settle first, so a change is the request's own.

hostile_probes are the request gate's cases over HTTP: every media type a route declares or a
client would send, charsets, content codings, nesting, huge numbers, arrays, wide objects,
oversized bodies, headers and URLs, long path ids, malformed Idempotency-Key and X-Correlation-Id.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024
# Routes whose success is announced on the bus (a change there without an event is lost to
# every other service). Drafts, document slots and withdrawals of drafts are intake's own business.
ANNOUNCING = re.compile(
    r"^POST /(applications/\{[^}]+\}/(submit|messages)|support-requests|appeals(/\{[^}]+\}/(admissibility|decision))?"
    r"|review/applications/\{[^}]+\}/(questions|site-visits|decision|site-visits/\{[^}]+\}/report)"
    r"|review/recognitions/\{[^}]+\}/measures)$"
)
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
# The table of the service that answers a route: a service writes only its own table (the
# template grants no other), and anything it announces shows on the bus.
OWNER = (("/review", "review"), ("/register", "review"), ("/appeals", "appeal"), ("/applications", "intake"),
         ("/support-requests", "intake"), ("/notices", "notification"))


class StoreWatch:
    """Every table's items and the events on the bus, before and after a request."""

    def __init__(self, rt: Any) -> None:
        self.rt = rt
        self.dynamodb = rt.client("dynamodb")
        self.sqs = rt.client("sqs")
        self.tables = sorted(self.dynamodb.list_tables()["TableNames"])
        url = self.sqs.create_queue(QueueName="fuzz-audit")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        rt.client("sns").subscribe(TopicArn=rt.topic_arn("EventTopic"), Protocol="sqs", Endpoint=arn,
                                   Attributes={"RawMessageDelivery": "true"})
        self.queue_url = url
        self.known_events: set[str] = set()
        self.dirty = True
        self._last: dict[str, list[str]] | None = None
        self.checked = 0

    def tables_of(self, route: str) -> list[str]:
        path = route.split(" ", 1)[-1]
        owner = next((name for prefix, name in OWNER if path.startswith(prefix)), None)
        mine = [t for t in self.tables if owner and owner in t.lower()]
        return mine or self.tables

    def snapshot(self, tables: list[str] | None = None) -> dict[str, list[str]]:
        state = {}
        for table in tables or self.tables:
            items: list[str] = []
            kwargs: dict[str, Any] = {"TableName": table}
            while True:
                page = self.dynamodb.scan(**kwargs)
                items += [json.dumps(i, sort_keys=True) for i in page["Items"]]
                if "LastEvaluatedKey" not in page:
                    break
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
            state[table] = sorted(items)
        return state

    def events(self) -> list[str]:
        """The event ids published since the last call."""
        ids = []
        while True:
            batch = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10,
                                             WaitTimeSeconds=0).get("Messages", [])
            if not batch:
                return ids
            for message in batch:
                try:
                    ids.append(json.loads(message["Body"]).get("event_id", "?"))
                except ValueError:
                    ids.append("?")
            self.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])

    def before(self, route: str) -> dict[str, list[str]]:
        tables = self.tables_of(route)
        if self.dirty:
            self.rt.settle(timeout=60)
            self.known_events.update(self.events())
            self._last = None
            self.dirty = False
        if self._last is None or set(self._last) != set(tables):
            self._last = self.snapshot(tables)
        return self._last

    def after(self, route: str, status: int, before: dict[str, list[str]]) -> str | None:
        """Why the request broke the rule, or None."""
        self.checked += 1
        after = self.snapshot(list(before))
        published = [e for e in self.events() if e not in self.known_events]
        self.known_events.update(published)
        changed = [t for t in before if after[t] != before[t]]
        self._last = after
        if 200 <= status < 300:
            self.dirty = True  # consumers are at work now
            if changed and not published and ANNOUNCING.match(route):
                return f"stored a change in {', '.join(changed)} without its event"
            return None
        if changed:
            return f"refused ({status}) but changed {', '.join(changed)}"
        if published:
            return f"refused ({status}) but published {len(published)} new event(s)"
        return None


@dataclass(frozen=True)
class Hostile:
    name: str
    headers: dict[str, str]
    data: bytes | None
    status: int | None  # what the gate answers an authenticated caller (None: anything but a 5xx)
    before_auth: bool = False  # refused by API Gateway itself, token or not
    path_suffix: str = ""
    long_id: bool = False
    heavy: bool = False  # megabytes to send: from two callers only, the gate treats all alike


def _nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def hostile_probes(method: str, body: dict[str, Any], declared: list[str]) -> Iterator[Hostile]:
    text = json.dumps(body)
    plain = text.encode()
    accepted = {"application/json", "application/merge-patch+json"} if method == "PATCH" else {"application/json"}
    media_types = set(declared) | {"application/merge-patch+json", "application/json-patch+json",
                                   "application/problem+json", "text/plain", "application/x-www-form-urlencoded"}
    for media in sorted(media_types):
        yield Hostile(f"content-type {media}", {"content-type": media}, plain,
                      None if media in accepted else 415)
    for media, status in (("APPLICATION/JSON", None), ("application/json; charset=utf-8", None),
                          ("application/json; charset=latin-1", 415), ("Application/Json;Charset=UTF-16", 415)):
        yield Hostile(f"content-type {media}", {"content-type": media}, plain, status)
    json_type = {"content-type": "application/json"}
    yield Hostile("gzip content-encoding", {**json_type, "content-encoding": "gzip"}, gzip.compress(plain), 415)
    inner = text[:-1] + (", " if len(body) else "")
    for name, raw, status in (
        ("nested 1,000 deep", inner + '"deep": ' + _nested(1000) + "}", 400),
        ("nested 17 deep", inner + '"deep": ' + _nested(17) + "}", 400),
        ("a 5,000-digit integer", inner + '"n": ' + "9" * 5000 + "}", 400),
        ("a 1e999 float", inner + '"n": 1e999}', 400),
        ("NaN", inner + '"n": NaN}', 400),
        ("a top-level array", json.dumps([body, body]), 400),
        ("a top-level number", "12", 400),
        ("an object of 2,000 members", json.dumps({**body, **{f"k{i}": 1 for i in range(2000)}}), 400),
        ("an array of 2,000 items", inner + '"items": [' + ",".join(["1"] * 2000) + "]}", 400),
        ("a lone surrogate", inner + '"x": "\\ud800"}', 400),
        ("a member twice", inner + text[1:] if len(body) else '{"a": 1, "a": 2}', 400),
    ):
        yield Hostile(name, json_type, raw.encode(), status)
    yield Hostile(
        "bytes that are not UTF-8", json_type, plain[:-1] + b', "x": "\xff"}' if len(body) else b'{"x": "\xff"}', 400
    )
    yield Hostile("a 7 MB body", json_type, json.dumps({**body, "pad": "x" * (7 * MB)}).encode(), 413, heavy=True)
    yield Hostile("an 11 MB body", json_type, json.dumps({**body, "pad": "x" * (11 * MB)}).encode(), 413,
                  before_auth=True, heavy=True)
    yield Hostile("an Idempotency-Key of 300 characters", {**json_type, "idempotency-key": "k" * 300}, plain, 400)
    yield Hostile("an X-Correlation-Id of 300 characters", {**json_type, "x-correlation-id": "c" * 300}, plain, None)
    yield Hostile("11 KB of headers", {**json_type, "x-pad": "p" * 11000}, plain, 431, before_auth=True)
    yield Hostile("an 11 KB query string", json_type, plain, 414, before_auth=True, path_suffix="?q=" + "a" * 11000)
    yield Hostile("a path id of 3,000 characters", {**json_type, "idempotency-key": "k-long"}, plain, 404,
                  long_id=True)
