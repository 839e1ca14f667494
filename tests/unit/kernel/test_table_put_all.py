"""kernel.aws.Table.put_all: what boto3's batch_writer did for the register import, without boto3.

25 puts to a BatchWriteItem (DynamoDB's limit), and what DynamoDB leaves unprocessed (throttling) sent
again after a backoff until written, or an error after the last attempt: never dropped silently.
moto never leaves items unprocessed, so a client that does stands in for DynamoDB here.
"""

from __future__ import annotations

import pytest

from kernel import aws


class ThrottlingClient:
    """Leaves the last item of each of its first ``throttled`` calls unprocessed."""

    def __init__(self, throttled: int) -> None:
        self.throttled, self.calls = throttled, []

    def batch_write_item(self, RequestItems: dict) -> dict:  # noqa: N803 - botocore's name
        (name, requests), = RequestItems.items()
        self.calls.append([r["PutRequest"]["Item"]["pk"] for r in requests])
        if len(self.calls) <= self.throttled:
            return {"UnprocessedItems": {name: requests[-1:]}}
        return {"UnprocessedItems": {}}


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    waits = []
    monkeypatch.setattr(aws.time, "sleep", waits.append)
    return waits


def test_items_go_25_to_a_call_and_what_is_left_unprocessed_is_sent_again(no_backoff):
    client = ThrottlingClient(throttled=1)
    written = aws.Table("register", client).put_all({"pk": f"REC#{i}"} for i in range(60))
    assert written == 60
    assert [len(c) for c in client.calls] == [25, 1, 25, 10]
    assert client.calls[1] == ["REC#24"]  # the unprocessed one, again
    assert sorted({pk for call in client.calls for pk in call}) == sorted(f"REC#{i}" for i in range(60))
    assert no_backoff == [0.05]


def test_items_still_unprocessed_after_the_last_attempt_raise_instead_of_being_dropped(no_backoff):
    client = ThrottlingClient(throttled=100)
    with pytest.raises(RuntimeError, match="1 item\\(s\\) still unprocessed after 3 attempts"):
        aws.Table("register", client).put_all([{"pk": "REC#1"}], attempts=3)
    assert len(client.calls) == 3 and no_backoff == [0.05, 0.1, 0.2]
