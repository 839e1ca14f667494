"""The review table (single-table design, keys as the template declares them).

Items (pk / sk):
  APP#<application>      FILE        the review file (body) and what the queue shows of it (queue);
                                     gsi1 QUEUE#<partnership> / <decision_due>#<application>
  APP#<application>      DECISION    exists once: the conditional write that makes a decision unique
  DECISION#<decision>    DECISION    pointer to the application (appeals name the decision)
  OVERDUE                APP#<id>    files past their deadline, with their queue entry, for the supervisor
  REC#<recognition>      REC         the recognition; gsi1 PRECS#<partnership> / <valid_from>#<recognition>
  The public register: entries with the public fields only (RegisterEntry), written with the recognition.
  REG#<enterprise>       <establishment>#<training>#<recognition>   every entry ever: verify, enterprise filter
  LIST                   <enterprise>#<establishment>#<training>#<recognition>   until its period is over
  LIST#T#<training>      <postal code>#<enterprise>#<establishment>#<recognition>   the same, by training
  LIST#P#<postal code>   <enterprise>#<establishment>#<training>#<recognition>   the same, by postal code
  MEASURE#<measure>      MEASURE     a measure
  EXCL#<enterprise>      MEASURE#<measure>   an exclusion, read before every approval
  ACCESS#<application>   <issued_at>#<document>#<uuid>   every download link handed out
  SUPPORT#<partnership>  REQ#<support request>
Bodies are stored as JSON text (pydantic), versions as numbers for optimistic locking.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from kernel import aws
from kernel.processed import AlreadyProcessed, current_marker
from review.domain.measures import Exclusion, Measure
from review.domain.recognition import Recognition, RegisterEntry
from review.domain.review_file import QueueEntry, ReviewFile
from review.usecases.ports import (
    AlreadyDecided,
    InvalidCursor,
    RecognitionFilter,
    RecognitionPage,
    RegisterFilter,
    RegisterPage,
    StaleWrite,
    Versioned,
    decode_cursor,
    encode_cursor,
)

# A page whose reads keep finding entries that are not active (a burst of renewals not yet started)
# stops after this many reads and hands out a cursor: its cost stays bounded, the page may be short.
_REGISTER_READS_PER_PAGE = 4


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
        entry = file.queue_entry()
        if entry is not None:  # the queue reads this, never the whole body
            item["queue"] = entry.model_dump_json()
        if file.partnership_id:
            item["gsi1pk"] = f"QUEUE#{file.partnership_id}"
            item["gsi1sk"] = (
                f"{file.decision_due.isoformat() if file.decision_due else '9999-12-31'}#{file.application_id}"
            )
        return item

    def _overdue_write(self, file: ReviewFile) -> dict[str, Any]:
        key = {"pk": "OVERDUE", "sk": f"APP#{file.application_id}"}
        entry = file.queue_entry()
        if file.deadline_missed and file.is_open() and entry is not None:
            return {"Put": {"TableName": self._name, "Item": {**key, "queue": entry.model_dump_json()}}}
        return {"Delete": {"TableName": self._name, "Key": key}}

    def get_file(self, application_id: str) -> Versioned[ReviewFile] | None:
        item = self._table.get_item(Key={"pk": f"APP#{application_id}", "sk": "FILE"}, ConsistentRead=True).get("Item")
        if item is None:
            return None
        return Versioned(ReviewFile.model_validate_json(item["body"]), int(item["version"]))

    def create_file(self, file: ReviewFile, *, mark_event: bool = False) -> bool:
        marker = current_marker() if mark_event else None
        marker_put = marker.transact_put(self._name) if marker is not None else None
        if marker is not None and marker_put is not None:
            client = self._client()
            put = {"Put": {"TableName": self._name, "Item": self._file_item(file, 1),
                           "ConditionExpression": "attribute_not_exists(pk)"}}
            try:
                client.transact_write_items(TransactItems=[put, marker_put])
            except client.exceptions.TransactionCanceledException as exc:
                reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
                if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                    raise AlreadyProcessed(marker.event_id) from None
                if reasons and reasons[0] == "ConditionalCheckFailed":
                    return False
                raise
            marker.wrote()
            return True
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

    def _queue_entry(self, item: dict[str, Any]) -> QueueEntry | None:
        if "queue" in item:
            return QueueEntry.model_validate_json(item["queue"])
        # Written before the queue entry was stored beside the file: read the whole file once.
        found = self.get_file(item["pk"].removeprefix("APP#"))
        return found.item.queue_entry() if found else None

    def queue_entries(self, partnership_id: str, status: str | None = None) -> list[QueueEntry]:
        """The partnership's files from its own gsi1 partition, their queue entries only."""
        kwargs: dict[str, Any] = {
            "IndexName": "gsi1", "KeyConditionExpression": "gsi1pk = :p", "ProjectionExpression": "pk, #q",
            "ExpressionAttributeNames": {"#q": "queue"}, "ExpressionAttributeValues": {":p": f"QUEUE#{partnership_id}"}}
        if status is not None:  # "status" is one of DynamoDB's reserved words: by a name placeholder
            kwargs["FilterExpression"] = "#s = :s"
            kwargs["ExpressionAttributeNames"]["#s"] = "status"
            kwargs["ExpressionAttributeValues"][":s"] = status
        found = (self._queue_entry(i) for i in self._query(**kwargs))
        return [e for e in found if e is not None]

    def overdue_entries(self) -> list[QueueEntry]:
        markers = self._query(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": "OVERDUE"})
        entries: list[QueueEntry] = []
        for marker in markers:
            if "queue" in marker:
                entries.append(QueueEntry.model_validate_json(marker["queue"]))
                continue
            entry = self._queue_entry({"pk": marker["sk"]})  # a marker from before the entry
            if entry is not None:
                entries.append(entry)
        return entries

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
        """The recognition, and its register entries in the same transaction."""
        item = {"pk": f"REC#{recognition.recognition_id}", "sk": "REC", "version": (version or 0) + 1,
                "body": recognition.model_dump_json(),
                "gsi1pk": f"PRECS#{recognition.partnership_id}",
                "gsi1sk": f"{recognition.valid_from.isoformat()}#{recognition.recognition_id}"}
        put: dict[str, Any] = {"TableName": self._name, "Item": item}
        if version is None:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            put["ConditionExpression"] = "version = :v"
            put["ExpressionAttributeValues"] = {":v": version}
        entry = recognition.register_entry()
        fields = entry.model_dump(mode="json", exclude_none=True)
        writes: list[dict[str, Any]] = [{"Put": put}, {"Put": {"TableName": self._name, "Item": {
            "pk": f"REG#{entry.enterprise_number}", "sk": self._entry_sk(entry), **fields}}}]
        for pk, sk in self._listing_keys(entry):
            if recognition.ended:  # its period is over: out of the listings, still in its key's history
                writes.append({"Delete": {"TableName": self._name, "Key": {"pk": pk, "sk": sk}}})
            else:
                writes.append({"Put": {"TableName": self._name, "Item": {"pk": pk, "sk": sk, **fields}}})
        return writes

    @staticmethod
    def _entry_sk(entry: RegisterEntry) -> str:
        return f"{entry.establishment_number}#{entry.training_code}#{entry.recognition_id}"

    @staticmethod
    def _listing_keys(entry: RegisterEntry) -> list[tuple[str, str]]:
        """The listings an entry is in until its period is over: all, by training (postal code first,
        so that training + postal code is a prefix), by postal code."""
        e, s, t, r = entry.enterprise_number, entry.establishment_number, entry.training_code, entry.recognition_id
        keys = [("LIST", f"{e}#{s}#{t}#{r}"), (f"LIST#T#{t}", f"{entry.postal_code or '-'}#{e}#{s}#{r}")]
        if entry.postal_code:
            keys.append((f"LIST#P#{entry.postal_code}", f"{e}#{s}#{t}#{r}"))
        return keys

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

    def import_recognitions(self, recognitions: list[Recognition]) -> None:
        """Bulk load of new recognitions (a migration of an existing register; the bench's 50,000):
        the items save_recognition writes, in batches of 25 and without its conditions, so only for
        recognitions that are not in the table yet."""
        self._table.put_all(write["Put"]["Item"] for recognition in recognitions
                            for write in self._recognition_writes(recognition, None) if "Put" in write)

    def recognitions_page(self, where: RecognitionFilter, on: date, limit: int, cursor: str | None) -> RecognitionPage:
        """The partnership's recognitions in gsi1 order (valid_from, id), one page; with a status,
        a page reads at most _REGISTER_READS_PER_PAGE times and may be short."""
        start = decode_cursor(where, cursor) if cursor else None
        partition = f"PRECS#{where.partnership_id}"
        found: list[Recognition] = []
        for _ in range(_REGISTER_READS_PER_PAGE):
            kwargs: dict[str, Any] = {"IndexName": "gsi1", "KeyConditionExpression": "gsi1pk = :p",
                                      "ExpressionAttributeValues": {":p": partition}, "Limit": limit - len(found)}
            if start is not None:
                recognition_id = start.rsplit("#", 1)[-1]
                kwargs["ExclusiveStartKey"] = {"pk": f"REC#{recognition_id}", "sk": "REC", "gsi1pk": partition,
                                               "gsi1sk": start}
            page = self._table.query(**kwargs)
            read = [Recognition.model_validate_json(i["body"]) for i in page.get("Items", [])]
            found += [r for r in read if where.status is None or r.status_on(on) == where.status]
            last = page.get("LastEvaluatedKey")
            if last is None:
                return RecognitionPage(found, None)
            start = last["gsi1sk"]
            if len(found) >= limit:
                break
        assert start is not None
        return RecognitionPage(found, encode_cursor(where, start))

    def _whole(self, entries: list[dict[str, Any]]) -> list[Recognition]:
        """The recognitions behind register entries, read consistently (BatchGetItem, 100 keys a call)."""
        ids = [e["recognition_id"] for e in entries]
        found: dict[str, Recognition] = {}
        client = self._client()
        for start in range(0, len(ids), 100):
            request: dict[str, Any] = {self._name: {
                "Keys": [{"pk": f"REC#{i}", "sk": "REC"} for i in ids[start:start + 100]], "ConsistentRead": True}}
            while request:
                reply = client.batch_get_item(RequestItems=request)
                for item in reply.get("Responses", {}).get(self._name, []):
                    recognition = Recognition.model_validate_json(item["body"])
                    found[recognition.recognition_id] = recognition
                request = reply.get("UnprocessedKeys") or {}
        return [found[i] for i in ids if i in found]

    def enterprise_recognitions(self, enterprise_number: str) -> list[Recognition]:
        entries = self._query(KeyConditionExpression="pk = :p", ConsistentRead=True,
                              ExpressionAttributeValues={":p": f"REG#{enterprise_number}"})
        return self._whole(entries)

    def recognitions_for_key(
        self, enterprise_number: str, establishment_number: str, training_code: str
    ) -> list[Recognition]:
        # Read before every grant (the ledger): a write just made must be seen.
        return self._whole(self._key_entries(enterprise_number, establishment_number, training_code, consistent=True))

    # ------------------------------------------------------------------ the public register
    def _key_entries(self, enterprise_number: str, establishment_number: str, training_code: str, *,
                     consistent: bool) -> list[dict[str, Any]]:
        return self._query(KeyConditionExpression="pk = :p AND begins_with(sk, :s)", ConsistentRead=consistent,
                           ExpressionAttributeValues={":p": f"REG#{enterprise_number}",
                                                      ":s": f"{establishment_number}#{training_code}#"})

    def register_entries(
        self, enterprise_number: str, establishment_number: str, training_code: str
    ) -> list[RegisterEntry]:
        items = self._key_entries(enterprise_number, establishment_number, training_code, consistent=False)
        return [RegisterEntry.model_validate(i) for i in items]

    @staticmethod
    def _register_path(where: RegisterFilter) -> tuple[str, str | None, dict[str, str]]:
        """(partition, sort-key prefix, the attributes left to filter on with their values) of the
        index that serves the filter."""
        if where.enterprise_number:  # the enterprise's own entries: few, whatever else is asked
            rest = {name: value for name, value in (("training_code", where.training_code),
                                                    ("postal_code", where.postal_code)) if value}
            return f"REG#{where.enterprise_number}", None, rest
        if where.training_code:
            return f"LIST#T#{where.training_code}", f"{where.postal_code}#" if where.postal_code else None, {}
        if where.postal_code:
            return f"LIST#P#{where.postal_code}", None, {}
        return "LIST", None, {}

    def register_page(self, where: RegisterFilter, on: date, limit: int, cursor: str | None) -> RegisterPage:
        partition, prefix, rest = self._register_path(where)
        start = decode_cursor(where, cursor) if cursor else None
        if start is not None and prefix is not None and not start.startswith(prefix):
            raise InvalidCursor(cursor)
        values: dict[str, Any] = {":pk": partition, ":day": on.isoformat()}
        key = "pk = :pk"
        if prefix:
            key += " AND begins_with(sk, :prefix)"
            values[":prefix"] = prefix
        # Listed entries are current but for a renewal not yet started, a revocation already in force
        # or a period that ended today: few, so a page is (nearly) always full after one read. Every
        # attribute by a placeholder, as none may collide with one of DynamoDB's reserved words.
        names = {"#from": "valid_from", "#until": "valid_until", "#revoked": "revoked_on"}
        condition = "#from <= :day AND #until >= :day AND (attribute_not_exists(#revoked) OR #revoked > :day)"
        for name, value in rest.items():
            names[f"#{name}"], values[f":{name}"] = name, value
            condition += f" AND #{name} = :{name}"
        entries: list[RegisterEntry] = []
        for _ in range(_REGISTER_READS_PER_PAGE):
            kwargs: dict[str, Any] = {"KeyConditionExpression": key, "FilterExpression": condition,
                                      "ExpressionAttributeNames": names, "ExpressionAttributeValues": values,
                                      "Limit": limit - len(entries)}
            if start is not None:
                kwargs["ExclusiveStartKey"] = {"pk": partition, "sk": start}
            page = self._table.query(**kwargs)
            entries += [RegisterEntry.model_validate(i) for i in page.get("Items", [])]
            last = page.get("LastEvaluatedKey")
            if last is None:
                return RegisterPage(entries, None)
            start = last["sk"]
            if len(entries) >= limit:
                break
        assert start is not None
        return RegisterPage(entries, encode_cursor(where, start))

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
