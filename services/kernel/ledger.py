"""The ledger of recognitions: what a key (enterprise, establishment, training) allows on a day.

Two services ask the same questions: review before it grants (a decision, an upheld appeal, a
restored recognition) and intake before it accepts a submission. Both answer them here, from the
same facts (review from its own records, intake from the events review publishes), so they can
never disagree on what a key allows. Pure: standard library only.

The rules (DOMAIN.md sections 1 and 5, CONTRACT.md "Readings"):
- a recognition is *live* from ``valid_from`` until ``valid_until``, or until the day before its
  revocation; one revoked on or before its first day is *void* (it was never valid a day);
- at most one recognition of a key is live on any day: a grant whose period meets another's live
  period is refused (``conflict``);
- no grant on a day an exclusion reaches the key (``excluded``). An exclusion reaches the
  recognitions of the partnership that imposed it; one imposed by the supervising partnership
  (the VPDL, which recognises, revokes and excludes for everyone, DOMAIN.md section 3) reaches all;
- a renewal continues one recognition of the same key that is neither revoked nor renewed
  already (``not_renewable``, ``renewed_revoked``, ``already_renewed``), and starts the day after
  it ends when granted on or before its last day, else on the day it is granted: no gap, no overlap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

Key = tuple[str, str, str]  # (enterprise number, establishment number, training code)
Status = Literal["active", "scheduled", "expired", "revoked"]
RefusalCode = Literal["excluded", "conflict", "not_renewable", "renewed_revoked", "already_renewed"]


# ---------------------------------------------------------------------- validity periods
def add_years(start: date, years: int) -> date:
    """The same day ``years`` later. A 29 February without a counterpart becomes 1 March, so that
    the day before it (the last valid day) is 28 February: the period is never shorter than N years."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 3, 1)


def valid_until(valid_from: date, years: int) -> date:
    """The last valid day of a recognition starting on ``valid_from`` and lasting ``years``."""
    return add_years(valid_from, years) - timedelta(days=1)


def renewal_start(decided_on: date, renewed_until: date | None) -> date:
    """The first day of a renewal: the day after the old recognition ends when decided on or
    before its last day (no gap, no overlap); otherwise the day of the decision."""
    if renewed_until is not None and decided_on <= renewed_until:
        return renewed_until + timedelta(days=1)
    return decided_on


# ---------------------------------------------------------------------- facts
@dataclass(frozen=True)
class Entry:
    """A recognition as the ledger sees it."""

    recognition_id: str
    key: Key
    partnership_id: str | None
    valid_from: date
    valid_until: date
    revoked_on: date | None = None
    renews: str | None = None  # the recognition this one renews

    def status_on(self, day: date) -> Status:
        if self.revoked_on is not None and day >= self.revoked_on:
            return "revoked"
        if day < self.valid_from:
            return "scheduled"
        if day > self.valid_until:
            return "expired"
        return "active"

    @property
    def last_live_day(self) -> date:
        """The last day it is (or was) valid; before ``valid_from`` when it is void."""
        if self.revoked_on is not None:
            return min(self.valid_until, self.revoked_on - timedelta(days=1))
        return self.valid_until

    @property
    def void(self) -> bool:
        return self.last_live_day < self.valid_from

    def meets(self, first: date, last: date) -> bool:
        """Whether it is live on any day from ``first`` to ``last``."""
        return not self.void and self.valid_from <= last and first <= self.last_live_day


@dataclass(frozen=True)
class Bar:
    """An exclusion: no recognition of its reach may be granted, or be valid, while it runs."""

    measure_id: str
    enterprise_number: str
    establishment_number: str | None  # None: the whole enterprise
    partnership_id: str | None  # who imposed it; None (unknown) reaches every partnership
    starts_on: date
    until: date | None = None  # the last day; None: for good
    lifted: bool = False  # annulled by an upheld appeal

    def reaches(self, key: Key, partnership_id: str | None, supervisor_id: str) -> bool:
        if self.lifted or self.enterprise_number != key[0]:
            return False
        if self.establishment_number is not None and self.establishment_number != key[1]:
            return False
        return self.partnership_id in (None, supervisor_id) or self.partnership_id == partnership_id

    def runs_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.until is None or day <= self.until)

    def first_day_within(self, first: date, last: date) -> date | None:
        """The first day from ``first`` to ``last`` that it covers, if any."""
        start = max(first, self.starts_on)
        if start > last or (self.until is not None and start > self.until):
            return None
        return start

    def describe(self) -> str:
        who = "enterprise" if self.establishment_number is None else "establishment"
        until = f"until {self.until.isoformat()}" if self.until else "for good"
        return f"The {who} is excluded {until} (measure {self.measure_id}); no recognition can be granted meanwhile."


def reaches(imposed_by: str | None, recognition_partnership: str | None, supervisor_id: str) -> bool:
    """Whether a measure of ``imposed_by`` may reach a recognition of ``recognition_partnership``:
    a partnership's measures reach what it is competent for; the supervisor's reach every one."""
    return imposed_by in (None, supervisor_id) or imposed_by == recognition_partnership


@dataclass(frozen=True)
class Refusal:
    code: RefusalCode
    message: str
    recognition_id: str | None = None
    measure_id: str | None = None


@dataclass(frozen=True)
class Grant:
    valid_from: date
    valid_until: date
    renews: str | None = None


@dataclass(frozen=True)
class Verdict:
    grant: Grant | None
    refusals: tuple[Refusal, ...] = ()

    @property
    def granted(self) -> bool:
        return self.grant is not None


# ---------------------------------------------------------------------- the ledger
@dataclass(frozen=True)
class Ledger:
    """The recognitions of one key (and the one a renewal names) and the enterprise's exclusions."""

    entries: tuple[Entry, ...] = ()
    bars: tuple[Bar, ...] = ()
    supervisor_id: str = "vpdl"
    _by_id: dict[str, Entry] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({e.recognition_id: e for e in self.entries})

    def entry(self, recognition_id: str) -> Entry | None:
        return self._by_id.get(recognition_id)

    def of_key(self, key: Key) -> list[Entry]:
        return [e for e in self.entries if e.key == key]

    def renewal_of(self, recognition_id: str, *, besides: str | None = None) -> Entry | None:
        """The recognition (not void) that renews ``recognition_id``, other than ``besides``."""
        return next((e for e in self.entries
                     if e.renews == recognition_id and not e.void and e.recognition_id != besides), None)

    def blocking_bar(self, key: Key, partnership_id: str | None, day: date) -> Bar | None:
        return next(
            (b for b in self.bars if b.reaches(key, partnership_id, self.supervisor_id) and b.runs_on(day)), None
        )

    # ------------------------------------------------------------------ questions
    def check_grant(
        self,
        key: Key,
        partnership_id: str | None,
        decided_on: date,
        years: int,
        *,
        renews: str | None = None,
        recognition_id: str | None = None,
    ) -> Verdict:
        """May a recognition of ``key`` be granted on ``decided_on`` (renewing ``renews``)? Every
        reason against it, or the period it gets. ``recognition_id`` names the grant itself when
        it may be in the ledger already (a retried grant), so that it never conflicts with itself."""
        refusals: list[Refusal] = []
        bar = self.blocking_bar(key, partnership_id, decided_on)
        if bar is not None:
            refusals.append(Refusal("excluded", bar.describe(), measure_id=bar.measure_id))
        continued_until = None
        if renews is not None:
            old = self.entry(renews)
            renewal_refusal = self._renewal_refusal(old, key, decided_on, besides=recognition_id)
            if renewal_refusal is not None:
                # What it would overlap says nothing more: it cannot continue that recognition.
                return Verdict(None, (*refusals, renewal_refusal))
            if old is not None and old.status_on(decided_on) in ("active", "scheduled"):
                continued_until = old.valid_until
        start = renewal_start(decided_on, continued_until)
        period = Grant(start, valid_until(start, years), renews)
        if bar is None:
            # An exclusion imposed after the day of the grant but within its period (an upheld
            # appeal handled after the exclusion came) would find a recognition that it never revoked.
            later = self._covering_bar(key, partnership_id, period.valid_from, period.valid_until)
            if later is not None:
                refusals.append(Refusal("excluded", later.describe(), measure_id=later.measure_id))
        refusals.extend(self._overlaps(key, period.valid_from, period.valid_until, besides=recognition_id))
        return Verdict(None if refusals else period, tuple(refusals))

    def _covering_bar(self, key: Key, partnership_id: str | None, first: date, last: date,
                      besides: str | None = None) -> Bar | None:
        """The exclusion reaching the key that covers the earliest day from ``first`` to ``last``."""
        covering = [(day, b) for b in self.bars
                    if b.reaches(key, partnership_id, self.supervisor_id) and b.measure_id != besides
                    and (day := b.first_day_within(first, last)) is not None]
        return min(covering, key=lambda c: c[0])[1] if covering else None

    def check_restore(self, entry: Entry, *, besides: str | None = None) -> tuple[list[Refusal], Bar | None]:
        """Can a revoked recognition be valid again (its revocation annulled)? Refusals when another
        recognition of the key took its place; else the exclusion, if any, that still covers part
        of its period (its revocation then stands from that exclusion's first day on)."""
        assert entry.revoked_on is not None
        first, last = max(entry.valid_from, entry.revoked_on), entry.valid_until
        others = self._overlaps(entry.key, entry.valid_from, last, besides=entry.recognition_id)
        if entry.renews is not None and self.renewal_of(entry.renews, besides=entry.recognition_id) is not None:
            others.append(Refusal("already_renewed", f"Recognition {entry.renews} has been renewed by another.",
                                  recognition_id=entry.renews))
        if others:
            return others, None
        return [], self._covering_bar(entry.key, entry.partnership_id, first, last, besides)

    def _renewal_refusal(self, old: Entry | None, key: Key, day: date, *, besides: str | None) -> Refusal | None:
        if old is None or old.key != key:
            return Refusal(
                "not_renewable", "No recognition with this id for this enterprise, establishment and training."
            )
        if old.status_on(day) == "revoked":
            return Refusal(
                "renewed_revoked",
                f"Recognition {old.recognition_id} has been revoked; it cannot be renewed.",
                recognition_id=old.recognition_id,
            )
        other = self.renewal_of(old.recognition_id, besides=besides)
        if other is not None:
            return Refusal("already_renewed",
                           f"Recognition {old.recognition_id} is already renewed by {other.recognition_id}.",
                           recognition_id=other.recognition_id)
        return None

    def _overlaps(self, key: Key, first: date, last: date, *, besides: str | None) -> list[Refusal]:
        return [
            Refusal("conflict",
                    f"Recognition {e.recognition_id} already covers this establishment and training "
                    f"until {e.last_live_day.isoformat()}; apply for a renewal instead.",
                    recognition_id=e.recognition_id)
            for e in self.of_key(key) if e.recognition_id != besides and e.meets(first, last)
        ]
