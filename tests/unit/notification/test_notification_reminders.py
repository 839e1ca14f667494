"""Renewal and mentor-training reminders: scheduled at the policy's offsets, removed on renewal,
revocation or exclusion, and sent once when they fire."""

from datetime import UTC, date, datetime, timedelta

import pytest
from notification_support import (
    CONTACT,
    ENTERPRISE,
    ESTABLISHMENT,
    NOW,
    PARTNERSHIP,
    decided,
    deliver,
    granted,
    routed,
    wrap,
)

from kernel.events import MeasureImposedV1, MentorTrainingDueV1, RecognitionRevokedV1, RenewalReminderDueV1
from kernel.timers import at_expression
from notification import bootstrap
from reference.policy import policy

VALID_UNTIL = date(2032, 2, 29)


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def at_times(ports, recognition_id="rec-1"):
    return {name: at_expression(at) for name, (at, _) in ports.timers.pending.items() if recognition_id in name}


def test_a_grant_schedules_renewal_reminders_at_90_30_and_7_days_before_the_end_in_the_morning(ports):
    assert policy().for_partnership(PARTNERSHIP).values.renewal_reminder_offsets_days.value == (90, 30, 7)
    deliver(ports, granted())
    times = at_times(ports)
    # 08:00 in Brussels; winter time is UTC+1.
    assert times["ntf-renew-rec-1-90"] == "at(2031-12-01T07:00:00)"
    assert times["ntf-renew-rec-1-30"] == "at(2032-01-30T07:00:00)"
    assert times["ntf-renew-rec-1-7"] == "at(2032-02-22T07:00:00)"
    payload = ports.timers.payload("ntf-renew-rec-1-30")
    assert payload["event_name"] == "RenewalReminderDue" and payload["correlation_id"] == "corr-1"
    assert payload["data"] == {"recognition_id": "rec-1", "enterprise_number": ENTERPRISE,
                               "valid_until": "2032-02-29", "days_before": 30}


def test_the_mentor_training_reminder_follows_the_partnerships_deadline(ports):
    deliver(ports, granted())  # construction: mentor training within 6 months
    assert policy().for_partnership("construction").values.mentor_training_deadline_months.value == 6
    assert at_times(ports)["ntf-mentor-rec-1-30"] == "at(2027-08-02T06:00:00)"  # 1 Sept minus 30 days, summer time
    assert ports.timers.payload("ntf-mentor-rec-1-30")["data"]["due_on"] == "2027-09-01"
    deliver(ports, granted("rec-2", partnership_id="vpdl"))  # the default: one year
    assert ports.timers.payload("ntf-mentor-rec-2-30")["data"]["due_on"] == "2028-03-01"


def test_a_renewal_removes_the_reminders_of_the_recognition_it_renews(ports):
    deliver(ports, granted())
    deliver(ports, granted("rec-2", valid_from=date(2032, 3, 1), valid_until=date(2037, 2, 28), renews="rec-1"))
    assert not at_times(ports, "rec-1")
    assert set(ports.timers.cancelled) >= {"ntf-renew-rec-1-90", "ntf-renew-rec-1-30", "ntf-renew-rec-1-7"}
    assert len(at_times(ports, "rec-2")) == 4


def test_a_revocation_removes_the_pending_reminders(ports):
    deliver(ports, granted())
    deliver(ports, wrap(RecognitionRevokedV1(
        recognition_id="rec-1", partnership_id=PARTNERSHIP, enterprise_number=ENTERPRISE,
        establishment_number=ESTABLISHMENT, training_code="ruwbouw-duaal", effective_on=NOW.date())))
    assert ports.timers.pending == {}
    assert len(ports.timers.cancelled) == 4


def test_an_exclusion_removes_the_reminders_of_every_recognition_of_the_enterprise(ports):
    deliver(ports, granted("rec-1"))
    deliver(ports, granted("rec-2"))
    deliver(ports, wrap(MeasureImposedV1(
        measure_id="m-1", type="exclusion", partnership_id=PARTNERSHIP, enterprise_number=ENTERPRISE,
        reason="Ernstige inbreuken.", appealable=True, imposed_at=NOW)))
    assert ports.timers.pending == {}


def test_a_sectoral_exclusion_keeps_the_reminders_of_another_partnerships_recognitions(ports):
    """Issue 11 point 6: a partnership's exclusion reaches only what it is competent for."""
    deliver(ports, granted("rec-1"))
    deliver(ports, granted("rec-2", partnership_id="horeca"))
    deliver(ports, wrap(MeasureImposedV1(
        measure_id="m-1", type="exclusion", partnership_id=PARTNERSHIP, enterprise_number=ENTERPRISE,
        reason="Ernstige inbreuken.", appealable=True, imposed_at=NOW)))
    assert at_times(ports, "rec-1") == {} and len(at_times(ports, "rec-2")) == 4
    deliver(ports, wrap(MeasureImposedV1(
        measure_id="m-2", type="exclusion", partnership_id="vpdl", enterprise_number=ENTERPRISE,
        reason="Ernstige inbreuken.", appealable=True, imposed_at=NOW)))
    assert ports.timers.pending == {}


def test_a_guidance_action_keeps_the_reminders(ports):
    deliver(ports, granted())
    deliver(ports, wrap(MeasureImposedV1(
        measure_id="m-1", type="guidance", partnership_id=PARTNERSHIP, enterprise_number=ENTERPRISE,
        recognition_id="rec-1", reason="Opleidingsplan bijsturen.", appealable=False, imposed_at=NOW)))
    assert len(ports.timers.pending) == 4


def test_reminders_already_in_the_past_are_not_scheduled(ports):
    deliver(ports, granted(valid_from=date(2022, 5, 1), valid_until=date(2027, 3, 20)))
    assert list(at_times(ports)) == ["ntf-renew-rec-1-7"]


def fire(ports, name):
    at, envelope = ports.timers.pending[name]
    return deliver(ports, envelope)


def test_a_renewal_reminder_is_mailed_once_even_when_delivered_twice(ports):
    deliver(ports, routed())
    deliver(ports, granted())
    fire(ports, "ntf-renew-rec-1-30")
    bootstrap.processed_events().ids.clear()  # type: ignore[attr-defined]  # the kernel's marker lost: only the send marker stands in the way
    fire(ports, "ntf-renew-rec-1-30")
    reminders = [m for m in ports.mailer.to(CONTACT) if "loopt af" in m.subject]
    assert len(reminders) == 1
    assert "29 februari 2032" in reminders[0].subject and "30 dagen" in reminders[0].body
    assert "Ruwbouw duaal" in reminders[0].body


@pytest.mark.parametrize(("language", "greeting", "regards", "says"), [
    ("nl", "Geachte Jan Peeters,", "Met vriendelijke groeten,", "is geldig tot en met 29 februari 2032"),
    ("en", "Dear Jan Peeters,", "Kind regards,", "is valid for 30 more days, up to and including 29 February 2032."),
])
def test_reminders_greet_sign_and_quote_the_recognition_in_the_companys_language(ports, language, greeting,
                                                                                   regards, says):
    from dataclasses import replace

    ports = replace(ports, language=language)
    deliver(ports, routed())
    deliver(ports, decided("approved"))
    deliver(ports, granted())
    fire(ports, "ntf-renew-rec-1-30")
    fire(ports, "ntf-mentor-rec-1-30")
    approval = next(n.reference for n in ports.store.notices.values() if n.kind == "approval")
    renewal, mentor = ports.mailer.sent[-2].mail, ports.mailer.sent[-1].mail
    for mail in (renewal, mentor):
        assert mail.body.startswith(greeting) and regards in mail.body
        assert "Sectoraal Partnerschap Bouw\nVoorbeeldstraat 3, 1000 Brussel\n" in mail.body  # signed with address
        assert mail.body.rstrip().endswith("+32 2 000 00 02\nbouw@example.be")
        assert approval in mail.body and "rec-1" not in mail.body and mail.reply_to == "bouw@example.be"
    assert says in renewal.body and "2123.456.791" in renewal.body


def test_the_mentor_training_reminder_is_mailed_to_the_company(ports):
    deliver(ports, routed())
    deliver(ports, granted())
    fire(ports, "ntf-mentor-rec-1-30")
    (mail,) = [m for m in ports.mailer.to(CONTACT) if "mentoropleiding" in m.subject]
    assert "1 september 2027" in mail.body


def test_a_reminder_that_fires_after_a_revocation_sends_nothing(ports):
    deliver(ports, routed())
    deliver(ports, granted())
    _, envelope = ports.timers.pending["ntf-renew-rec-1-7"]
    deliver(ports, wrap(RecognitionRevokedV1(
        recognition_id="rec-1", partnership_id=PARTNERSHIP, enterprise_number=ENTERPRISE,
        establishment_number=ESTABLISHMENT, training_code="ruwbouw-duaal", effective_on=NOW.date())))
    deliver(ports, envelope)  # the schedule had already fired when it was cancelled
    assert not [m for m in ports.mailer.to(CONTACT) if "loopt af" in m.subject]


def test_the_timer_events_read_as_catalogue_events():
    RenewalReminderDueV1(recognition_id="r", enterprise_number=ENTERPRISE, valid_until=VALID_UNTIL, days_before=7)
    MentorTrainingDueV1(recognition_id="r", enterprise_number=ENTERPRISE, partnership_id="vpdl",
                        due_on=VALID_UNTIL - timedelta(days=1))
