"""Idempotency-Key on creating POSTs (CONTRACT.md): the same key and body give the same
response (marked ``Idempotency-Replayed: true``) and create nothing twice; the same key with
another body is a 422.

A key is scoped to the caller's whole identity (role, sub, enterprise or partnership, mandates)
and the route, so one token never replays what another made, even with the same ``sub``. And a
replay is authorised like a first request: before the stored response is handed back, the route's
``authorise`` runs, so a caller who lost access (a withdrawn mandate) gets its 403/404, not the
response of a day ago.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from kernel import aws, clock
from kernel.auth import Caller
from kernel.errors import BadRequest, Conflict, FieldError, RuleViolation

if TYPE_CHECKING:  # the HTTP edge, which calls idempotent(), has it loaded; a consumer never needs it
    from aws_lambda_powertools.event_handler import Response

KEEP_FOR = timedelta(hours=24)
# An unfinished claim older than this belongs to a request that died (a Lambda runs 30 s at most);
# a retry with the same key takes it over instead of getting 409 for a day.
LEASE = timedelta(seconds=60)
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotency-Replayed"


@dataclass(frozen=True)
class StoredRequest:
    fingerprint: str
    completed: bool
    status: int | None = None
    body: str | None = None
    content_type: str | None = None


class IdempotencyKeys(Protocol):
    def claim(self, scope: str, fingerprint: str) -> StoredRequest | None:
        """Record a new request; return the earlier one instead when the scope is taken."""

    def complete(self, scope: str, status: int, body: str, content_type: str) -> None: ...

    def release(self, scope: str) -> None: ...


def fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def valid_key(key: str) -> bool:
    """1 to 255 visible ASCII characters (and spaces), as the IETF idempotency-key draft's sf-string."""
    return 0 < len(key) <= MAX_KEY_LENGTH and all(" " <= ch <= "~" for ch in key)


def bad_key() -> BadRequest:
    return BadRequest(
        f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} visible ASCII characters.",
        [FieldError("idempotency-key", "invalid_format", f"1 to {MAX_KEY_LENGTH} visible ASCII characters")],
    )


def stored_scope(caller: Caller, action: str, key: str) -> str:
    """The store's key for (caller, action, key): a digest, so that no client-chosen part (a long
    path id, a long key) can push it past DynamoDB's 2 KB partition key limit."""
    return hashlib.sha256("\n".join((caller.tenant(), action, key)).encode()).hexdigest()


def idempotent(
    keys: IdempotencyKeys,
    *,
    key: str | None,
    caller: Caller,
    action: str,
    body: Any,
    authorise: Callable[[], object],
    create: Callable[[], Response],
) -> Response:
    """Run ``create`` once per (caller, action, key).

    ``action`` names the route and its resource (``submit|<application_id>``). ``authorise`` raises
    what a first request would (Forbidden, NotFound) for a caller who may not do it; it runs before
    anything stored is handed back or compared, ``create`` does its own checks on a first request.
    Raises BadRequest for a malformed key, RuleViolation for a reused key with another body,
    Conflict while the first request with that key is still running."""
    if key is None or key == "":
        return create()
    if not valid_key(key):
        raise bad_key()
    scope = stored_scope(caller, action, key)
    print_ = fingerprint(body)
    earlier = keys.claim(scope, print_)
    if earlier is not None:
        authorise()
        if earlier.fingerprint != print_:
            raise RuleViolation("This Idempotency-Key was used before with a different body.")
        if not earlier.completed:
            raise Conflict("A request with this Idempotency-Key is still being processed.")
        from aws_lambda_powertools.event_handler import Response

        return Response(status_code=earlier.status or 200, content_type=earlier.content_type, body=earlier.body,
                        headers={REPLAYED_HEADER: "true"})
    try:
        response = create()
    except Exception:
        keys.release(scope)
        raise
    if 200 <= response.status_code < 300:
        content_type = response.headers.get("Content-Type", "application/json")
        if isinstance(content_type, list):
            content_type = content_type[0]
        keys.complete(scope, response.status_code, response.body or "", content_type)
    else:
        keys.release(scope)
    return response


class DynamoIdempotencyKeys:
    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    @staticmethod
    def _key(scope: str) -> dict[str, str]:
        return {"pk": f"IDEMPOTENCY#{scope}", "sk": "REQUEST"}

    def claim(self, scope: str, fingerprint: str) -> StoredRequest | None:
        table = aws.table(self._table_name)
        now = clock.now()
        item_to_put = {
            **self._key(scope),
            "fingerprint": fingerprint,
            "completed": False,
            "claimed_at": int(now.timestamp()),
            "expires_at": int((now + KEEP_FOR).timestamp()),
        }
        try:
            table.put_item(Item=item_to_put, ConditionExpression="attribute_not_exists(pk)")
            return None
        except table.meta.client.exceptions.ConditionalCheckFailedException:
            item = table.get_item(Key=self._key(scope), ConsistentRead=True).get("Item")
            if item is None:  # released in between: try again once
                return self.claim(scope, fingerprint)
            stale = int(item.get("claimed_at", 0)) < int((now - LEASE).timestamp())
            if not item.get("completed") and stale and item["fingerprint"] == fingerprint:
                try:
                    table.put_item(
                        Item=item_to_put,
                        ConditionExpression="completed = :f AND claimed_at = :c",
                        ExpressionAttributeValues={":f": False, ":c": item.get("claimed_at", 0)},
                    )
                    return None
                except table.meta.client.exceptions.ConditionalCheckFailedException:
                    return self.claim(scope, fingerprint)
            return StoredRequest(
                fingerprint=item["fingerprint"],
                completed=bool(item.get("completed")),
                status=int(item["status"]) if "status" in item else None,
                body=item.get("body"),
                content_type=item.get("content_type"),
            )

    def complete(self, scope: str, status: int, body: str, content_type: str) -> None:
        aws.table(self._table_name).update_item(
            Key=self._key(scope),
            UpdateExpression="SET completed = :t, #s = :s, body = :b, content_type = :c",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":t": True, ":s": status, ":b": body, ":c": content_type},
        )

    def release(self, scope: str) -> None:
        aws.table(self._table_name).delete_item(Key=self._key(scope))


class InMemoryIdempotencyKeys:
    def __init__(self) -> None:
        self.items: dict[str, StoredRequest] = {}

    def claim(self, scope: str, fingerprint: str) -> StoredRequest | None:
        if scope in self.items:
            return self.items[scope]
        self.items[scope] = StoredRequest(fingerprint=fingerprint, completed=False)
        return None

    def complete(self, scope: str, status: int, body: str, content_type: str) -> None:
        self.items[scope] = StoredRequest(self.items[scope].fingerprint, True, status, body, content_type)

    def release(self, scope: str) -> None:
        self.items.pop(scope, None)
