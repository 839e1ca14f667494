"""The whole procedure in one process: every service's real use cases and bus edges on their
in-memory ports, joined by a bus that delivers as the template's subscriptions say, in any order,
and by timers that fire as the clock moves (as the local runtime's scheduler does).

Only the PDF renderer is a stand-in (notification renders bytes nobody reads here). The bus keeps
every envelope it carried, so the state machine can count what each change published.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from kernel import clock
from kernel.envelope import Envelope
from kernel.events import parse_data
from kernel.timers import InMemoryTimers

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE = ROOT / "infra" / "template.yaml"
SERVICES = ("routing", "intake", "review", "notification", "appeal")
QUEUE_OF = {"RoutingQueue": "routing", "IntakeQueue": "intake", "ReviewQueue": "review",
            "NotificationQueue": "notification", "AppealQueue": "appeal"}


def subscriptions() -> dict[str, set[str]]:
    """service -> the event names its queue's subscription lets through (infra/template.yaml)."""
    from localrt.cfn_yaml import load_yaml

    resources = load_yaml(TEMPLATE)["Resources"]
    found: dict[str, set[str]] = {}
    for resource in resources.values():
        if resource.get("Type") != "AWS::SNS::Subscription":
            continue
        endpoint = resource["Properties"].get("Endpoint")
        queue = endpoint.get("Fn::GetAtt", [None])[0] if isinstance(endpoint, dict) else None
        if isinstance(queue, str) and "." in queue:
            queue = queue.split(".")[0]
        if queue in QUEUE_OF:
            names = (resource["Properties"].get("FilterPolicy") or {}).get("event_name", [])
            found[QUEUE_OF[queue]] = set(names)
    return found


@dataclass
class Message:
    text: str  # the envelope as it travels (JSON: instants to the second, as on SNS/SQS)
    attempts: int = 0

    @property
    def envelope(self) -> Envelope:
        return Envelope.model_validate_json(self.text)


class Bus:
    """One topic, one queue per consumer; publishing fans out by the subscriptions' filters."""

    def __init__(self) -> None:
        self.filters = subscriptions()
        self.queues: dict[str, list[Message]] = {s: [] for s in SERVICES}
        self.carried: list[Envelope] = []  # everything ever published (with duplicates)
        self.delivered: dict[str, list[Message]] = {s: [] for s in SERVICES}

    def publisher(self) -> BusPublisher:
        return BusPublisher(self)

    def publish(self, envelope: Envelope) -> None:
        text = envelope.to_json()
        self.carried.append(Envelope.model_validate_json(text))
        for service, names in self.filters.items():
            if envelope.event_name in names:
                self.queues[service].append(Message(text))

    def enqueue(self, service: str, envelope: Envelope) -> None:
        """A timer's envelope, straight into its owner's queue (EventBridge Scheduler's target)."""
        self.queues[service].append(Message(envelope.to_json()))

    def pending(self) -> int:
        return sum(len(q) for q in self.queues.values())

    def published(self, event_name: str) -> list[Envelope]:
        return [e for e in self.carried if e.event_name == event_name]


@dataclass
class BusPublisher:
    bus: Bus

    def publish(self, envelope: Envelope) -> None:
        self.bus.publish(envelope)


def fake_pdf(document: Any) -> bytes:
    return b"%PDF-1.7\n% a notice the model does not read\n"


@dataclass
class World:
    bus: Bus = field(default_factory=Bus)
    processed: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (service, event, error) of retried deliveries

    def __post_init__(self) -> None:
        from appeal.adapters.memory import InMemoryAppealStore
        from appeal.usecases.ports import Ports as AppealPorts
        from intake.adapters.memory import (
            InMemoryAccessLog,
            InMemoryApplicationStore,
            InMemoryDocumentStorage,
            InMemoryProjections,
            InMemoryRetentionStore,
        )
        from intake.usecases.ports import Ports as IntakePorts
        from kernel.idempotency_keys import InMemoryIdempotencyKeys
        from kernel.processed import InMemoryProcessedEvents
        from notification.adapters.memory import InMemoryMailer, InMemoryNoticeArchive, InMemoryNotificationStore
        from notification.usecases.ports import Ports as NotificationPorts
        from reference.partnerships import partnership_table
        from review.adapters.memory import FakeDocumentLinks, InMemoryReviewRepository
        from review.usecases.ports import Ports as ReviewPorts
        from routing.adapters.memory import InMemoryRoutingLog
        from routing.usecases.ports import Ports as RoutingPorts

        self.timers = {s: InMemoryTimers() for s in SERVICES}
        publisher = self.bus.publisher()
        projections = InMemoryProjections()  # the application store's saves hold keys in it
        retention = InMemoryRetentionStore()  # and record decisions' retention facts in it
        self.intake = IntakePorts(
            applications=InMemoryApplicationStore(projections, retention),
            projections=projections,
            documents=InMemoryDocumentStorage(),
            publisher=publisher,
            timers=self.timers["intake"],
            retention=retention,
            access_log=InMemoryAccessLog(),
        )
        self.routing = RoutingPorts(publisher=publisher, log=InMemoryRoutingLog(), partnerships=partnership_table())
        self.review = ReviewPorts(repo=InMemoryReviewRepository(), publisher=publisher, timers=self.timers["review"],
                                  links=FakeDocumentLinks(), supervisor_id="vpdl")
        self.notification = NotificationPorts(
            store=InMemoryNotificationStore(), archive=InMemoryNoticeArchive(), mailer=InMemoryMailer(),
            publisher=publisher, timers=self.timers["notification"], render=fake_pdf, language="nl")
        self.appeal = AppealPorts(store=InMemoryAppealStore(), publisher=publisher, timers=self.timers["appeal"],
                                  keys=InMemoryIdempotencyKeys(), processed=InMemoryProcessedEvents())
        self._handlers = self._bind()

    # ------------------------------------------------------------------ wiring
    def patches(self) -> list[tuple[Any, str, Any]]:
        """(module, attribute, value): each service's composition root answers with these ports
        (the services take them through their bootstrap.override: see install)."""
        return [(clock, "now", FrozenClock.now)]

    def install(self) -> None:
        """The composition roots with an explicit override answer with this world's ports."""
        import appeal.bootstrap
        import intake.bootstrap
        import notification.bootstrap
        import review.bootstrap
        import routing.bootstrap

        notification.bootstrap.override(self.notification)
        intake.bootstrap.override(self.intake)
        routing.bootstrap.override(self.routing)
        review.bootstrap.override(self.review)
        appeal.bootstrap.override(self.appeal)

    @staticmethod
    def uninstall() -> None:
        import appeal.bootstrap
        import intake.bootstrap
        import notification.bootstrap
        import review.bootstrap
        import routing.bootstrap

        for root in (intake.bootstrap, routing.bootstrap, review.bootstrap, notification.bootstrap, appeal.bootstrap):
            root.reset()

    @staticmethod
    def _bind() -> dict[str, dict[str, Callable[[Envelope, Any], None]]]:
        """The services' own HANDLERS tables: the model runs exactly what the Lambdas run."""
        from appeal.handlers.events import HANDLERS as appeal_handlers
        from intake.handlers.events import HANDLERS as intake_handlers
        from notification.handlers.events import HANDLERS as notification_handlers
        from review.handlers.events import HANDLERS as review_handlers
        from routing.handlers.events import HANDLERS as routing_handlers

        return {"routing": dict(routing_handlers), "intake": dict(intake_handlers), "review": dict(review_handlers),
                "notification": dict(notification_handlers), "appeal": dict(appeal_handlers)}

    # ------------------------------------------------------------------ delivery
    def deliver(self, service: str, index: int, *, replay: bool = False) -> bool:
        """Hand one message of ``service``'s queue to its handler. A duplicate (event_id seen) is
        dropped, as the kernel's consumer does; a failure puts it back at the end of the queue,
        as the visibility timeout would. ``replay`` re-runs an already handled message without the
        duplicate check: a crash between handling and marking. Returns whether it was handled."""
        queue = self.bus.delivered[service] if replay else self.bus.queues[service]
        if not queue:
            return False
        message = queue[index % len(queue)]
        if not replay:
            queue.remove(message)
        envelope = message.envelope
        handler = self._handlers[service].get(envelope.event_name)
        if handler is None:
            return True  # not for this consumer (the filter let it through): acknowledged
        if not replay and envelope.event_id in self.processed[service]:
            return True
        data = parse_data(envelope.event_name, envelope.event_version, envelope.data)
        try:
            handler(envelope, data)
        except Exception as exc:  # retried later, as SQS would
            if replay:
                raise
            message.attempts += 1
            self.failures.append((service, envelope.event_name, f"{type(exc).__name__}: {exc}"))
            self.bus.queues[service].append(message)
            return False
        self.processed[service].add(envelope.event_id)
        if not replay:
            self.bus.delivered[service].append(message)
        return True

    def drain(self, limit: int = 2000) -> None:
        """Deliver until every queue is empty. Raises AssertionError when messages keep failing
        with nothing else left to deliver (a message that would end in a DLQ)."""
        for _ in range(limit):
            busy = [s for s in SERVICES if self.bus.queues[s]]
            if not busy:
                return
            progressed = False
            for service in busy:
                for _ in range(len(self.bus.queues[service])):
                    progressed |= self.deliver(service, 0)
            if not progressed:
                stuck = {s: [m.envelope.event_name for m in self.bus.queues[s]] for s in busy}
                raise AssertionError(f"messages that can never be handled: {stuck}; last errors {self.failures[-3:]}")
        raise AssertionError("the bus did not settle")

    # ------------------------------------------------------------------ time
    def due_timers(self, until: datetime) -> list[tuple[datetime, str, str]]:
        return sorted((at, service, name) for service, timers in self.timers.items()
                      for name, (at, _) in timers.pending.items() if at <= until)

    def move_clock(self, to: datetime) -> None:
        """Move the clock forward to ``to``; each timer that falls due fires at its own instant
        and everything it causes is delivered before the next (POST /_local/clock does the same)."""
        target = max(to, clock.now())
        for _ in range(10_000):
            due = self.due_timers(target)
            if not due:
                break
            at, service, name = due[0]
            set_clock(max(at, clock.now()))
            _, envelope = self.timers[service].pending.pop(name)
            self.bus.enqueue(service, envelope)
            self.drain()
        set_clock(target)


class FrozenClock:
    """kernel.clock.now() for the model: time passes only when the model moves it, so a run is
    the same every time (hypothesis replays and shrinks it)."""

    instant: datetime = datetime(2027, 1, 1, tzinfo=UTC)

    @classmethod
    def now(cls) -> datetime:
        return cls.instant


def set_clock(instant: datetime) -> None:
    FrozenClock.instant = instant


def procedure_day(instant: datetime) -> date:
    """The day the services count for ``instant``: what kernel.clock.today() answers then (the
    Brussels date once the services count Brussels days throughout, issue 11 point 5)."""
    saved = FrozenClock.instant
    try:
        FrozenClock.instant = instant
        return clock.today()
    finally:
        FrozenClock.instant = saved


def json_dump(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True)


UTC = UTC
DAY = timedelta(days=1)
