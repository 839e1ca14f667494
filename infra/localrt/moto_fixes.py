"""Where moto is not lenient but wrong, made right (applied in the moto server and in-process moto).

DynamoDB transactions: moto keeps a deep copy of every table a TransactWriteItems touches and,
when the transaction is cancelled (a failed condition), puts those copies back. Any write another
request made in between is lost: two deciders racing on one file left it undecided although one
of them had won. DynamoDB never does that, so every DynamoDB request here runs under one lock,
which makes each call atomic as it is on AWS. moto is bound by the GIL anyway; the lock costs
nothing measurable.

TransactWriteItems' ClientRequestToken: botocore fills one in (the parameter is an idempotency token)
and resends it unchanged when a reply is lost (a read timeout, a dropped connection). DynamoDB answers
such a resend with success and does nothing again, for 10 minutes; the same token with other parameters
is IdempotentParameterMismatchException. moto ignored the token and ran the transaction again, so its
own conditions failed: under load a recorded decision answered 409 "already decided" locally where AWS
answers 201. Only a transaction that succeeded is remembered; AWS documents nothing for a resend of a
cancelled one, which is judged anew here.

Where moto is slow, made fast (cache_dispatch): for every request its server lists the moto package's
folders (os.listdir and an isdir per folder, ~150 system calls, under the dispatcher's global lock) to
see whether the host names a backend, and each response class lists its methods with inspect and
converts the action name from CamelCase again. All three answers are fixed once moto is imported;
profiled, they were a fifth of the moto process's CPU in an e2e file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import time
from typing import Any

_DYNAMODB = threading.RLock()
_applied = False
TOKEN_SECONDS = 600  # "A client request token is valid for 10 minutes" (TransactWriteItems API reference)
_tokens: dict[str, tuple[float, str, Any]] = {}  # token -> (when it completed, parameters' digest, reply)


def serialise_dynamodb() -> None:
    """Make every DynamoDB call atomic against the others. Idempotent."""
    global _applied
    if _applied:
        return
    from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX, DynamodbException
    from moto.dynamodb.responses import DynamoHandler

    unlocked = DynamoHandler.call_action
    transact = DynamoHandler.transact_write_items

    def call_action(self):
        with _DYNAMODB:
            return unlocked(self)

    def transact_write_items(self):  # runs under _DYNAMODB (call_action)
        token = self.body.get("ClientRequestToken")
        if not token:
            return transact(self)
        digest = hashlib.sha256(json.dumps({k: v for k, v in self.body.items() if k != "ClientRequestToken"},
                                           sort_keys=True, default=str).encode()).hexdigest()
        now = time.monotonic()
        # Tokens are kept in the order they completed: the expired ones are at the front.
        while _tokens and now - next(iter(_tokens.values()))[0] > TOKEN_SECONDS:
            del _tokens[next(iter(_tokens))]
        seen = _tokens.get(token)
        if seen is not None:
            if seen[1] != digest:
                raise DynamodbException(ERROR_TYPE_PREFIX + "IdempotentParameterMismatchException",
                                        "The request uses the same client token as a previous, but non-identical "
                                        "request.")
            return seen[2]
        reply = transact(self)  # a cancelled transaction raises: its token stays unused
        _tokens[token] = (time.monotonic(), digest, reply)
        return reply

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    DynamoHandler.transact_write_items = transact_write_items  # type: ignore[method-assign]
    _applied = True


_dispatch_cached = False


def cache_dispatch() -> None:
    """Remember what moto's dispatcher recomputes on every request (see the module docstring). Idempotent."""
    global _dispatch_cached
    if _dispatch_cached:
        return
    import moto.backends as backends
    import moto.core.responses as responses

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules
    responses.camelcase_to_underscores = functools.lru_cache(maxsize=4096)(responses.camelcase_to_underscores)
    by_class: dict[type, list[str]] = {}
    listed = responses.method_names_from_class

    def method_names_from_class(clazz: type) -> list[str]:
        names = by_class.get(clazz)
        if names is None:
            names = by_class[clazz] = listed(clazz)
        return names

    responses.method_names_from_class = method_names_from_class  # type: ignore[assignment]
    _dispatch_cached = True


_rollback_per_item = False
_in_transaction = threading.local()


def item_level_rollback() -> None:
    """moto's TransactWriteItems deep-copies the whole table, once for every item of the transaction, to put
    it back if the transaction is cancelled: with tables that grow, every transaction costs more (quadratic
    over a run; the 200-application bench crawled with moto at 9.5 GB). Here the items the transaction names
    are copied instead, and a cancelled transaction writes exactly those back. Safe because every DynamoDB call
    runs under one lock (serialise_dynamodb): nothing else writes between the copy and the rollback.
    Idempotent."""
    global _rollback_per_item
    if _rollback_per_item:
        return
    import moto.dynamodb.models as models

    real_copy = models.copy

    class _TablesNotCopied:
        """models.copy during a transaction: a Table is handed back as it is (its rollback is per item)."""

        def __getattr__(self, name: str) -> Any:
            return getattr(real_copy, name)

        def deepcopy(self, value: Any, *args: Any, **kwargs: Any) -> Any:
            if getattr(_in_transaction, "active", False) and isinstance(value, models.Table):
                return value
            return real_copy.deepcopy(value, *args, **kwargs)

    models.copy = _TablesNotCopied()  # type: ignore[assignment]
    backend_class = models.DynamoDBBackend
    transact = backend_class.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        before = []
        for entry in transact_items:
            for op_type, op in entry.items():
                table = self.tables.get(op.get("TableName")) if isinstance(op, dict) else None
                if table is None:
                    continue
                if op_type == "Put":
                    attrs = op.get("Item") or {}
                    names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
                    if not all(n in attrs for n in names):
                        continue  # moto refuses it before writing anything
                    key = {n: attrs[n] for n in names}
                else:
                    key = op.get("Key")
                if not key:
                    continue
                try:
                    current = self.get_item(op["TableName"], key)
                except Exception:  # noqa: BLE001 - a key moto refuses: the transaction fails before any write
                    continue
                before.append((op["TableName"], key, real_copy.deepcopy(current) if current is not None else None))
        _in_transaction.active = True
        try:
            return transact(self, transact_items)
        except Exception:
            for table_name, key, item in reversed(before):
                if item is None:
                    if self.get_item(table_name, key) is not None:
                        self.delete_item(table_name, key)
                else:
                    self.put_item(table_name, item.to_json()["Attributes"])
            raise
        finally:
            _in_transaction.active = False

    backend_class.transact_write_items = transact_write_items  # type: ignore[method-assign]
    _rollback_per_item = True


def share_botocore_loader() -> None:
    """In-process moto's ``mock_aws`` gives every test a fresh boto3 default session, and botocore gives every
    session a fresh data loader, which reads and parses each service's JSON models again: for the tests that
    start a mock per case that was ~9 s of a make test's CPU. Here every session of the process shares the one
    loader of its data path. The loader only reads botocore's data files and caches what it parsed, as it
    already does for every client of one session. Idempotent."""
    import botocore.session

    if isinstance(botocore.session.create_loader, functools._lru_cache_wrapper):
        return
    botocore.session.create_loader = functools.lru_cache(maxsize=None)(botocore.session.create_loader)
