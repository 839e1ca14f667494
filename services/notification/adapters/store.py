"""The notification table: addressees learnt from events, notices issued, and send markers.

Single-table keys (pk / sk):
  APP#<application_id>  / APPLICATION   the addressee of an application (gsi1: ENTAPP#<enterprise>)
  REC#<recognition_id>  / RECOGNITION   a granted recognition (gsi1: ENTREC#<enterprise>)
  SUBJ#<subject_id>     / SUBJECT       which application a decision or measure was about
  APPEAL#<appeal_id>    / APPEAL        what an appeal is against
  NOTICE#<notice_id>    / NOTICE        the notice (gsi1: ENT#<enterprise>, issued_at#id)
  NOTICE#<notice_id>    / PARTNERSHIP   its copy for the partnership's listing (gsi1: PSHIP#<id>)
  SENT#<marker>         / SENT          a mail that was sent (conditional put: at most once)
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from kernel import aws, clock
from kernel.processed import AlreadyProcessed, current_marker, write_marked, written_marker
from notification.domain.model import Addressee
from notification.domain.projection import (
    AppealRecord,
    NoticeRecord,
    RecognitionRecord,
    enterprise_partition,
    partnership_partition,
)


# --------------------------------------------------------------------------- (de)serialising
def _addressee_item(a: Addressee) -> dict[str, Any]:
    item = {k: v for k, v in asdict(a).items() if v is not None}
    item["mentor_names"] = list(a.mentor_names)
    item["address_lines"] = list(a.address_lines)
    if a.submitted_on is not None:
        item["submitted_on"] = a.submitted_on.isoformat()
    return item


def _addressee(item: dict[str, Any]) -> Addressee:
    lists = ("mentor_names", "address_lines", "submitted_on")
    fields: dict[str, Any] = {k: item.get(k) for k in Addressee.__dataclass_fields__ if k not in lists}
    submitted_on = date.fromisoformat(item["submitted_on"]) if item.get("submitted_on") else None
    return Addressee(**fields, mentor_names=tuple(item.get("mentor_names") or ()),
                     address_lines=tuple(item.get("address_lines") or ()), submitted_on=submitted_on)


def _recognition_item(r: RecognitionRecord) -> dict[str, Any]:
    item = {k: v for k, v in asdict(r).items() if v is not None}
    item.update(valid_from=r.valid_from.isoformat(), valid_until=r.valid_until.isoformat(), reminders=list(r.reminders))
    return item


def _recognition(item: dict[str, Any]) -> RecognitionRecord:
    fields: dict[str, Any] = {k: item.get(k) for k in RecognitionRecord.__dataclass_fields__}
    fields.update(
        valid_from=date.fromisoformat(item["valid_from"]),
        valid_until=date.fromisoformat(item["valid_until"]),
        reminders=tuple(item.get("reminders") or ()),
        status=item.get("status", "active"),
    )
    return RecognitionRecord(**fields)


_NOTICE_DATES = ("appeal_deadline", "decided_on")


def _notice_item(n: NoticeRecord) -> dict[str, Any]:
    item = {k: v for k, v in asdict(n).items() if v is not None}
    for name in _NOTICE_DATES:
        if item.get(name) is not None:
            item[name] = item[name].isoformat()
    return item


def _notice(item: dict[str, Any]) -> NoticeRecord:
    fields: dict[str, Any] = {k: item.get(k) for k in NoticeRecord.__dataclass_fields__ if k in item}
    for name in _NOTICE_DATES:
        fields[name] = date.fromisoformat(item[name]) if item.get(name) else None
    return NoticeRecord(**fields)


class DynamoNotificationStore:
    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    @property
    def _table(self) -> Any:
        return aws.table(self._table_name)

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        return self._table.get_item(Key={"pk": pk, "sk": sk}, ConsistentRead=True).get("Item")

    def _query_gsi(self, partition: str) -> list[dict[str, Any]]:
        items, kwargs = [], {"IndexName": "gsi1", "KeyConditionExpression": "gsi1pk = :p",
                             "ExpressionAttributeValues": {":p": partition}}
        while True:
            page = self._table.query(**kwargs)
            items += page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def save_application(self, addressee: Addressee, submitted_at: str, *, mark_event: bool = False) -> None:
        """Without a partnership (ApplicationSubmitted): only if no ApplicationRouted wrote the same
        snapshot with its partnership first; with one (ApplicationRouted): the whole addressee, no read.
        ``mark_event``: in one transaction with the idempotency marker of the event being handled."""
        self._put_marked(self._application_put(addressee, submitted_at), mark_event=mark_event)

    def _application_put(self, addressee: Addressee, submitted_at: str) -> dict[str, Any]:
        assert addressee.application_id
        put: dict[str, Any] = {"TableName": self._table_name, "Item": {
            "pk": f"APP#{addressee.application_id}",
            "sk": "APPLICATION",
            "gsi1pk": f"ENTAPP#{addressee.enterprise_number}",
            "gsi1sk": f"{submitted_at}#{addressee.application_id}",
            **_addressee_item(addressee),
        }}
        if not addressee.partnership_id:
            put["ConditionExpression"] = "attribute_not_exists(partnership_id)"
        return put

    def _put_marked(self, put: dict[str, Any], *, mark_event: bool) -> None:
        """One Put; with ``mark_event``, in one transaction with the marker of the event being handled
        (kernel.processed.current_marker) when there is one. A failed condition of the Put means there
        is nothing to write."""
        client = self._table.meta.client
        marker = current_marker() if mark_event else None
        marker_put = marker.transact_put(self._table_name) if marker is not None else None
        if marker is None or marker_put is None:
            try:
                client.put_item(**put)
            except client.exceptions.ConditionalCheckFailedException:
                pass
            return
        try:
            client.transact_write_items(TransactItems=[{"Put": put}, marker_put])
        except client.exceptions.TransactionCanceledException as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                raise AlreadyProcessed(marker.event_id) from None
            if reasons and reasons[0] == "ConditionalCheckFailed":
                return  # nothing to write; the consumer writes the marker itself
            raise
        marker.wrote()

    def application(self, application_id: str) -> Addressee | None:
        item = self._get(f"APP#{application_id}", "APPLICATION")
        return _addressee(item) if item and item.get("enterprise_number") else None

    def set_partnership(self, application_id: str, partnership_id: str) -> None:
        self._table.update_item(
            Key={"pk": f"APP#{application_id}", "sk": "APPLICATION"},
            UpdateExpression="SET partnership_id = :p",
            ExpressionAttributeValues={":p": partnership_id},
        )

    def latest_application_for(self, enterprise_number: str) -> Addressee | None:
        items = sorted(self._query_gsi(f"ENTAPP#{enterprise_number}"), key=lambda i: i["gsi1sk"])
        return _addressee(items[-1]) if items else None

    def save_recognition(self, record: RecognitionRecord, *, mark_event: bool = False) -> None:
        item = {
            "pk": f"REC#{record.recognition_id}",
            "sk": "RECOGNITION",
            "gsi1pk": f"ENTREC#{record.enterprise_number}",
            "gsi1sk": record.recognition_id,
            **_recognition_item(record),
        }
        if mark_event and write_marked(self._table, [{"Put": {"TableName": self._table_name, "Item": item}}]):
            return
        self._table.put_item(Item=item)

    def recognition(self, recognition_id: str) -> RecognitionRecord | None:
        item = self._get(f"REC#{recognition_id}", "RECOGNITION")
        return _recognition(item) if item else None

    def recognitions_for(self, enterprise_number: str) -> list[RecognitionRecord]:
        return [_recognition(i) for i in self._query_gsi(f"ENTREC#{enterprise_number}")]

    def save_subject(self, subject_id: str, application_id: str) -> None:
        self._table.put_item(Item={"pk": f"SUBJ#{subject_id}", "sk": "SUBJECT", "application_id": application_id})

    def subject_application(self, subject_id: str) -> str | None:
        item = self._get(f"SUBJ#{subject_id}", "SUBJECT")
        return item["application_id"] if item else None

    def save_appeal(self, record: AppealRecord) -> None:
        item = {k: v for k, v in asdict(record).items() if v is not None}
        self._table.put_item(Item={"pk": f"APPEAL#{record.appeal_id}", "sk": "APPEAL", **item})

    def appeal(self, appeal_id: str) -> AppealRecord | None:
        item = self._get(f"APPEAL#{appeal_id}", "APPEAL")
        if item is None:
            return None
        fields: dict[str, Any] = {k: item.get(k) for k in AppealRecord.__dataclass_fields__}
        return AppealRecord(**fields)

    def notice(self, notice_id: str) -> NoticeRecord | None:
        item = self._get(f"NOTICE#{notice_id}", "NOTICE")
        return _notice(item) if item else None

    def add_notice(self, record: NoticeRecord, *, subject_application: str | None = None,
                   application: tuple[Addressee, str] | None = None, claim: str | None = None) -> bool:
        """Write the notice and its partnership copy (and, with ``subject_application``, the application
        its subject is about; with ``application``, that addressee; with ``claim``, that mail's "sent"
        marker) in one transaction. True: all of it written. A second write of the same notice keeps
        the first and writes the others but the claim on their own: False (so is a new notice whose
        claim was there: the caller's claim_send then finds it)."""
        item = _notice_item(record)
        sort = f"{record.issued_at}#{record.notice_id}"
        rows = [{"pk": f"NOTICE#{record.notice_id}", "sk": "NOTICE",
                 "gsi1pk": enterprise_partition(record.enterprise_number), "gsi1sk": sort, **item}]
        if record.partnership_id:
            rows.append({"pk": f"NOTICE#{record.notice_id}", "sk": "PARTNERSHIP",
                         "gsi1pk": partnership_partition(record.partnership_id), "gsi1sk": sort, **item})
        subject = None
        if subject_application:
            subject = {"pk": f"SUBJ#{record.subject_id}", "sk": "SUBJECT", "application_id": subject_application}
        client = self._table.meta.client
        writes = [{"Put": {"TableName": self._table_name, "Item": row,
                           "ConditionExpression": "attribute_not_exists(pk)"}} for row in rows]
        if subject is not None:
            writes.append({"Put": {"TableName": self._table_name, "Item": subject}})
        addressee_put = self._application_put(*application) if application is not None else None
        if addressee_put is not None:
            writes.append({"Put": addressee_put})
        if claim is not None:  # only with a new notice: on the way below, the caller claims on its own
            writes.append({"Put": {"TableName": self._table_name, "Item": self._sent_item(claim),
                                   "ConditionExpression": "attribute_not_exists(pk)"}})
        try:
            client.transact_write_items(TransactItems=writes)
            return True
        except client.exceptions.TransactionCanceledException:
            pass  # a row is there already (a retry): write each on its own, keeping what is there
        new = False
        for row in rows:
            try:
                self._table.put_item(Item=row, ConditionExpression="attribute_not_exists(pk)")
                new = new or row is rows[0]  # the notice itself (not only its partnership copy)
            except client.exceptions.ConditionalCheckFailedException:
                pass
        if subject is not None:
            self._table.put_item(Item=subject)
        if addressee_put is not None:
            try:
                client.put_item(**addressee_put)
            except client.exceptions.ConditionalCheckFailedException:
                pass  # a snapshot without partnership after one with it: the latter stands
        return new and claim is None  # the claim is not taken on this way: the caller claims it

    def notices_in(self, partition: str) -> list[NoticeRecord]:
        return [_notice(i) for i in self._query_gsi(partition)]

    def record_delivery(self, notice_id: str, outcome: str, at: str) -> bool:
        client = self._table.meta.client
        client_errors = client.exceptions
        # The latest report stands: SQS keeps no order, and a Delivery read after the later Bounce of the
        # same mail must not turn it back into a receipt. attribute_exists: no row is made for a notice
        # that is not there (the condition is the check; the caller does not read the notice first).
        latest = "attribute_exists(pk) AND (attribute_not_exists(delivery_at) OR delivery_at <= :t)"
        updates = [{"Update": {"TableName": self._table_name, "Key": {"pk": f"NOTICE#{notice_id}", "sk": sk},
                               "ConditionExpression": latest,
                               "UpdateExpression": "SET delivery = :o, delivery_at = :t",
                               "ExpressionAttributeValues": {":o": outcome, ":t": at}}}
                   for sk in ("NOTICE", "PARTNERSHIP")]
        try:  # both rows in one call when the notice has its partnership copy (it mostly has)
            client.transact_write_items(TransactItems=updates)
            return True
        except client_errors.TransactionCanceledException:
            pass  # a row is missing or holds a later report: each on its own below
        recorded = False
        for sk in ("NOTICE", "PARTNERSHIP"):  # the partnership's copy lists it too
            try:
                self._table.update_item(
                    Key={"pk": f"NOTICE#{notice_id}", "sk": sk},
                    ConditionExpression=latest,
                    UpdateExpression="SET delivery = :o, delivery_at = :t",
                    ExpressionAttributeValues={":o": outcome, ":t": at},
                )
                recorded = True
            except client_errors.ConditionalCheckFailedException:
                pass  # no partnership copy, an unknown notice or an older report: nothing to mark
        return recorded

    def _sent_item(self, marker: str) -> dict[str, Any]:
        return {"pk": f"SENT#{marker}", "sk": "SENT", "sent_at": clock.iso(clock.now())}

    def claim_send(self, marker: str, *, mark_event: bool = False) -> bool:
        """``mark_event``: the claim carries the idempotency marker of the event being handled (the
        handler's last write; raises AlreadyProcessed when the marker is there)."""
        item = self._sent_item(marker)
        if mark_event:
            claimed = write_marked(self._table, [{"Put": {"TableName": self._table_name, "Item": item,
                                                          "ConditionExpression": "attribute_not_exists(pk)"}}])
            if claimed is not None:
                return claimed
        try:
            self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
            return True
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            return False

    def release_send(self, marker: str) -> None:
        """Free the claim, and the event's marker if the claim carried it (the event is handled again)."""
        self._table.delete_item(Key={"pk": f"SENT#{marker}", "sk": "SENT"})
        event_marker = written_marker()
        if event_marker is not None:
            event_marker.unwrite()
