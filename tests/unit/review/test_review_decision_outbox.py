"""A decision whose events could not be published is announced again, never lost."""

import dataclasses
from datetime import timedelta

import pytest
from review_support import partnership, routed

from kernel import clock
from kernel.errors import Conflict
from kernel.events import DecisionDeadlineApproachingV1, DecisionDeadlineMissedV1
from review.usecases import deadlines, deciding, files
from review.usecases.timers import missed_name, warning_name


class FlakyPublisher:
    """Fails the first ``failures`` publishes, like SNS throttling past botocore's retries."""

    def __init__(self, inner, failures):
        self.inner, self.failures = inner, failures

    def publish(self, envelope):
        if self.failures:
            self.failures -= 1
            raise RuntimeError("SNS throttled")
        self.inner.publish(envelope)


def decided_with_a_failed_publish(ports, **overrides):
    envelope, data = routed("horeca", **overrides)
    files.open_file(ports, envelope, data)
    flaky = dataclasses.replace(ports, publisher=FlakyPublisher(ports.publisher, failures=1))
    with pytest.raises(RuntimeError):
        deciding.decide(flaky, partnership(), data.application_id, "approved", [], "c")
    assert "DecisionRecorded" not in ports.publisher.names()
    return data


def test_a_retried_decision_announces_the_recorded_one_and_still_answers_409(ports):
    data = decided_with_a_failed_publish(ports)
    with pytest.raises(Conflict):
        deciding.decide(ports, partnership(), data.application_id, "approved", [], "c")
    assert ports.publisher.names().count("DecisionRecorded") == 1
    assert ports.publisher.names().count("RecognitionGranted") == 1
    assert not {warning_name(data.application_id), missed_name(data.application_id)} & set(ports.timers.pending)


def test_the_deadline_warning_announces_a_decision_nobody_retried(ports):
    data = decided_with_a_failed_publish(ports)
    _, envelope = ports.timers.pending[warning_name(data.application_id)]  # the file's one timer
    deadlines.on_deadline_approaching(ports, envelope, DecisionDeadlineApproachingV1.model_validate(envelope.data))
    assert ports.publisher.names().count("DecisionRecorded") == 1
    assert "DecisionDeadlineApproaching" not in ports.publisher.names()
    assert missed_name(data.application_id) not in ports.timers.pending  # decided: nothing more to flag


def test_the_missed_deadline_timer_announces_a_decision_nobody_retried(ports):
    data = decided_with_a_failed_publish(ports, decision_due=clock.today() + timedelta(days=1))  # no warning
    _, envelope = ports.timers.pending[missed_name(data.application_id)]
    deadlines.on_deadline_missed(ports, envelope, DecisionDeadlineMissedV1.model_validate(envelope.data))
    assert ports.publisher.names().count("DecisionRecorded") == 1
    assert "DecisionDeadlineMissed" not in ports.publisher.names()


def test_an_announced_decision_is_not_announced_twice(ports):
    envelope, data = routed("horeca")
    files.open_file(ports, envelope, data)
    deciding.decide(ports, partnership(), data.application_id, "refused", ["no mentor"], "c")
    assert deciding.announce_pending_decision(ports, data.application_id, "c") is False
    assert ports.publisher.names().count("DecisionRecorded") == 1
