"""Fakes and event builders for the notification service's unit tests."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from testkit.clock import Clock

from kernel.consumer import handle_envelope
from kernel.envelope import Envelope
from kernel.events import (
    ApplicationRoutedV1,
    ApplicationSnapshot,
    ApplicationSubmittedV1,
    Company,
    Contact,
    DecisionRecordedV1,
    Mentor,
    RecognitionGrantedV1,
    RoutingOutcome,
)
from kernel.processed import InMemoryProcessedEvents
from kernel.publisher import InMemoryPublisher, envelope_for
from kernel.timers import InMemoryTimers
from notification import bootstrap
from notification.adapters.memory import InMemoryMailer, InMemoryNoticeArchive, InMemoryNotificationStore
from notification.adapters.pdf import render_pdf
from notification.handlers.events import HANDLERS
from notification.usecases.ports import Ports

ENTERPRISE = "0403170701"
ESTABLISHMENT = "2123456791"
TRAINING = "ruwbouw-duaal"
TRAINING_NAME = "Ruwbouw duaal"
PARTNERSHIP = "construction"
PARTNERSHIP_MAIL = "bouw@example.be"  # reference.partnerships contact_email of "construction"
CONTACT = "jan@bouwbedrijf.example"
MENTOR_NRN = "80031512361"
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    """Pin kernel.clock to NOW (the clock reads an offset; tests move it, never sleep)."""
    Clock().at(NOW)
    yield
    Clock.reset()


@pytest.fixture
def ports():
    """Fakes behind bootstrap.override: the edges run exactly as in the Lambda, against these."""
    built = Ports(
        store=InMemoryNotificationStore(),
        archive=InMemoryNoticeArchive(),
        mailer=InMemoryMailer(),
        publisher=InMemoryPublisher(),
        timers=InMemoryTimers(),
        render=render_pdf,
        language="nl",
    )
    bootstrap.override(built, InMemoryProcessedEvents())
    yield built
    bootstrap.override(None)


def deliver(ports: Ports, envelope: Envelope) -> str:
    """Through the bus edge's HANDLERS and the kernel's consumer path (duplicate check on event_id included)."""
    from aws_lambda_powertools import Logger

    bootstrap.override(ports, bootstrap.processed_events())  # a test may have replaced a port
    return handle_envelope(envelope, handlers=HANDLERS, processed=bootstrap.processed_events(),
                           logger=Logger(service="test"))


def wrap(data, event_id: str | None = None) -> Envelope:
    return envelope_for(data, source="test", correlation_id="corr-1", event_id=event_id)


def snapshot(application_id: str = "app-1", **changes) -> ApplicationSnapshot:
    values = dict(
        application_id=application_id,
        enterprise_number=ENTERPRISE,
        establishment_number=ESTABLISHMENT,
        training_code=TRAINING,
        kind="new",
        company=Company(name="Bouwbedrijf Peeters NV", joint_committee="124"),
        contact=Contact(name="Jan Peeters", email=CONTACT),
        mentors=[Mentor(first_name="Els", last_name="Janssens", national_register_number=MENTOR_NRN)],
        submitted_at=NOW - timedelta(days=10),
        decision_due=date(2027, 3, 5),
    )
    values.update(changes)
    return ApplicationSnapshot(**values)


def submitted(application_id: str = "app-1", **changes) -> Envelope:
    return wrap(ApplicationSubmittedV1(application=snapshot(application_id, **changes)))


def routed(application_id: str = "app-1", partnership_id: str = PARTNERSHIP, **changes) -> Envelope:
    return wrap(ApplicationRoutedV1(
        application_id=application_id, partnership_id=partnership_id,
        routing=RoutingOutcome(partnership_id=partnership_id, rule="joint_committee_exact"),
        decision_due=date(2027, 3, 5), application=snapshot(application_id, **changes),
    ))


def decided(outcome: str = "refused", decision_id: str = "dec-1", application_id: str = "app-1") -> Envelope:
    extra = (
        dict(recognition_id="rec-1", valid_from=date(2027, 3, 1), valid_until=date(2032, 2, 29))
        if outcome == "approved" else dict(reasons=["Geen mentor met vijf jaar ervaring.", "Uitrusting onvoldoende."])
    )
    return wrap(DecisionRecordedV1(
        decision_id=decision_id, application_id=application_id, partnership_id=PARTNERSHIP,
        enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT, training_code=TRAINING,
        outcome=outcome, decided_at=NOW, **extra,
    ))


def granted(recognition_id: str = "rec-1", valid_from: date = date(2027, 3, 1), valid_until: date = date(2032, 2, 29),
            renews: str | None = None, application_id: str = "app-1", partnership_id: str = PARTNERSHIP) -> Envelope:
    return wrap(RecognitionGrantedV1(
        recognition_id=recognition_id, application_id=application_id, decision_id="dec-1",
        partnership_id=partnership_id, enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT,
        training_code=TRAINING, valid_from=valid_from, valid_until=valid_until, renews_recognition_id=renews,
        granted_at=NOW,
    ))


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # lines wrap anywhere; compare on single spaces
