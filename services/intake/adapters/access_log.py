"""Intake's access log of documents: who did what to which document, and when.

Item: pk=ACCESS#<application id>, sk=PURGE#<document id>. The sort key is deterministic, so a
retried purge overwrites its own entry instead of logging a second deletion. (Reads of documents
are logged by review, which hands out the download links: ACCESS#<application id> in its table.)
"""

from __future__ import annotations

from typing import Any

from kernel import aws


class DynamoAccessLog:
    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    @property
    def _table(self):  # noqa: ANN202 - boto3 resource
        return aws.table(self._table_name)

    def record_purge(self, entry: dict[str, Any]) -> None:
        key = {"pk": f"ACCESS#{entry['application_id']}", "sk": f"PURGE#{entry['document_id']}"}
        self._table.put_item(Item={**key, "action": "purged", **entry})

    def entries(self, application_id: str) -> list[dict[str, Any]]:
        page = self._table.query(KeyConditionExpression="pk = :p",
                                 ExpressionAttributeValues={":p": f"ACCESS#{application_id}"}, ConsistentRead=True)
        return [{k: v for k, v in i.items() if k not in ("pk", "sk")} for i in page["Items"]]
