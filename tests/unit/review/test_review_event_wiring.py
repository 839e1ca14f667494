"""The bus edge handles exactly what its subscription lets through, plus its own timers."""

from testkit.tables import template

from review.handlers.events import HANDLERS

TIMERS = {"DecisionDeadlineApproaching", "DecisionDeadlineMissed", "RecognitionExpiryDue"}


def test_every_event_the_review_queue_receives_has_a_handler_and_every_handler_an_event():
    subscription = next(s for s in template().subscriptions if s.logical_id == "ReviewSubscription")
    assert subscription.filter_policy is not None
    assert set(subscription.filter_policy["event_name"]) | TIMERS == set(HANDLERS)
