"""Where moto is not lenient but wrong, made right (applied in the moto server and in-process moto).

DynamoDB transactions: moto keeps a deep copy of every table a TransactWriteItems touches and,
when the transaction is cancelled (a failed condition), puts those copies back. Any write another
request made in between is lost: two deciders racing on one file left it undecided although one
of them had won. DynamoDB never does that, so every DynamoDB request here runs under one lock,
which makes each call atomic as it is on AWS. moto is bound by the GIL anyway; the lock costs
nothing measurable.
"""

from __future__ import annotations

import threading

_DYNAMODB = threading.RLock()
_applied = False


def serialise_dynamodb() -> None:
    """Make every DynamoDB call atomic against the others. Idempotent."""
    global _applied
    if _applied:
        return
    from moto.dynamodb.responses import DynamoHandler

    unlocked = DynamoHandler.call_action

    def call_action(self):
        with _DYNAMODB:
            return unlocked(self)

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    _applied = True
