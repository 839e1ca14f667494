"""The review table (single-table design, keys as the template declares them).

Items (pk / sk):
  APP#<application>      FILE        the review file; gsi1 QUEUE#<partnership> / <decision_due>#<application>
  APP#<application>      DECISION    exists once: the conditional write that makes a decision unique
  DECISION#<decision>    DECISION    pointer to the application (appeals name the decision)
  OVERDUE                APP#<id>    files past their deadline, for the supervising partnership
  REC#<recognition>      REC         the recognition; gsi1 PRECS#<partnership> / <valid_from>#<recognition>
  REGISTER               <enterprise>#<establishment>#<training>#<recognition>   copy for register look-ups
  MEASURE#<measure>      MEASURE     a measure
  EXCL#<enterprise>      MEASURE#<measure>   an exclusion, read before every approval
  ACCESS#<application>   <issued_at>#<document>#<uuid>   every download link handed out
  SUPPORT#<partnership>  REQ#<support request>
Bodies are stored as JSON text (pydantic), versions as numbers for optimistic locking.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from kernel import aws
from review.domain.measures import Exclusion, Measure
from review.domain.recognition import Recognition
from review.domain.review_file import ReviewFile
from review.service.ports import AlreadyDecided, StaleWrite, Versioned


class DynamoReviewRepository:
    def __init__(self, table_name: str) -> None:
        self._name = table_name

    @property
    def _table(self) -> Any:
        return aws.table(self._name)

    def _client(self) -> Any:
        # The resource's client converts Python values, transactions included.
        return self._table.meta.client

    def _conditional_failed(self) -> type[Exception]:
        return self._client().exceptions.ConditionalCheckFailedException

    def _query(self, **kwargs: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            page = self._table.query(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # ------------------------------------------------------------------ files
    @staticmethod
    def _file_item(file: ReviewFile, version: int) -> dict[str, Any]:
        item: dict[str, Any] = {"pk": f"APP#{file.application_id}", "sk": "FILE", "version": version,
                                "status": file.status, "body": file.model_dump_json()}
        if file.partnership_id:
            item["gsi1pk"] = f"QUEUE#{file.partnership_id}"
            item["gsi1sk"] = (
                f"{file.decision_due.isoformat() if file.decision_due else '9999-12-31'}#{file.application_id}"
            )
        return item

    def _overdue_write(self, file: ReviewFile) -> dict[str, Any]:
        key = {"pk": "OVERDUE", "sk": f"APP#{file.application_id}"}
        if file.deadline_missed and file.is_open():
            return {"Put": {"TableName": self._name, "Item": key}}
        return {"Delete": {"TableName": self._name, "Key": key}}

    def get_file(self, application_id: str) -> Versioned[ReviewFile] | None:
        item = self._table.get_item(Key={"pk": f"APP#{application_id}", "sk": "FILE"}, ConsistentRead=True).get("Item")
        if item is None:
            return None
        return Versioned(ReviewFile.model_validate_json(item["body"]), int(item["version"]))

    def create_file(self, file: ReviewFile) -> bool:
        try:
            self._table.put_item(Item=self._file_item(file, 1), ConditionExpression="attribute_not_exists(pk)")
            return True
        except self._conditional_failed():
            return False

    def _file_put(self, file: ReviewFile, version: int) -> dict[str, Any]:
        return {"Put": {
            "TableName": self._name, "Item": self._file_item(file, version + 1),
            "ConditionExpression": "version = :v", "ExpressionAttributeValues": {":v": version},
        }}

    def save_file(self, file: ReviewFile, version: int) -> None:
        self._transact([self._file_put(file, version), self._overdue_write(file)], stale=file.application_id)

    def partnership_files(self, partnership_id: str) -> list[ReviewFile]:
        items = self._query(IndexName="gsi1", KeyConditionExpression="gsi1pk = :p",
                            ExpressionAttributeValues={":p": f"QUEUE#{partnership_id}"})
        return [ReviewFile.model_validate_json(i["body"]) for i in items]

    def overdue_files(self) -> list[ReviewFile]:
        markers = self._query(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": "OVERDUE"})
        files = [self.get_file(m["sk"].removeprefix("APP#")) for m in markers]
        return [f.item for f in files if f is not None]

    def record_decision(
        self, file: ReviewFile, version: int, recognition: Recognition | None, renewed: Versioned[Recognition] | None
    ) -> None:
        assert file.decision is not None
        writes: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._name,
                    "ConditionExpression": "attribute_not_exists(pk)",
                    "Item": {
                        "pk": f"APP#{file.application_id}",
                        "sk": "DECISION",
                        "decision_id": file.decision.decision_id,
                    },
                }
            },
            {
                "Put": {
                    "TableName": self._name,
                    "Item": {
                        "pk": f"DECISION#{file.decision.decision_id}",
                        "sk": "DECISION",
                        "application_id": file.application_id,
                    },
                }
            },
            self._file_put(file, version),
            self._overdue_write(file),
        ]
        if recognition is not None:
            writes += self._recognition_writes(recognition, None)
        if renewed is not None:
            writes += self._recognition_writes(renewed.item, renewed.version)
        self._transact(writes, stale=file.application_id, raise_first=AlreadyDecided)

    def decision_file(self, decision_id: str) -> ReviewFile | None:
        item = self._table.get_item(Key={"pk": f"DECISION#{decision_id}", "sk": "DECISION"}, ConsistentRead=True).get(
            "Item"
        )
        if item is None:
            return None
        found = self.get_file(item["application_id"])
        return found.item if found else None

    def _transact(
        self, writes: list[dict[str, Any]], *, stale: str, raise_first: type[Exception] | None = None
    ) -> None:
        """Raises ``raise_first`` when the first write's condition failed, StaleWrite for any other."""
        client = self._client()
        try:
            client.transact_write_items(TransactItems=writes)
        except client.exceptions.TransactionCanceledException as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            if raise_first is not None and reasons and reasons[0] == "ConditionalCheckFailed":
                raise raise_first(stale) from None
            if "ConditionalCheckFailed" in reasons:
                raise StaleWrite(stale) from None
            raise

    # ------------------------------------------------------------------ recognitions
    def _recognition_writes(self, recognition: Recognition, version: int | None) -> list[dict[str, Any]]:
        body = recognition.model_dump_json()
        item = {"pk": f"REC#{recognition.recognition_id}", "sk": "REC", "version": (version or 0) + 1, "body": body,
                "gsi1pk": f"PRECS#{recognition.partnership_id}",
                "gsi1sk": f"{recognition.valid_from.isoformat()}#{recognition.recognition_id}"}
        put: dict[str, Any] = {"TableName": self._name, "Item": item}
        if version is None:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            put["ConditionExpression"] = "version = :v"
            put["ExpressionAttributeValues"] = {":v": version}
        register = {"pk": "REGISTER", "sk": self._register_sk(recognition), "body": body}
        return [{"Put": put}, {"Put": {"TableName": self._name, "Item": register}}]

    @staticmethod
    def _register_sk(r: Recognition) -> str:
        return f"{r.enterprise_number}#{r.establishment_number}#{r.training_code}#{r.recognition_id}"

    def get_recognition(self, recognition_id: str) -> Versioned[Recognition] | None:
        item = self._table.get_item(Key={"pk": f"REC#{recognition_id}", "sk": "REC"}, ConsistentRead=True).get("Item")
        if item is None:
            return None
        return Versioned(Recognition.model_validate_json(item["body"]), int(item["version"]))

    def save_recognition(self, recognition: Recognition, version: int | None) -> None:
        try:
            self._transact(self._recognition_writes(recognition, version), stale=recognition.recognition_id)
        except StaleWrite:
            if version is not None:
                raise  # else: it exists already, which is what a create asked for

    def partnership_recognitions(self, partnership_id: str) -> list[Recognition]:
        items = self._query(IndexName="gsi1", KeyConditionExpression="gsi1pk = :p",
                            ExpressionAttributeValues={":p": f"PRECS#{partnership_id}"})
        return [Recognition.model_validate_json(i["body"]) for i in items]

    def _register_items(self, prefix: str | None, *, consistent: bool = False) -> list[Recognition]:
        if prefix:
            items = self._query(KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
                                ExpressionAttributeValues={":p": "REGISTER", ":s": prefix}, ConsistentRead=consistent)
        else:
            items = self._query(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": "REGISTER"})
        return [Recognition.model_validate_json(i["body"]) for i in items]

    def register(self, enterprise_number: str | None = None) -> list[Recognition]:
        return self._register_items(f"{enterprise_number}#" if enterprise_number else None)

    def recognitions_for_key(
        self, enterprise_number: str, establishment_number: str, training_code: str
    ) -> list[Recognition]:
        # Read before every grant (the ledger): a write just made must be seen.
        return self._register_items(f"{enterprise_number}#{establishment_number}#{training_code}#", consistent=True)

    # ------------------------------------------------------------------ measures
    def save_measure(self, measure: Measure, exclusion: Exclusion | None = None) -> None:
        writes: list[dict[str, Any]] = [{"Put": {"TableName": self._name, "Item": {
            "pk": f"MEASURE#{measure.measure_id}", "sk": "MEASURE", "body": measure.model_dump_json()}}}]
        if exclusion is not None:
            writes.append({"Put": {"TableName": self._name, "Item": {
                "pk": f"EXCL#{exclusion.enterprise_number}", "sk": f"MEASURE#{exclusion.measure_id}",
                "body": exclusion.model_dump_json()}}})
        self._client().transact_write_items(TransactItems=writes)

    def get_measure(self, measure_id: str) -> Measure | None:
        item = self._table.get_item(Key={"pk": f"MEASURE#{measure_id}", "sk": "MEASURE"}, ConsistentRead=True).get(
            "Item"
        )
        return Measure.model_validate_json(item["body"]) if item else None

    def get_exclusion(self, measure_id: str, enterprise_number: str) -> Exclusion | None:
        key = {"pk": f"EXCL#{enterprise_number}", "sk": f"MEASURE#{measure_id}"}
        item = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
        return Exclusion.model_validate_json(item["body"]) if item else None

    def exclusions(self, enterprise_number: str) -> list[Exclusion]:
        items = self._query(
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": f"EXCL#{enterprise_number}"},
            ConsistentRead=True,
        )
        return [Exclusion.model_validate_json(i["body"]) for i in items]

    # ------------------------------------------------------------------ odds and ends
    def log_document_access(self, entry: dict[str, Any]) -> None:
        sk = f"{entry['issued_at']}#{entry['document_id']}#{uuid.uuid4()}"
        self._table.put_item(Item={"pk": f"ACCESS#{entry['application_id']}", "sk": sk, **entry})

    def access_log(self, application_id: str) -> list[dict[str, Any]]:
        return self._query(
            KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": f"ACCESS#{application_id}"}
        )

    def save_support_request(self, partnership_id: str, request: dict[str, Any]) -> None:
        body = json.dumps(request, default=str)
        self._table.put_item(Item={"pk": f"SUPPORT#{partnership_id}", "sk": f"REQ#{request['support_request_id']}",
                                   "body": body})

    def support_requests(self, partnership_id: str) -> list[dict[str, Any]]:
        items = self._query(
            KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": f"SUPPORT#{partnership_id}"}
        )
        return [json.loads(i["body"]) for i in items]
