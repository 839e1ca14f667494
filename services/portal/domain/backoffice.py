"""What the back-office pages compute before they show or send anything: the work queue's filters
and counts, the supervision view, and the outcome of a decision or a measure as the rules will
make it (shown before the user confirms).

Pure: plain dicts as the JSON API returns them, dates in, dates out. The rules mirror the API's
(review's validity period, notification's appeal window) and read the same policy values, the
ones pinned on the application where it carries them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from kernel.calendar import local_date, term_end
from kernel.conditions import CONDITION_CODES
from portal.domain.dates import parse_date
from portal.domain.reference_data import partnership_table, policy_values

FILE_STATES = ("in_review", "approved", "refused", "withdrawn")
QUEUE_FILTERS = ("in_review", "overdue", "approved", "refused", "withdrawn")
# A work queue opens on the work to do; decided files are one filter away ("all": every file).
DEFAULT_FILTER = "in_review"
MEASURE_TYPES = ("guidance", "mentor_ban", "revocation", "exclusion")
APPEALABLE_MEASURES = frozenset({"mentor_ban", "revocation", "exclusion"})
# What VPDL supervision shows of another partnership's overdue file: its dates and its state,
# never the mentors' identities or the documents (issue 11, point 7).
SUPERVISION_FIELDS = ("application_id", "partnership_id", "status", "kind", "training_code", "submitted_at",
                      "routed_at", "decision_due", "days_left", "overdue", "deadline_warned", "open_questions")


# ---------------------------------------------------------------------- the work queue
@dataclass(frozen=True)
class Queue:
    items: list[dict[str, Any]]  # the files shown, earliest decision due first
    counts: dict[str, int]  # per state of the partnership's own files, and "overdue"
    total: int
    trainings: list[str]  # training codes present in the partnership's own files
    status: str | None
    training: str | None


def work_queue(files: Iterable[Mapping[str, Any]], partnership_id: str, *, status: str | None,
               training: str | None) -> Queue:
    """The partnership's own files (the API also hands the supervisor others' overdue files: those
    belong on the supervision page), filtered by state (the open files unless asked) and training,
    in the API's order."""
    own = [dict(f) for f in files if f.get("partnership_id") == partnership_id]
    counts = {state: sum(1 for f in own if f.get("status") == state) for state in FILE_STATES}
    counts["overdue"] = sum(1 for f in own if f.get("overdue"))
    status = DEFAULT_FILTER if status is None else status if status in QUEUE_FILTERS else None
    chosen = [f for f in own if _in_state(f, status) and (not training or f.get("training_code") == training)]
    return Queue(items=_by_due_date(chosen), counts=counts, total=len(own),
                 trainings=sorted({str(f.get("training_code")) for f in own if f.get("training_code")}),
                 status=status, training=training or None)


def _in_state(file: Mapping[str, Any], status: str | None) -> bool:
    if status is None:
        return True
    if status == "overdue":
        return bool(file.get("overdue"))
    return file.get("status") == status


def _by_due_date(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Earliest decision due first (the API's order; kept here so a filter cannot disturb it)."""
    return sorted(files, key=lambda f: (str(f.get("decision_due") or "9999-12-31"), str(f.get("routed_at") or "")))


def supervision(files: Iterable[Mapping[str, Any]], partnership_id: str) -> list[dict[str, Any]]:
    """Every overdue file of every partnership, as the supervisor may see it: dates and state only."""
    overdue = [f for f in files if f.get("overdue")]
    return _by_due_date([{k: f.get(k) for k in SUPERVISION_FIELDS} | {"own": f.get("partnership_id") == partnership_id}
                         for f in overdue])


def is_supervisor(partnership_id: str | None) -> bool:
    return partnership_id is not None and partnership_id == partnership_table().fallback


def file_timeline(file: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What happened to the file, oldest first, from the file itself (the partnership has no
    history route of its own): submitted, routed, questions, answers, visits, the decision."""
    application = file.get("application") or {}
    entries: list[dict[str, Any]] = []

    def add(at: Any, what: str, **details: Any) -> None:
        if at:
            entries.append({"at": str(at), "what": what, "details": details})

    add(application.get("submitted_at") or file.get("submitted_at"), "submitted")
    add(file.get("routed_at"), "routed", partnership_id=file.get("partnership_id"))
    for question in file.get("questions") or []:
        add(question.get("asked_at"), "question_asked")
    for answer in file.get("answers") or []:
        add(answer.get("answered_at"), "question_answered")
    for visit in file.get("site_visits") or []:
        add(visit.get("planned_at"), "site_visit_planned", date=visit.get("planned_for"))
        add(visit.get("reported_at"), "site_visit_reported", satisfactory=visit.get("satisfactory"))
    decision = file.get("decision") or {}
    add(decision.get("decided_at"), "decision_recorded", outcome=decision.get("outcome"))
    return sorted(entries, key=lambda e: e["at"])


def conversation(file: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Questions and answers in the order they were written. An answer names its question where
    the API ties it (question_id); else it simply follows in time."""
    items = [{"kind": "question", "at": str(q.get("asked_at")), **q} for q in file.get("questions") or []]
    items += [{"kind": "answer", "at": str(a.get("answered_at")), **a} for a in file.get("answers") or []]
    return sorted(items, key=lambda i: i["at"])


# ---------------------------------------------------------------------- a decision, before it is taken
def pinned(application: Mapping[str, Any] | None, name: str, partnership_id: str | None) -> Any:
    """A policy value as the application was judged by (pinned at submission), else today's."""
    values = ((application or {}).get("policy") or {}).get("values") or {}
    if name in values:
        return values[name]
    return getattr(policy_values(partnership_id), name).value


def add_years(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February: the period is never shorter than the years it lasts
        return date(start.year + years, 3, 1)


def validity(application: Mapping[str, Any], partnership_id: str | None, today: date,
             renewed: Mapping[str, Any] | None = None) -> tuple[date, date]:
    """(valid_from, valid_until) of the recognition an approval today grants. A renewal decided on
    or before the old recognition's last day starts the day after it; later, on the decision date.
    valid_until is the last valid day: valid_from + N years - 1 day (CONTRACT.md)."""
    start = today
    old_until = parse_date((renewed or {}).get("valid_until"))
    if renewed and renewed.get("status") in ("active", "scheduled") and old_until and today <= old_until:
        start = old_until + timedelta(days=1)
    years = int(pinned(application, "recognition_validity_years", partnership_id))
    return start, add_years(start, years) - timedelta(days=1)


def appeal_deadline(partnership_id: str | None, notice_sent_on: date) -> date:
    """The last day to appeal that a notice sent on ``notice_sent_on`` states (notification's rule:
    counted from receipt, moved off a weekend or holiday where policy says so)."""
    values = policy_values(partnership_id)
    received = notice_sent_on + timedelta(days=values.notice_receipt_offset_days.value)
    return term_end(received, values.appeal_window_days.value, values.appeal_window_day_kind.value,
                    moves_to_working_day=values.moves_to_working_day("appeal_window")).last_day


def reasons_of(text: str | None) -> list[str]:
    """One reason per line, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class DecisionPreview:
    outcome: str
    reasons: list[str]
    valid_from: date | None = None
    valid_until: date | None = None
    appeal_deadline: date | None = None
    renewal_continues: bool = False


def decision_preview(file: Mapping[str, Any], outcome: str, reasons: list[str], today: date,
                     renewed: Mapping[str, Any] | None = None) -> DecisionPreview:
    partnership_id = file.get("partnership_id")
    if outcome == "approved":
        start, until = validity(file.get("application") or {}, partnership_id, today, renewed)
        return DecisionPreview(outcome, reasons, valid_from=start, valid_until=until, renewal_continues=start != today)
    return DecisionPreview(outcome, reasons, appeal_deadline=appeal_deadline(partnership_id, today))


def same_decision(file: Mapping[str, Any], outcome: str | None, reasons: list[str]) -> bool:
    """Whether the file already carries this decision (the second request of a double click)."""
    decision = file.get("decision") or {}
    return bool(decision) and decision.get("outcome") == outcome and list(decision.get("reasons") or []) == reasons


def conditions_of(form: Mapping[str, str]) -> list[str]:
    """The ticked boxes of the decision form (one input per condition, named
    ``conditions_not_met.<code>``), in the set's order; a name outside the set is ignored."""
    return [code for code in CONDITION_CODES if form.get(f"conditions_not_met.{code}")]


def decision_problems(outcome: str | None, reasons: list[str],
                      conditions: Sequence[str] = ()) -> list[tuple[str, str]]:
    """What the form lacks before anything is sent: (field, code)."""
    if outcome not in ("approved", "refused"):
        return [("outcome", "required")]
    if outcome == "refused" and not reasons:
        return [("reasons", "required")]
    if outcome != "refused" and conditions:
        return [("conditions_not_met", "only_when_refused")]
    return []


# ---------------------------------------------------------------------- a measure, before it is imposed
@dataclass(frozen=True)
class MeasureForm:
    """A measure as the form gives it, with the API body it becomes."""

    type: str | None
    reason: str
    body: dict[str, Any]
    problems: list[tuple[str, str]] = field(default_factory=list)


def measure_form(form: Mapping[str, str], today: date) -> MeasureForm:
    def value(name: str) -> str:
        return (form.get(name) or "").strip()

    kind, reason = value("type") or None, value("reason")
    problems: list[tuple[str, str]] = []
    if kind not in MEASURE_TYPES:
        return MeasureForm(None, reason, {}, [("type", "required")])
    if not reason:
        problems.append(("reason", "required"))
    body: dict[str, Any] = {"type": kind, "reason": reason}

    def a_date(name: str, required: bool) -> None:
        raw = value(name)
        if not raw:
            if required:
                problems.append((name, "required"))
            return
        day = parse_date(raw)
        if day is None or len(raw) != 10:
            problems.append((name, "invalid_date"))
        elif day < today:
            problems.append((name, "in_the_past"))
        else:
            body[name] = day.isoformat()

    if kind == "guidance":
        if not value("plan"):
            problems.append(("plan", "required"))
        body["plan"] = value("plan")
        a_date("due_date", required=True)
    elif kind == "mentor_ban":
        if not value("mentor_index").isdigit():
            problems.append(("mentor_index", "required"))
        else:
            body["mentor_index"] = int(value("mentor_index"))
    elif kind == "revocation":
        a_date("effective_on", required=False)
    else:
        scope = value("scope")
        if scope not in ("establishment", "enterprise"):
            problems.append(("scope", "required"))
        body["scope"] = scope
        a_date("until", required=False)
    return MeasureForm(kind, reason, body, problems)


@dataclass(frozen=True)
class MeasureEffects:
    type: str
    ends: list[dict[str, Any]]  # recognitions it revokes: {recognition, on}
    reaches: list[dict[str, Any]]  # recognitions a mentor ban also applies to
    leaves_without_mentor: list[str]  # recognition ids left with no eligible mentor
    appealable: bool
    appeal_deadline: date | None
    blocks_new_until: date | None = None  # exclusion: no new recognition until (None: for good)
    mentor: dict[str, Any] | None = None


def _running(recognition: Mapping[str, Any]) -> bool:
    return recognition.get("status") in ("active", "scheduled")


def measure_effects(recognition: Mapping[str, Any], recognitions: Iterable[Mapping[str, Any]], measure: MeasureForm,
                    today: date) -> MeasureEffects:
    """Which recognitions the measure ends or reaches, and whether its notice opens an appeal.

    Only the recognitions this partnership granted are known here (GET /review/recognitions); an
    exclusion also stops other partnerships' recognitions of the enterprise where the API lets it.
    """
    kind = measure.type or "guidance"
    others = [r for r in recognitions if r.get("enterprise_number") == recognition.get("enterprise_number")]
    ends: list[dict[str, Any]] = []
    reaches: list[dict[str, Any]] = []
    without: list[str] = []
    mentor = None
    if kind == "revocation" and _running(recognition):
        ends = [{"recognition": dict(recognition), "on": parse_date(measure.body.get("effective_on")) or today}]
    elif kind == "exclusion":
        scope = measure.body.get("scope")
        hit = [r for r in others if _running(r) and (
            scope == "enterprise" or r.get("establishment_number") == recognition.get("establishment_number"))]
        ends = [{"recognition": dict(r), "on": today} for r in hit]
    elif kind == "mentor_ban":
        mentors = list(recognition.get("mentors") or [])
        index = measure.body.get("mentor_index")
        if isinstance(index, int) and 0 <= index < len(mentors):
            mentor = dict(mentors[index])
            reaches = [
                dict(r)
                for r in others
                if _running(r)
                and r.get("training_code") == recognition.get("training_code")
                and any(_same_person(mentor, m) for m in r.get("mentors") or [])
            ]
            for r in reaches:
                left = [m for m in r.get("mentors") or [] if not m.get("banned") and not _same_person(mentor, m)]
                if not left:
                    without.append(str(r.get("recognition_id")))
    appealable = kind in APPEALABLE_MEASURES
    until = parse_date(measure.body.get("until")) if kind == "exclusion" else None
    return MeasureEffects(
        type=kind,
        ends=ends,
        reaches=reaches,
        leaves_without_mentor=without,
        appealable=appealable,
        appeal_deadline=appeal_deadline(recognition.get("partnership_id"), today) if appealable else None,
        blocks_new_until=until,
        mentor=mentor,
    )


def _same_person(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """The same mentor in two recognitions, as far as the masked views tell (name and birth-date digits)."""
    keys = ("first_name", "last_name", "national_register_number")
    return all(a.get(k) == b.get(k) for k in keys)


# ---------------------------------------------------------------------- appeals
ADMISSIBILITY_REASONS = ("not_the_company", "deadline_passed", "not_motivated")


def lodged_in_time(appeal: Mapping[str, Any]) -> bool | None:
    """Whether the appeal came on or before the last day to appeal (Brussels days), if both are known."""
    deadline = parse_date(appeal.get("appeal_deadline"))
    try:
        lodged = local_date(datetime.fromisoformat(str(appeal.get("lodged_at")).replace("Z", "+00:00")))
    except ValueError:
        return None
    return None if deadline is None else lodged <= deadline


def admissibility_body(form: Mapping[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    choice = (form.get("admissible") or "").strip()
    reasons = [r for r in ADMISSIBILITY_REASONS if form.get(f"reason.{r}")] + reasons_of(form.get("reasons"))
    if choice not in ("yes", "no"):
        return {}, [("admissible", "required")]
    if choice == "no" and not reasons:
        return {}, [("reasons", "required")]
    return {"admissible": choice == "yes", "reasons": reasons}, []


def ruling_body(form: Mapping[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    outcome = (form.get("outcome") or "").strip()
    reasons = reasons_of(form.get("reasons"))
    problems = []
    if outcome not in ("upheld", "dismissed"):
        problems.append(("outcome", "required"))
    if not reasons:
        problems.append(("reasons", "required"))
    return ({"outcome": outcome, "reasons": reasons} if not problems else {}), problems


def same_admissibility(appeal: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
    """Whether the appeal already carries this admissibility (a double click's second request)."""
    found = appeal.get("admissibility") or {}
    return (
        bool(found)
        and found.get("admissible") == body.get("admissible")
        and list(found.get("reasons") or []) == list(body.get("reasons") or [])
    )


def same_ruling(appeal: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
    found = appeal.get("decision") or {}
    return (
        bool(found)
        and found.get("outcome") == body.get("outcome")
        and list(found.get("reasons") or []) == list(body.get("reasons") or [])
    )
