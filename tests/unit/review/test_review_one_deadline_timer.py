"""Issue 13 point 8: one decision-deadline timer per file at a time. Routing sets the warning; the
warning, when it fires on a file still open, sets the missed-deadline timer; a decision cancels the
one that is pending. A file decided before its warning (most are) never gets the second timer."""

from datetime import timedelta

from review_support import partnership, routed

from kernel import clock
from kernel.events import DecisionDeadlineApproachingV1
from kernel.timers import InMemoryTimers
from review.usecases import deadlines, deciding, files
from review.usecases.timers import missed_name, warning_name


class RecordingTimers(InMemoryTimers):
    """Every cancel asked for, pending or not (each is a DeleteSchedule call on AWS)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked_to_cancel: list[str] = []

    def cancel(self, name: str) -> None:
        self.asked_to_cancel.append(name)
        super().cancel(name)


def opened(ports, **overrides):
    envelope, data = routed("horeca", **overrides)
    files.open_file(ports, envelope, data)
    return data


def fire_warning(ports, application_id):
    _, warning = ports.timers.pending.pop(warning_name(application_id))  # a one-time schedule deletes itself
    deadlines.on_deadline_approaching(ports, warning, DecisionDeadlineApproachingV1.model_validate(warning.data))
    return warning


def test_a_routed_file_waits_on_one_timer_the_warning(ports):
    data = opened(ports)
    assert warning_name(data.application_id) in ports.timers.pending
    assert missed_name(data.application_id) not in ports.timers.pending


def test_the_warning_when_it_fires_sets_the_missed_deadline_timer(ports, at):
    data = opened(ports)
    at.advance(11)
    warning = fire_warning(ports, data.application_id)
    assert ports.publisher.published[-1] == warning
    missed_at, missed = ports.timers.pending[missed_name(data.application_id)]
    assert missed.event_name == "DecisionDeadlineMissed"
    assert missed.data["decision_due"] == data.decision_due.isoformat()
    assert missed.correlation_id == warning.correlation_id
    assert missed_at.date() >= data.decision_due  # the day after the last one, Brussels midnight


def test_a_warning_delivered_twice_sets_the_missed_timer_once(ports, at):
    data = opened(ports)
    _, warning = ports.timers.pending[warning_name(data.application_id)]
    first = DecisionDeadlineApproachingV1.model_validate(warning.data)
    deadlines.on_deadline_approaching(ports, warning, first)
    pending = ports.timers.pending[missed_name(data.application_id)]
    deadlines.on_deadline_approaching(ports, warning, first)
    assert ports.timers.pending[missed_name(data.application_id)] == pending


def test_a_term_too_short_for_a_warning_gets_the_missed_timer_at_once(ports, at):
    data = opened(ports, decision_due=clock.today() + timedelta(days=2))  # the warning would be past
    assert warning_name(data.application_id) not in ports.timers.pending
    assert missed_name(data.application_id) in ports.timers.pending


def test_a_decision_before_the_warning_cancels_the_one_timer_with_one_call(at, ports):
    ports = ports.__class__(**{**ports.__dict__, "timers": RecordingTimers()})
    data = opened(ports)
    deciding.decide(ports, partnership(), data.application_id, "refused", ["no mentor"], "c")
    assert ports.timers.asked_to_cancel == [warning_name(data.application_id)]
    assert not {warning_name(data.application_id), missed_name(data.application_id)} & set(ports.timers.pending)


def test_a_decision_after_the_warning_cancels_the_missed_timer_with_one_call(at, ports):
    ports = ports.__class__(**{**ports.__dict__, "timers": RecordingTimers()})
    data = opened(ports)
    at.advance(12)
    fire_warning(ports, data.application_id)
    deciding.decide(ports, partnership(), data.application_id, "refused", ["no mentor"], "c")
    assert ports.timers.asked_to_cancel == [missed_name(data.application_id)]
    assert missed_name(data.application_id) not in ports.timers.pending


def test_a_warning_arriving_after_the_decision_sets_no_missed_timer(ports, at):
    data = opened(ports)
    _, warning = ports.timers.pending[warning_name(data.application_id)]
    deciding.decide(ports, partnership(), data.application_id, "refused", ["no mentor"], "c")
    deadlines.on_deadline_approaching(ports, warning, DecisionDeadlineApproachingV1.model_validate(warning.data))
    assert missed_name(data.application_id) not in ports.timers.pending
    assert "DecisionDeadlineApproaching" not in ports.publisher.names()
