"""Applications in the intake table, with an outbox of events to publish after each change.

Item: pk=APP#<id>, sk=APPLICATION, body=<application JSON>, version (optimistic locking),
outbox=[envelope JSON, ...]; gsi1pk=ENT#<enterprise>, gsi1sk=APP#<created_at>#<id> lists a
company's applications. The body is stored as JSON text: no Decimal round trips, and the
whole aggregate is read and written at once.
"""

from __future__ import annotations

from typing import Any

from intake.adapters.projections import hold_put, release_writes
from intake.adapters.retention import decision_write
from intake.domain.application import Application
from intake.domain.recognitions import Key
from intake.usecases.ports import Decided, KeyHeld, StaleWrite
from kernel import aws, clock
from kernel.processed import AlreadyProcessed, Marker, current_marker


def _key(application_id: str) -> dict[str, str]:
    return {"pk": f"APP#{application_id}", "sk": "APPLICATION"}


class DynamoApplicationStore:
    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    @property
    def _table(self):  # noqa: ANN202 - boto3 resource
        return aws.table(self._table_name)

    def get(self, application_id: str) -> tuple[Application, list[str]] | None:
        item = self._table.get_item(Key=_key(application_id), ConsistentRead=True).get("Item")
        if item is None:
            return None
        app = Application.model_validate_json(item["body"])
        app.version = int(item["version"])
        return app, list(item.get("outbox", []))

    def _item(self, app: Application, outbox: list[str]) -> dict:
        item = {
            **_key(app.id),
            "gsi1pk": f"ENT#{app.enterprise_number}",
            "gsi1sk": f"APP#{clock.iso(app.created_at)}#{app.id}",
            "version": app.version,
            "status": app.status,
            "body": app.model_dump_json(),
        }
        if outbox:
            item["outbox"] = outbox
        return item

    def add(self, app: Application) -> None:
        app.version = 1
        try:
            self._table.put_item(Item=self._item(app, []), ConditionExpression="attribute_not_exists(pk)")
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            raise StaleWrite(app.id) from None

    def save(self, app: Application, outbox: list[str], *, mark_event: bool = False,
             hold_key: Key | None = None, decided: Decided | None = None) -> None:
        expected = app.version
        app.version = expected + 1
        if hold_key is not None:
            self._save_holding(app, outbox, expected, hold_key)
            return
        marker = current_marker() if mark_event else None
        marker_put = marker.transact_put(self._table_name) if marker is not None else None
        if decided is not None:
            self._save_decided(app, outbox, expected, decided, marker if marker_put is not None else None, marker_put)
            return
        if marker is not None and marker_put is not None:
            client = self._table.meta.client
            put = {"TableName": self._table_name, "Item": self._item(app, outbox),
                   "ConditionExpression": "version = :v", "ExpressionAttributeValues": {":v": expected}}
            try:
                client.transact_write_items(TransactItems=[{"Put": put}, marker_put])
            except client.exceptions.TransactionCanceledException as exc:
                app.version = expected
                reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
                if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                    raise AlreadyProcessed(marker.event_id) from None
                if reasons and reasons[0] == "ConditionalCheckFailed":
                    raise StaleWrite(app.id) from None
                raise
            marker.wrote()
            return
        try:
            self._table.put_item(
                Item=self._item(app, outbox),
                ConditionExpression="version = :v",
                ExpressionAttributeValues={":v": expected},
            )
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            app.version = expected
            raise StaleWrite(app.id) from None

    def _save_decided(self, app: Application, outbox: list[str], expected: int, decided: Decided,
                      marker: Marker | None, marker_put: dict[str, Any] | None) -> None:
        """The save, the key freed with the decision's recognition, the retention facts and the event's
        marker in one transaction. A key another application holds is not ours to free: then the
        rest is written without its Delete (one call more, only then)."""
        client = self._table.meta.client
        put = {"Put": {"TableName": self._table_name, "Item": self._item(app, outbox),
                       "ConditionExpression": "version = :v", "ExpressionAttributeValues": {":v": expected}}}
        release = release_writes(self._table_name, decided.key, app.id, recognition_id=decided.recognition_id,
                                 partnership_id=decided.partnership_id, valid_from=decided.valid_from,
                                 valid_until=decided.valid_until)
        facts = decision_write(self._table_name, decided.decision_id, decided.facts)
        rest = [*release, *([facts] if facts is not None else [])]
        marked = [marker_put] if marker_put is not None else []
        while True:
            items = [put, *rest, *marked]
            try:
                client.transact_write_items(TransactItems=items)
                break
            except client.exceptions.TransactionCanceledException as exc:
                reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]

                def failed(index: int, reasons: list[str | None] = reasons) -> bool:
                    return len(reasons) > index and reasons[index] == "ConditionalCheckFailed"

                if marker is not None and failed(len(items) - 1):
                    app.version = expected
                    raise AlreadyProcessed(marker.event_id) from None
                if failed(0):
                    app.version = expected
                    raise StaleWrite(app.id) from None
                if rest and "Delete" in rest[0] and failed(1):
                    rest = rest[1:]  # held by another application: the rest without freeing it
                    continue
                app.version = expected
                raise
        if marker is not None:
            marker.wrote()

    def _save_holding(self, app: Application, outbox: list[str], expected: int, key: Key) -> None:
        """The save and the key's hold in one transaction: both or neither."""
        client = self._table.meta.client
        put = {"TableName": self._table_name, "Item": self._item(app, outbox),
               "ConditionExpression": "version = :v", "ExpressionAttributeValues": {":v": expected}}
        try:
            client.transact_write_items(TransactItems=[{"Put": put}, {"Put": hold_put(self._table_name, key, app.id)}])
        except client.exceptions.TransactionCanceledException as exc:
            app.version = expected
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise StaleWrite(app.id) from None
            if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                raise KeyHeld(app.id) from None
            raise

    def clear_outbox(self, application_id: str, version: int) -> None:
        try:
            self._table.update_item(
                Key=_key(application_id),
                UpdateExpression="REMOVE outbox",
                ConditionExpression="version = :v",
                ExpressionAttributeValues={":v": version},
            )
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            pass  # a later save carries its own outbox; whoever reads a non-empty one publishes it

    def for_enterprise(self, enterprise_number: str) -> list[Application]:
        apps: list[Application] = []
        start = None
        while True:
            kwargs = {"IndexName": "gsi1", "KeyConditionExpression": "gsi1pk = :p",
                      "ExpressionAttributeValues": {":p": f"ENT#{enterprise_number}"}}
            if start:
                kwargs["ExclusiveStartKey"] = start
            page = self._table.query(**kwargs)
            apps.extend(Application.model_validate_json(i["body"]) for i in page["Items"] if "body" in i)
            start = page.get("LastEvaluatedKey")
            if not start:
                return apps
