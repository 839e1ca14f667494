"""The routing log in the routing table: one item per routed subject, overwritten on a retry
with the same decision."""

from __future__ import annotations

from dataclasses import asdict

from kernel import aws, clock
from kernel.processed import write_marked
from routing.domain.partnership_routing import RoutingDecision


class DynamoRoutingLog:
    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    def record(self, subject_id: str, decision: RoutingDecision, *, mark_event: bool = False) -> None:
        table = aws.table(self._table_name)
        item = {"pk": f"ROUTED#{subject_id}", "sk": "DECISION", "routed_at": clock.iso(clock.now()), **asdict(decision)}
        if mark_event and write_marked(table, [{"Put": {"TableName": self._table_name, "Item": item}}]):
            return
        table.put_item(Item=item)
