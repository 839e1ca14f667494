"""The decision term while questions wait (policy ``pause_during_questions``).

With the policy on, the term stands still from the day a question is asked until the day the
company answers it, and ``decision_due`` moves by the days it waited, counted in the term's own
day kind. Review (its file and timers) and intake (the company's view) both apply this to the same
facts, the instants of QuestionAsked and QuestionAnswered, so they show the same date. Pure.

- A question asked after the term had run out pauses nothing: the term was over.
- Waits that overlap count once.
- An answer answers every question asked before it that was still waiting (answers do not name
  their question yet). Instants compare to the second, as the bus carries them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from kernel.calendar import add_days, local_date

Wait = tuple[date, date | None]  # (asked on, answered on or None while it waits), Brussels days


def waits(asked: Iterable[datetime], answered: Iterable[datetime]) -> list[Wait]:
    """Per question, the Brussels day it was asked and the day of the first answer at or after it."""
    answers = sorted(a.replace(microsecond=0) for a in answered)
    result: list[Wait] = []
    for question in sorted(q.replace(microsecond=0) for q in asked):
        reply = next((a for a in answers if a >= question), None)
        result.append((local_date(question), local_date(reply) if reply else None))
    return result


def _days_between(start: date, end: date, day_kind: str) -> int:
    """How many days of ``day_kind`` follow ``start`` up to and including ``end``."""
    count, current = 0, start
    while True:
        following = add_days(current, 1, day_kind)
        if following > end:
            return count
        count, current = count + 1, following


def decision_due_after(term_due: date, question_waits: Iterable[Wait], day_kind: str) -> tuple[date, bool]:
    """(the last day for the decision, whether the term stands still now) after the waits."""
    due = term_due
    pending = sorted(question_waits, key=lambda w: w[0])
    i = 0
    while i < len(pending):
        start, end = pending[i]
        # Waits that overlap this one form one pause: it ends when the last of them is answered.
        j = i + 1
        while j < len(pending) and (end is None or pending[j][0] <= end):
            other_end = pending[j][1]
            end = None if end is None or other_end is None else max(end, other_end)
            j += 1
        if start > due:
            break  # asked once the term had run out
        if end is None:
            return due, True
        due = add_days(due, _days_between(start, end, day_kind), day_kind)
        i = j
    return due, False
