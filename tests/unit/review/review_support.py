"""Fakes and builders for the review unit tests."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from testkit import clock as testkit_clock

from kernel import clock
from kernel.auth import Caller
from kernel.envelope import Envelope, new_event_id
from kernel.events import ApplicationRoutedV1, ApplicationSnapshot, RoutingOutcome
from kernel.publisher import InMemoryPublisher, envelope_for
from kernel.timers import InMemoryTimers
from review.adapters.memory import FakeDocumentLinks, InMemoryReviewRepository
from review.usecases.ports import Ports

ENTERPRISE = "0403170701"
ESTABLISHMENT = "2123456791"
TRAINING = "keukenmedewerker-duaal"
OTHER_TRAINING = "restaurant-en-keuken-duaal"


class Clock(testkit_clock.Clock):
    """The testkit's clock in review's words: a day (10:00 UTC), days later, an exact instant."""

    def set(self, day: date) -> None:
        self.on(day)

    def advance(self, days: int = 0, **delta: float) -> datetime:
        """``days`` after today, at 10:00 UTC."""
        return self.on(clock.today() + timedelta(days=days))

    def instant(self, target: datetime) -> None:
        """Moves kernel.clock to an exact instant (Brussels midnight, DST changes)."""
        self.at(target)


@pytest.fixture
def at():
    c = Clock()
    c.set(date(2026, 3, 2))
    yield c
    Clock.reset()


@pytest.fixture
def ports(at) -> Ports:
    return Ports(repo=InMemoryReviewRepository(), publisher=InMemoryPublisher(), timers=InMemoryTimers(),
                 links=FakeDocumentLinks(), supervisor_id="vpdl")


def partnership(pid: str = "horeca") -> Caller:
    return Caller(sub=f"user-{pid}", role="partnership", partnership_id=pid)


def snapshot(**overrides) -> ApplicationSnapshot:
    data = {
        "application_id": str(uuid.uuid4()),
        "enterprise_number": ENTERPRISE,
        "establishment_number": ESTABLISHMENT,
        "training_code": TRAINING,
        "kind": "new",
        "company": {"name": "Brasserie Test", "joint_committee": "302",
                    "address": {"street": "Kerkstraat 1", "postal_code": "9000", "city": "Gent"}},
        "contact": {"name": "An Peeters", "email": "an@example.be"},
        "mentors": [{"first_name": "Jan", "last_name": "Janssens", "national_register_number": "80031512361",
                     "experience_years": 10, "extract_issued_on": "2026-01-10"}],
        "declarations": {"organisation_and_equipment": True, "financial_capacity": True,
                         "no_disqualifying_convictions": True, "sworn_statement": True},
        "documents": [{"id": "d1", "type": "criminal_record_extract", "filename": "extract.pdf",
                       "content_type": "application/pdf", "size_bytes": 1000, "mentor_index": 0,
                       "bucket": "docs", "key": "applications/a/d1"}],
        "submitted_at": clock.now(),
        "decision_due": clock.today() + timedelta(days=14),
        "policy_version": "2026-11-26.1",
    }
    data.update(overrides)
    return ApplicationSnapshot.model_validate(data)


def routed(partnership_id: str = "horeca", **overrides) -> tuple[Envelope, ApplicationRoutedV1]:
    app = snapshot(**overrides)
    data = ApplicationRoutedV1(
        application_id=app.application_id, partnership_id=partnership_id,
        routing=RoutingOutcome(partnership_id=partnership_id, rule="joint_committee", matched="302"),
        decision_due=app.decision_due, application=app,
    )
    return envelope_for(data, source="routing", correlation_id="c-1", event_id=new_event_id()), data


def missed_timer(ports, application_id: str):
    """The missed-deadline timer (at, envelope). One timer per file at a time: the warning sets it
    when it fires (review.usecases.deadlines), so a warning still pending fires first."""
    from kernel.events import DecisionDeadlineApproachingV1
    from review.usecases import deadlines
    from review.usecases.timers import missed_name, warning_name

    if warning_name(application_id) in ports.timers.pending:
        _, warning = ports.timers.pending.pop(warning_name(application_id))  # a one-time schedule deletes itself
        deadlines.on_deadline_approaching(ports, warning, DecisionDeadlineApproachingV1.model_validate(warning.data))
    return ports.timers.pending[missed_name(application_id)]
