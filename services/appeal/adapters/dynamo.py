"""The appeal store on the service's DynamoDB table (single-table: pk/sk, gsi1 for the queue)."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from appeal.adapters.records import (
    QUEUE_PARTITION,
    appeal_from_item,
    appeal_key,
    appeal_to_item,
    company_key,
    holder_key,
    pending_key,
    subject_from_item,
    subject_key,
)
from appeal.domain.appeals import Appeal
from appeal.domain.subjects import Notice, Subject, SubjectKind
from appeal.usecases.ports import SUBJECT_TAKEN, StaleWrite
from kernel import aws, clock
from kernel.errors import Conflict
from kernel.processed import write_marked


class DynamoAppealStore:
    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    @property
    def _table(self) -> Any:
        return aws.table(self._table_name)

    def _conditional_failure(self) -> type[Exception]:
        return self._table.meta.client.exceptions.ConditionalCheckFailedException

    # ------------------------------------------------------------------ subjects
    def record_subject(
        self,
        subject_id: str,
        *,
        kind: SubjectKind,
        subject_type: str,
        enterprise_number: str,
        partnership_id: str | None,
        decided_at: datetime,
        reference: str | None = None,
        mark_event: bool = False,
    ) -> None:
        values = {
            ":id": subject_id,
            ":kind": kind,
            ":type": subject_type,
            ":ent": enterprise_number,
            ":at": clock.iso(decided_at),
        }
        expression = (
            "SET subject_id = :id, kind = :kind, subject_type = :type, enterprise_number = :ent, decided_at = :at"
        )
        if partnership_id:
            expression += ", partnership_id = :p"
            values[":p"] = partnership_id
        update = {"Key": subject_key(subject_id), "UpdateExpression": expression, "ExpressionAttributeValues": values}
        if mark_event:
            writes: list[dict[str, Any]] = [{"Update": {"TableName": self._table_name, **update}}]
            if reference is not None:  # the first subject to name it keeps it: also when it is this one
                item = self._reference_item(reference, subject_id)
                writes.append({"Put": {"TableName": self._table_name, "Item": item,
                                       "ConditionExpression": "attribute_not_exists(pk) OR subject_id = :s",
                                       "ExpressionAttributeValues": {":s": subject_id}}})
            if write_marked(self._table, writes):
                return
            # No marker to carry, or the reference names another subject: one write each.
        self._table.update_item(**update)
        if reference is not None:
            self.record_reference(reference, subject_id)

    def record_notice(self, subject_id: str, notice: Notice, *, mark_event: bool = False) -> None:
        values = {":id": subject_id, ":n": notice.notice_id, ":at": clock.iso(notice.issued_at)}
        expression = "SET subject_id = :id, notice_id = :n, notice_issued_at = :at"
        if notice.appeal_deadline is not None:
            expression += ", notice_appeal_deadline = :d"
            values[":d"] = notice.appeal_deadline.isoformat()
        update = {"Key": subject_key(subject_id), "UpdateExpression": expression,
                  "ConditionExpression": "attribute_not_exists(notice_id)", "ExpressionAttributeValues": values}
        # A failed condition (False): the first notice counts; a redelivery or a later copy changes nothing.
        write = {"Update": {"TableName": self._table_name, **update}}
        if mark_event and write_marked(self._table, [write]) is not None:
            return
        try:
            self._table.update_item(**update)
        except self._conditional_failure():
            pass

    def record_undelivered(self, subject_id: str, notice_id: str, *, mark_event: bool = False) -> None:
        # A string set: ADD of a member already there changes nothing, in any order of the events.
        update = {"Key": subject_key(subject_id),
                  "UpdateExpression": "SET subject_id = :id ADD undelivered_notice_ids :n",
                  "ExpressionAttributeValues": {":id": subject_id, ":n": {notice_id}}}
        if mark_event and write_marked(self._table, [{"Update": {"TableName": self._table_name, **update}}]):
            return
        self._table.update_item(**update)

    def get_subject(self, subject_id: str) -> Subject | None:
        item = self._table.get_item(Key=subject_key(subject_id), ConsistentRead=True).get("Item")
        return subject_from_item(item) if item else None

    def record_reference(self, reference: str, subject_id: str) -> None:
        # A reference names one act for good: the first write stays.
        try:
            self._table.put_item(Item=self._reference_item(reference, subject_id),
                                 ConditionExpression="attribute_not_exists(pk)")
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            pass

    @staticmethod
    def _reference_item(reference: str, subject_id: str) -> dict[str, str]:
        return {"pk": f"REF#{reference}", "sk": "SUBJECT", "subject_id": subject_id}

    def subject_for_reference(self, reference: str) -> str | None:
        item = self._table.get_item(Key={"pk": f"REF#{reference}", "sk": "SUBJECT"}, ConsistentRead=True).get("Item")
        return item["subject_id"] if item else None

    # ------------------------------------------------------------------ appeals
    def add(self, appeal: Appeal) -> None:
        holder = {"TableName": self._table_name, "ConditionExpression": "attribute_not_exists(pk)"}
        if appeal.holds_subject():
            take = {
                "Put": {**holder, "Item": {**holder_key(appeal.subject_id), "appeal_id": appeal.appeal_id}}
            }
        else:
            take = {"ConditionCheck": {**holder, "Key": holder_key(appeal.subject_id)}}
        put = {
            "Put": {
                "TableName": self._table_name,
                "Item": appeal_to_item(appeal),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        pending = {
            "Put": {
                "TableName": self._table_name,
                "Item": {**pending_key(appeal.subject_id, appeal.appeal_id), "appeal_id": appeal.appeal_id},
            }
        }
        company = {
            "Put": {
                "TableName": self._table_name,
                "Item": {**company_key(appeal.enterprise_number, appeal.lodged_at, appeal.appeal_id),
                                    "appeal_id": appeal.appeal_id},
            }
        }
        client = self._table.meta.client  # Python values, as every write here
        try:
            client.transact_write_items(TransactItems=[take, put, pending, company])
        except client.exceptions.TransactionCanceledException:
            raise Conflict(SUBJECT_TAKEN) from None

    def pending(self, subject_id: str) -> list[Appeal]:
        markers = self._table.query(
            KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
            ExpressionAttributeValues={":p": f"SUBJECT#{subject_id}", ":s": "PENDING#"}, ConsistentRead=True,
        ).get("Items", [])
        found = [self.get(m["appeal_id"]) for m in markers]
        return sorted((a for a in found if a is not None), key=lambda a: (a.lodged_at, a.appeal_id))

    def announced(self, appeal: Appeal) -> None:
        self._table.delete_item(Key=pending_key(appeal.subject_id, appeal.appeal_id))

    def get(self, appeal_id: str) -> Appeal | None:
        item = self._table.get_item(Key=appeal_key(appeal_id), ConsistentRead=True).get("Item")
        return appeal_from_item(item) if item else None

    def save(self, appeal: Appeal, *, expected_status: str) -> None:
        condition = {
            "ConditionExpression": "#s = :expected",
            "ExpressionAttributeNames": {"#s": "status"},
        }
        if appeal.holds_subject():
            try:
                self._table.put_item(
                    Item=appeal_to_item(appeal), ExpressionAttributeValues={":expected": expected_status}, **condition
                )
            except self._conditional_failure():
                raise StaleWrite(appeal.appeal_id) from None
            return
        client = self._table.meta.client  # Python values, as every write here
        try:
            client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table_name,
                            "Item": appeal_to_item(appeal),
                            "ExpressionAttributeValues": {":expected": expected_status},
                            **condition,
                        }
                    },
                    # Free the subject, unless another appeal holds it (never expected, but harmless).
                    {
                        "Delete": {
                            "TableName": self._table_name,
                            "Key": holder_key(appeal.subject_id),
                            "ConditionExpression": "attribute_not_exists(pk) OR appeal_id = :id",
                            "ExpressionAttributeValues": {":id": appeal.appeal_id},
                        }
                    },
                ]
            )
        except client.exceptions.TransactionCanceledException:
            raise StaleWrite(appeal.appeal_id) from None

    def flag_acknowledgement_overdue(self, appeal_id: str) -> bool:
        try:
            self._table.update_item(
                Key=appeal_key(appeal_id),
                UpdateExpression="SET acknowledgement_overdue = :t",
                ConditionExpression="#s = :lodged",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":t": True, ":lodged": "lodged"},
            )
            return True
        except self._conditional_failure():
            return False

    def list(self, status: str | None = None) -> list[Appeal]:
        query: dict[str, Any] = {
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :q",
            "ExpressionAttributeValues": {":q": QUEUE_PARTITION},
            "ScanIndexForward": True,
        }
        if status is not None:
            query["FilterExpression"] = "#s = :s"
            query["ExpressionAttributeNames"] = {"#s": "status"}
            query["ExpressionAttributeValues"][":s"] = status
        appeals: list[Appeal] = []
        while True:
            page = self._table.query(**query)
            appeals.extend(appeal_from_item(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return appeals
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def for_enterprise(self, enterprise_number: str) -> builtins.list[Appeal]:  # the class has its own list
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :p AND begins_with(sk, :s)",
            "ExpressionAttributeValues": {":p": f"COMPANY#{enterprise_number}", ":s": "APPEAL#"},
            "ConsistentRead": True,
        }
        ids: list[str] = []
        while True:
            page = self._table.query(**query)
            ids.extend(item["appeal_id"] for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        found = [self.get(appeal_id) for appeal_id in ids]
        return [a for a in found if a is not None]
