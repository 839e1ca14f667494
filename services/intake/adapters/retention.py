"""What intake learns from the bus about a decision's appeal window, in the intake table.

- RETAIN#<decision id> / DECISION: application_id, outcome, decided_on, appeal_deadline,
  scheduled_purge_on (the purge timer currently pending, so a later date can cancel it).
- RETAIN#<decision id> / APPEAL#<appeal id>: lodged, closed_on.
- RETAIN#<decision id> / UNDELIVERED#<notice id>: a notice whose e-mail did not arrive.

Each event sets only its own attributes, so events merge whatever their order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from intake.domain.retention import AppealFacts, RetentionFacts
from kernel import aws
from kernel.processed import write_marked

_DECISION_FIELDS = ("application_id", "outcome", "decided_on", "appeal_deadline", "receipt_unknown",
                    "deadline_notice_id", "scheduled_purge_on")
_DATES = ("decided_on", "appeal_deadline", "scheduled_purge_on", "closed_on")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _facts(decision_id: str, decision: dict[str, Any], appeals: list[dict[str, Any]],
           undelivered: frozenset[str] = frozenset()) -> RetentionFacts:
    def parsed(item: dict[str, Any]) -> dict[str, Any]:
        return {k: date.fromisoformat(v) if k in _DATES and v else v for k, v in item.items()}

    decision = parsed(decision)
    return RetentionFacts(
        decision_id=decision_id,
        **{k: decision[k] for k in _DECISION_FIELDS if decision.get(k) is not None},
        appeals=tuple(
            AppealFacts(appeal_id=a["appeal_id"], lodged=bool(a.get("lodged")), closed_on=parsed(a).get("closed_on"))
            for a in appeals
        ),
        undelivered_notices=undelivered,
    )


def _update(key: dict[str, str], values: dict[str, Any]) -> dict[str, Any] | None:
    """The UpdateItem that sets ``values`` (None values left out) on ``key``; None when nothing is set."""
    values = {k: _plain(v) for k, v in values.items() if v is not None}
    if not values:
        return None
    return {
        "Key": key,
        "UpdateExpression": "SET " + ", ".join(f"#{k} = :{k}" for k in values),
        "ExpressionAttributeNames": {f"#{k}": k for k in values},
        "ExpressionAttributeValues": {f":{k}": v for k, v in values.items()},
    }


def decision_write(table_name: str, decision_id: str, facts: dict[str, Any]) -> dict[str, Any] | None:
    """The TransactWriteItems entry of DynamoRetentionStore.record_decision (no marker), for the
    application's save that records the decision (DynamoApplicationStore.save); None when nothing is set."""
    update = _update({"pk": f"RETAIN#{decision_id}", "sk": "DECISION"}, facts)
    return {"Update": {"TableName": table_name, **update}} if update is not None else None


class DynamoRetentionStore:
    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    @property
    def _table(self):  # noqa: ANN202 - boto3 resource
        return aws.table(self._table_name)

    def _set(self, key: dict[str, str], values: dict[str, Any], *, mark_event: bool = False) -> None:
        update = _update(key, values)
        if update is None:
            return  # nothing to write: the consumer writes the marker itself
        # With mark_event, in one transaction with the idempotency marker of the event being handled.
        if mark_event and write_marked(self._table, [{"Update": {"TableName": self._table_name, **update}}]):
            return
        self._table.update_item(**update)

    def record_decision(self, decision_id: str, *, mark_event: bool = False, **facts: Any) -> None:
        self._set({"pk": f"RETAIN#{decision_id}", "sk": "DECISION"}, facts, mark_event=mark_event)

    def record_appeal(
        self, decision_id: str, appeal_id: str, *, lodged: bool = False, closed_on: date | None = None
    ) -> None:
        self._set({"pk": f"RETAIN#{decision_id}", "sk": f"APPEAL#{appeal_id}"},
                  {"appeal_id": appeal_id, "lodged": True if lodged else None, "closed_on": closed_on})

    def record_scheduled(self, decision_id: str, purge_on: date | None) -> None:
        key = {"pk": f"RETAIN#{decision_id}", "sk": "DECISION"}
        if purge_on is None:
            self._table.update_item(Key=key, UpdateExpression="REMOVE scheduled_purge_on")
        else:
            self._set(key, {"scheduled_purge_on": purge_on})

    def record_undelivered(self, decision_id: str, notice_id: str) -> None:
        self._table.put_item(Item={"pk": f"RETAIN#{decision_id}", "sk": f"UNDELIVERED#{notice_id}",
                                   "notice_id": notice_id})

    def facts(self, decision_id: str) -> RetentionFacts:
        page = self._table.query(
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": f"RETAIN#{decision_id}"},
            ConsistentRead=True,
        )
        items = page["Items"]
        decision: dict[str, Any] = next((i for i in items if i["sk"] == "DECISION"), {})
        return _facts(decision_id, decision, [i for i in items if i["sk"].startswith("APPEAL#")],
                      frozenset(i["notice_id"] for i in items if i["sk"].startswith("UNDELIVERED#")))
