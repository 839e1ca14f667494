"""What intake learns from the bus about recognitions and exclusions, and which application holds
a key open, in the intake table.

- REC#<id> / RECOGNITION: state, revoked_on, as_of, and the facts that never change (partnership_id,
  valid_from, valid_until, renews); gsi1pk=RECKEY#<e>#<s>#<t>. The newest event (as_of = its
  occurred_at) decides the state and the revocation date, so reordering cannot revive a revoked
  recognition; the facts fill in whatever order they come. Read as kernel.ledger entries.
- EXCL#<enterprise> / MEASURE#<measure id>: an exclusion (who imposed it, from when, until when);
  an upheld appeal sets lifted, even when it arrives before the measure.
- OPEN#<e>#<s>#<t> / HOLDER: the one submitted or in-review application for the key
  (a conditional put, so two concurrent submissions cannot both win).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from intake.domain.recognitions import Bar, Entry, Key
from kernel import aws, clock
from kernel.processed import write_marked


def _key_text(key: Key) -> str:
    return "#".join(key)


def hold_put(table_name: str, key: Key, application_id: str) -> dict[str, Any]:
    """The conditional Put that takes ``key`` for ``application_id`` (a TransactWriteItems entry's
    "Put"): the application's own save carries it at submission (DynamoApplicationStore.save)."""
    return {"TableName": table_name, "Item": {"pk": f"OPEN#{_key_text(key)}", "sk": "HOLDER",
                                              "application_id": application_id},
            "ConditionExpression": "attribute_not_exists(pk) OR application_id = :a",
            "ExpressionAttributeValues": {":a": application_id}}


def release_writes(table_name: str, key: Key, application_id: str, *, recognition_id: str | None = None,
                   partnership_id: str | None = None, valid_from: date | None = None,
                   valid_until: date | None = None) -> list[dict[str, Any]]:
    """TransactWriteItems entries that free ``key`` for ``application_id`` and, with
    ``recognition_id``, record the facts of the recognition the decision gave (as
    DynamoProjections.release_key): the application's own save carries them when a decision is
    recorded (DynamoApplicationStore.save). The Delete's condition fails only when another
    application holds the key (a key nobody holds is deleted as nothing); it comes first."""
    writes: list[dict[str, Any]] = [{"Delete": {
        "TableName": table_name, "Key": {"pk": f"OPEN#{_key_text(key)}", "sk": "HOLDER"},
        "ConditionExpression": "attribute_not_exists(pk) OR application_id = :a",
        "ExpressionAttributeValues": {":a": application_id}}}]
    if recognition_id is not None:
        record, sets, values = _facts_sets(recognition_id, key, partnership_id, valid_from, valid_until, None)
        writes.append({"Update": {"TableName": table_name, "Key": record, "UpdateExpression": "SET " + ", ".join(sets),
                                  "ExpressionAttributeValues": values}})
    return writes


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if value else None


def _entry(item: dict[str, Any]) -> Entry:
    """A ledger entry. Facts that have not arrived yet are taken at their widest (a period from
    the first to the last day), so that a half-known recognition blocks rather than lets through;
    a revocation recorded before revocation dates were kept counts from the start."""
    revoked_on = _day(item.get("revoked_on"))
    if item.get("state") == "revoked" and revoked_on is None:
        revoked_on = date.min
    return Entry(
        recognition_id=item["recognition_id"],
        key=(item["enterprise_number"], item["establishment_number"], item["training_code"]),
        partnership_id=item.get("partnership_id"),
        valid_from=_day(item.get("valid_from")) or date.min,
        valid_until=_day(item.get("valid_until")) or date.max,
        revoked_on=revoked_on,
        renews=item.get("renews"),
    )


def _bar(enterprise_number: str, item: dict[str, Any]) -> Bar:
    return Bar(
        measure_id=item["measure_id"],
        enterprise_number=enterprise_number,
        establishment_number=item.get("establishment_number"),
        partnership_id=item.get("partnership_id"),
        starts_on=_day(item.get("starts_on")) or date.min,
        until=_day(item.get("until")),
        lifted=bool(item.get("lifted")),
    )


def _facts(partnership_id: str | None, valid_from: date | None, valid_until: date | None,
           renews: str | None) -> dict[str, str]:
    facts = {"partnership_id": partnership_id, "valid_from": valid_from, "valid_until": valid_until, "renews": renews}
    return {n: v.isoformat() if isinstance(v, date) else v for n, v in facts.items() if v is not None}


def _facts_sets(recognition_id: str, key: Key, partnership_id: str | None, valid_from: date | None,
                valid_until: date | None, renews: str | None) -> tuple[dict[str, str], list[str], dict[str, Any]]:
    """The recognition's key, and the SET clauses and values that record its facts."""
    record = {"pk": f"REC#{recognition_id}", "sk": "RECOGNITION"}
    values: dict[str, Any] = {
        ":id": recognition_id, ":e": key[0], ":es": key[1], ":t": key[2],
        ":g": f"RECKEY#{_key_text(key)}", ":gs": f"REC#{recognition_id}",
    }
    sets = ["recognition_id = :id", "enterprise_number = :e", "establishment_number = :es",
            "training_code = :t", "gsi1pk = :g", "gsi1sk = :gs"]
    for name, value in _facts(partnership_id, valid_from, valid_until, renews).items():
        sets.append(f"{name} = :{name}")
        values[f":{name}"] = value
    return record, sets, values


class DynamoProjections:
    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    @property
    def _table(self):  # noqa: ANN202 - boto3 resource
        return aws.table(self._table_name)

    def _failed(self):  # noqa: ANN202
        return self._table.meta.client.exceptions.ConditionalCheckFailedException

    def recognitions_for(self, key: Key) -> list[Entry]:
        page = self._table.query(IndexName="gsi1", KeyConditionExpression="gsi1pk = :p",
                                 ExpressionAttributeValues={":p": f"RECKEY#{_key_text(key)}"})
        return [_entry(i) for i in page["Items"] if "recognition_id" in i]

    def recognition(self, recognition_id: str) -> Entry | None:
        item = self._table.get_item(Key={"pk": f"REC#{recognition_id}", "sk": "RECOGNITION"}, ConsistentRead=True).get(
            "Item"
        )
        return _entry(item) if item and "enterprise_number" in item else None

    def record_recognition(
        self, recognition_id: str, key: Key, state: str | None, as_of: datetime, *,
        partnership_id: str | None = None, valid_from: date | None = None, valid_until: date | None = None,
        revoked_on: date | None = None, renews: str | None = None, mark_event: bool = False,
    ) -> None:
        record, sets, values = _facts_sets(recognition_id, key, partnership_id, valid_from, valid_until, renews)
        facts_only = {"Key": record, "UpdateExpression": "SET " + ", ".join(sets), "ExpressionAttributeValues": values}
        if state is None:
            self._update(facts_only, mark_event=mark_event)
            return
        # The facts and the newer state in one write; an older event (the condition fails) adds
        # only the facts, which never change.
        newer = {**values, ":state": state, ":as_of": clock.iso(as_of)}
        sets += ["#s = :state", "as_of = :as_of"]
        remove = ""
        if state == "revoked" and revoked_on is not None:
            sets.append("revoked_on = :r")
            newer[":r"] = revoked_on.isoformat()
        elif state == "granted":
            remove = " REMOVE revoked_on"
        if not self._update({
            "Key": record, "UpdateExpression": "SET " + ", ".join(sets) + remove,
            "ConditionExpression": "attribute_not_exists(as_of) OR as_of < :as_of",
            "ExpressionAttributeNames": {"#s": "state"}, "ExpressionAttributeValues": newer,
        }, mark_event=mark_event):
            self._table.update_item(**facts_only)  # an older event: the newer state stands

    def _update(self, update: dict[str, Any], *, mark_event: bool) -> bool:
        """One UpdateItem; with ``mark_event``, in one transaction with the idempotency marker of the
        event being handled (kernel.processed.write_marked). False when its condition failed."""
        if mark_event:
            written = write_marked(self._table, [{"Update": {"TableName": self._table_name, **update}}])
            if written is not None:
                return written
        try:
            self._table.update_item(**update)
            return True
        except self._failed():
            return False

    def exclusions_for(self, enterprise_number: str) -> list[Bar]:
        page = self._table.query(KeyConditionExpression="pk = :p",
                                 ExpressionAttributeValues={":p": f"EXCL#{enterprise_number}"})
        return [_bar(enterprise_number, i) for i in page["Items"] if i.get("imposed")]

    def record_exclusion(
        self, measure_id: str, enterprise_number: str, establishment_number: str | None, until: date | None, *,
        partnership_id: str | None = None, starts_on: date | None = None,
    ) -> None:
        sets, values = ["measure_id = :m", "imposed = :t"], {":m": measure_id, ":t": True}
        names = {}
        for name, value in (("establishment_number", establishment_number), ("partnership_id", partnership_id),
                            ("starts_on", starts_on), ("until", until)):
            if value:
                sets.append(f"#{name} = :{name}")
                names[f"#{name}"] = name
                values[f":{name}"] = value.isoformat() if isinstance(value, date) else value
        self._table.update_item(
            Key={"pk": f"EXCL#{enterprise_number}", "sk": f"MEASURE#{measure_id}"},
            UpdateExpression="SET " + ", ".join(sets),
            ExpressionAttributeValues=values,
            ExpressionAttributeNames=names,
        )

    def lift_exclusion(self, measure_id: str, enterprise_number: str) -> None:
        self._table.update_item(
            Key={"pk": f"EXCL#{enterprise_number}", "sk": f"MEASURE#{measure_id}"},
            UpdateExpression="SET measure_id = :m, lifted = :t",
            ExpressionAttributeValues={":m": measure_id, ":t": True},
        )

    def _open_key(self, key: Key) -> dict[str, str]:
        return {"pk": f"OPEN#{_key_text(key)}", "sk": "HOLDER"}

    def open_application(self, key: Key) -> str | None:
        item = self._table.get_item(Key=self._open_key(key), ConsistentRead=True).get("Item")
        return item["application_id"] if item else None

    def hold_key(self, key: Key, application_id: str) -> bool:
        try:
            self._table.put_item(
                Item={**self._open_key(key), "application_id": application_id},
                ConditionExpression="attribute_not_exists(pk) OR application_id = :a",
                ExpressionAttributeValues={":a": application_id},
            )
            return True
        except self._failed():
            return False

    def release_key(self, key: Key, application_id: str, *, recognition_id: str | None = None,
                    partnership_id: str | None = None, valid_from: date | None = None,
                    valid_until: date | None = None) -> None:
        if recognition_id is not None:  # the decision's recognition in the same write (one call)
            record, sets, values = _facts_sets(recognition_id, key, partnership_id, valid_from, valid_until, None)
            facts = {"Key": record, "UpdateExpression": "SET " + ", ".join(sets), "ExpressionAttributeValues": values}
            client = self._table.meta.client
            try:
                client.transact_write_items(TransactItems=[
                    {"Delete": {"TableName": self._table_name, "Key": self._open_key(key),
                                "ConditionExpression": "application_id = :a",
                                "ExpressionAttributeValues": {":a": application_id}}},
                    {"Update": {"TableName": self._table_name, **facts}}])
                return
            except client.exceptions.TransactionCanceledException as exc:
                reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
                if not reasons or reasons[0] != "ConditionalCheckFailed":
                    raise
            self._table.update_item(**facts)  # the key is not ours to free: the facts alone
            return
        try:
            self._table.delete_item(
                Key=self._open_key(key), ConditionExpression="application_id = :a",
                ExpressionAttributeValues={":a": application_id},
            )
        except self._failed():
            pass  # held by another application (or nobody): nothing of ours to free
