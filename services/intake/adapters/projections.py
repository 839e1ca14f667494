"""What intake learns from the bus about recognitions and exclusions, and which application holds
a key open, in the intake table.

- REC#<id> / RECOGNITION: state, valid_from, valid_until, as_of; gsi1pk=RECKEY#<e>#<s>#<t>.
  The newest event (as_of = its occurred_at) decides the state, so reordering cannot revive a
  revoked recognition; dates fill in whatever order they come.
- EXCL#<enterprise> / MEASURE#<measure id>: an exclusion; an upheld appeal sets lifted, even
  when it arrives before the measure.
- OPEN#<e>#<s>#<t> / HOLDER: the one submitted or in-review application for the key
  (a conditional put, so two concurrent submissions cannot both win).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from kernel import aws, clock

from intake.domain.recognitions import Exclusion, Key, RecognitionView


class Projections(Protocol):
    def recognitions_for(self, key: Key) -> list[RecognitionView]: ...

    def recognition(self, recognition_id: str) -> RecognitionView | None: ...

    def record_recognition(
        self, recognition_id: str, key: Key, state: str | None, as_of: datetime,
        valid_from: date | None = None, valid_until: date | None = None,
    ) -> None:
        """``state`` None only fills in dates (an event that says nothing about the state)."""

    def exclusions_for(self, enterprise_number: str) -> list[Exclusion]: ...

    def record_exclusion(self, measure_id: str, enterprise_number: str, establishment_number: str | None, until: date | None) -> None: ...

    def lift_exclusion(self, measure_id: str, enterprise_number: str) -> None: ...

    def open_application(self, key: Key) -> str | None: ...

    def hold_key(self, key: Key, application_id: str) -> bool:
        """Take the key for ``application_id``; False when another application holds it."""

    def release_key(self, key: Key, application_id: str) -> None:
        """Free the key if ``application_id`` holds it."""


def _key_text(key: Key) -> str:
    return "#".join(key)


def _view(item: dict[str, Any]) -> RecognitionView:
    def day(name: str) -> date | None:
        return date.fromisoformat(item[name]) if item.get(name) else None

    return RecognitionView(
        recognition_id=item["recognition_id"],
        key=(item["enterprise_number"], item["establishment_number"], item["training_code"]),
        state=item.get("state", "granted"),
        valid_from=day("valid_from"),
        valid_until=day("valid_until"),
    )


class DynamoProjections:
    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    @property
    def _table(self):  # noqa: ANN202 - boto3 resource
        return aws.table(self._table_name)

    def _failed(self):  # noqa: ANN202
        return self._table.meta.client.exceptions.ConditionalCheckFailedException

    def recognitions_for(self, key: Key) -> list[RecognitionView]:
        from boto3.dynamodb.conditions import Key as K

        page = self._table.query(IndexName="gsi1", KeyConditionExpression=K("gsi1pk").eq(f"RECKEY#{_key_text(key)}"))
        return [_view(i) for i in page["Items"] if "recognition_id" in i]

    def recognition(self, recognition_id: str) -> RecognitionView | None:
        item = self._table.get_item(Key={"pk": f"REC#{recognition_id}", "sk": "RECOGNITION"}, ConsistentRead=True).get("Item")
        return _view(item) if item and "enterprise_number" in item else None

    def record_recognition(
        self, recognition_id: str, key: Key, state: str | None, as_of: datetime,
        valid_from: date | None = None, valid_until: date | None = None,
    ) -> None:
        names = {"#s": "state"}
        values: dict[str, Any] = {
            ":id": recognition_id, ":e": key[0], ":es": key[1], ":t": key[2],
            ":g": f"RECKEY#{_key_text(key)}", ":gs": f"REC#{recognition_id}",
        }
        sets = ["recognition_id = :id", "enterprise_number = :e", "establishment_number = :es",
                "training_code = :t", "gsi1pk = :g", "gsi1sk = :gs"]
        dates = {"valid_from": valid_from, "valid_until": valid_until}
        for name, value in dates.items():
            if value is not None:
                values[f":{name}"] = value.isoformat()
        record = {"pk": f"REC#{recognition_id}", "sk": "RECOGNITION"}
        if state is not None:
            newer = sets + ["#s = :state", "as_of = :as_of"] + [f"{n} = :{n}" for n, v in dates.items() if v is not None]
            try:
                self._table.update_item(
                    Key=record, UpdateExpression="SET " + ", ".join(newer),
                    ConditionExpression="attribute_not_exists(as_of) OR as_of < :as_of",
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues={**values, ":state": state, ":as_of": clock.iso(as_of)},
                )
                return
            except self._failed():
                pass  # an older event: keep the newer state, only fill in missing dates
        fill = sets + [f"{n} = if_not_exists({n}, :{n})" for n, v in dates.items() if v is not None]
        self._table.update_item(Key=record, UpdateExpression="SET " + ", ".join(fill), ExpressionAttributeValues=values)

    def exclusions_for(self, enterprise_number: str) -> list[Exclusion]:
        from boto3.dynamodb.conditions import Key as K

        page = self._table.query(KeyConditionExpression=K("pk").eq(f"EXCL#{enterprise_number}"))
        return [
            Exclusion(
                measure_id=i["measure_id"],
                enterprise_number=enterprise_number,
                establishment_number=i.get("establishment_number"),
                until=date.fromisoformat(i["until"]) if i.get("until") else None,
                lifted=bool(i.get("lifted")),
            )
            for i in page["Items"]
            if i.get("imposed")
        ]

    def record_exclusion(self, measure_id: str, enterprise_number: str, establishment_number: str | None, until: date | None) -> None:
        sets, values = ["measure_id = :m", "imposed = :t"], {":m": measure_id, ":t": True}
        if establishment_number:
            sets.append("establishment_number = :es")
            values[":es"] = establishment_number
        if until:
            sets.append("#u = :u")
            values[":u"] = until.isoformat()
        self._table.update_item(
            Key={"pk": f"EXCL#{enterprise_number}", "sk": f"MEASURE#{measure_id}"},
            UpdateExpression="SET " + ", ".join(sets),
            ExpressionAttributeValues=values,
            **({"ExpressionAttributeNames": {"#u": "until"}} if until else {}),
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

    def release_key(self, key: Key, application_id: str) -> None:
        try:
            self._table.delete_item(
                Key=self._open_key(key), ConditionExpression="application_id = :a",
                ExpressionAttributeValues={":a": application_id},
            )
        except self._failed():
            pass  # held by another application (or nobody): nothing of ours to free


class InMemoryProjections:
    def __init__(self) -> None:
        self.recognitions: dict[str, dict[str, Any]] = {}
        self.exclusions: dict[tuple[str, str], dict[str, Any]] = {}
        self.open: dict[Key, str] = {}

    def recognitions_for(self, key: Key) -> list[RecognitionView]:
        return [v for v in (self.recognition(i) for i in self.recognitions) if v and v.key == key]

    def recognition(self, recognition_id: str) -> RecognitionView | None:
        item = self.recognitions.get(recognition_id)
        if not item:
            return None
        return RecognitionView(recognition_id, item["key"], item.get("state", "granted"), item.get("valid_from"), item.get("valid_until"))

    def record_recognition(self, recognition_id, key, state, as_of, valid_from=None, valid_until=None) -> None:  # noqa: ANN001
        item = self.recognitions.setdefault(recognition_id, {"key": key})
        newer = state is not None and ("as_of" not in item or item["as_of"] < as_of)
        if newer:
            item.update(state=state, as_of=as_of)
        for name, value in (("valid_from", valid_from), ("valid_until", valid_until)):
            if value is not None and (newer or name not in item):
                item[name] = value

    def exclusions_for(self, enterprise_number: str) -> list[Exclusion]:
        return [
            Exclusion(m, e, i.get("establishment_number"), i.get("until"), bool(i.get("lifted")))
            for (e, m), i in self.exclusions.items()
            if e == enterprise_number and i.get("imposed")
        ]

    def record_exclusion(self, measure_id, enterprise_number, establishment_number, until) -> None:  # noqa: ANN001
        item = self.exclusions.setdefault((enterprise_number, measure_id), {})
        item.update(imposed=True, establishment_number=establishment_number, until=until)

    def lift_exclusion(self, measure_id: str, enterprise_number: str) -> None:
        self.exclusions.setdefault((enterprise_number, measure_id), {})["lifted"] = True

    def open_application(self, key: Key) -> str | None:
        return self.open.get(key)

    def hold_key(self, key: Key, application_id: str) -> bool:
        if self.open.get(key, application_id) != application_id:
            return False
        self.open[key] = application_id
        return True

    def release_key(self, key: Key, application_id: str) -> None:
        if self.open.get(key) == application_id:
            del self.open[key]
