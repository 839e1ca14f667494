"""settle() waits for the runtime to be idle. While a worker is busy or a request is in flight the
runtime is not idle whatever the queues hold: asking SQS about every consumer queue every 50 ms then
was most of what the test process and moto spent while an e2e test waited (py-spy)."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

from localrt.runtime import LocalRuntime


class CountingSqs:
    def __init__(self, backlog: dict[str, int]) -> None:
        self.backlog, self.calls = backlog, 0

    def get_queue_attributes(self, QueueUrl: str, AttributeNames: list[str]) -> dict:  # noqa: N803 - boto3's names
        self.calls += 1
        return {"Attributes": {"ApproximateNumberOfMessages": str(self.backlog.get(QueueUrl, 0)),
                               "ApproximateNumberOfMessagesNotVisible": "0",
                               "ApproximateNumberOfMessagesDelayed": "0"}}


def runtime(sqs: CountingSqs, poller_busy: bool) -> LocalRuntime:
    rt = LocalRuntime.__new__(LocalRuntime)  # only what settle and busy read
    queues = [SimpleNamespace(arn=f"arn:q{i}", name=f"Q{i}") for i in range(7)]
    rt.template = SimpleNamespace(consumer_queues=queues)
    rt.queue_urls = {q.arn: f"url-{q.name}" for q in queues}
    rt._sqs = sqs
    rt.gateway = SimpleNamespace(in_flight=0)
    rt.pollers = [SimpleNamespace(busy=poller_busy, fn=SimpleNamespace(logical_id="IntakeEventsFunction"))]
    rt.scheduler = SimpleNamespace(firing=False)
    rt._activity, rt._activity_lock = 0, threading.Lock()
    return rt


def test_while_a_worker_is_busy_settle_asks_sqs_nothing():
    sqs = CountingSqs({})
    rt = runtime(sqs, poller_busy=True)

    def finish() -> None:
        time.sleep(0.3)
        rt.pollers[0].busy = False

    threading.Thread(target=finish).start()
    assert rt.settle(timeout=5, interval=0.01)
    # Only the idle checks at the end looked at the queues (two stable checks of seven queues).
    assert sqs.calls <= 2 * 7, sqs.calls


def test_a_queue_with_messages_is_found_without_asking_about_the_rest(monkeypatch):
    import localrt.runtime as module

    sqs = CountingSqs({"url-Q0": 3})
    rt = runtime(sqs, poller_busy=False)
    checks = []
    monkeypatch.setattr(module.time, "sleep", lambda seconds: checks.append(seconds))
    try:
        rt.settle(timeout=0.02, interval=0.001)
    except TimeoutError as exc:
        assert "Q0: 3 message(s)" in str(exc)  # the timeout still says everything that is going on
    else:
        raise AssertionError("settled with a message in a queue")
    # One question per check (the first queue answers it), plus one full report of the seven queues.
    assert checks and sqs.calls == (len(checks) + 1) + 7, (sqs.calls, len(checks))
    assert rt.busy() == ["Q0: 3 message(s)"]
