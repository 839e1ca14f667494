"""kernel.decision_term: how waits for answers move the decision term (pause_during_questions)."""

from datetime import UTC, date, datetime

from kernel.decision_term import decision_due_after, waits

DUE = date(2026, 3, 16)  # a Monday


def test_a_wait_moves_the_due_date_by_its_days_and_an_open_one_stops_the_term():
    assert decision_due_after(DUE, [(date(2026, 3, 4), date(2026, 3, 9))], "calendar") == (date(2026, 3, 21), False)
    assert decision_due_after(DUE, [(date(2026, 3, 4), None)], "calendar") == (DUE, True)
    assert decision_due_after(DUE, [(date(2026, 3, 4), date(2026, 3, 4))], "calendar") == (DUE, False)


def test_overlapping_waits_count_once_and_one_after_the_term_counts_not_at_all():
    overlapping = [(date(2026, 3, 2), date(2026, 3, 6)), (date(2026, 3, 4), date(2026, 3, 8))]
    assert decision_due_after(DUE, overlapping, "calendar") == (date(2026, 3, 22), False)
    assert decision_due_after(DUE, [(date(2026, 3, 17), date(2026, 3, 20))], "calendar") == (DUE, False)
    # a question asked on the moved last day still counts
    chained = [(date(2026, 3, 10), date(2026, 3, 12)), (date(2026, 3, 18), date(2026, 3, 19))]
    assert decision_due_after(DUE, chained, "calendar") == (date(2026, 3, 19), False)


def test_working_day_terms_move_by_working_days():
    # asked Friday 6 March, answered Monday 9 March: one working day waited
    assert decision_due_after(DUE, [(date(2026, 3, 6), date(2026, 3, 9))], "working") == (date(2026, 3, 17), False)


def test_an_answer_answers_the_questions_asked_before_it_on_brussels_days():
    asked = [datetime(2026, 3, 1, 23, 30, tzinfo=UTC)]  # 00:30 on 2 March in Brussels
    answered = [datetime(2026, 2, 28, 9, tzinfo=UTC), datetime(2026, 3, 4, 9, tzinfo=UTC)]
    assert waits(asked, answered) == [(date(2026, 3, 2), date(2026, 3, 4))]
    assert waits(asked, answered[:1]) == [(date(2026, 3, 2), None)]
