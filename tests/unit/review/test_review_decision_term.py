"""pause_during_questions (issue 11 point 9): with the policy on, the decision term stops while a
question waits for the company's answer, and decision_due moves by the days it waited."""

from datetime import timedelta

from review_support import missed_timer, partnership, routed

from kernel import clock
from kernel.calendar import local_date
from kernel.events import QuestionAnsweredV1
from kernel.publisher import envelope_for
from reference.policy import policy
from review.usecases import files, reviewing
from review.usecases.timers import missed_name, warning_name


def pinned(pause: bool) -> dict:
    values = policy().for_partnership("horeca").values.plain() | {"pause_during_questions": pause}
    return {"version": "test", "partnership_id": "horeca", "values": values}


def open_file(ports, pause: bool):
    envelope, data = routed("horeca", policy=pinned(pause))
    files.open_file(ports, envelope, data)
    return data


def answer(ports, application_id, message_id="m-1"):
    data = QuestionAnsweredV1(application_id=application_id, message_id=message_id, partnership_id="horeca",
                              message="Two benches.", answered_at=clock.now())
    files.add_answer(ports, envelope_for(data, source="intake", correlation_id="c"), data)


def file_of(ports, application_id):
    return ports.repo.get_file(application_id).item


def test_the_term_stands_still_while_a_question_waits_and_the_due_date_moves_by_the_days_waited(ports, at):
    data = open_file(ports, pause=True)
    at.advance(2)
    reviewing.ask_question(ports, partnership(), data.application_id, "Which tools?", "c")
    assert missed_name(data.application_id) not in ports.timers.pending  # nothing runs out while it waits
    at.advance(20)  # past the original last day: not overdue, the term is paused
    [item] = reviewing.queue(ports, "horeca", None)
    assert item["decision_term_paused"] is True and item["overdue"] is False
    answer(ports, data.application_id)
    assert file_of(ports, data.application_id).decision_due == data.decision_due + timedelta(days=20)
    [item] = reviewing.queue(ports, "horeca", None)
    assert item["decision_term_paused"] is False and item["decision_due"] == data.decision_due + timedelta(days=20)
    assert warning_name(data.application_id) in ports.timers.pending
    missed_at, missed = missed_timer(ports, data.application_id)
    assert missed.data["decision_due"] == (data.decision_due + timedelta(days=20)).isoformat()
    assert local_date(missed_at) == data.decision_due + timedelta(days=21)


def test_without_the_policy_the_term_runs_on_during_questions(ports, at):
    data = open_file(ports, pause=False)
    reviewing.ask_question(ports, partnership(), data.application_id, "Which tools?", "c")
    at.advance(5)
    answer(ports, data.application_id)
    assert file_of(ports, data.application_id).decision_due == data.decision_due
    assert warning_name(data.application_id) in ports.timers.pending  # the term's one timer runs on


def test_a_question_asked_after_the_term_ran_out_pauses_nothing(ports, at):
    data = open_file(ports, pause=True)
    at.advance(16)
    reviewing.ask_question(ports, partnership(), data.application_id, "Late question?", "c")
    at.advance(3)
    answer(ports, data.application_id)
    assert file_of(ports, data.application_id).decision_due == data.decision_due
