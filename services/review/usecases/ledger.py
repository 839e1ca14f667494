"""Review's side of the one ledger (kernel.ledger): its recognitions and exclusions as the
ledger's facts. Every path that grants or restores asks ``ledger_for`` first."""

from __future__ import annotations

from kernel.errors import Conflict
from kernel.ledger import Entry, Key, Ledger, Verdict
from review.domain.recognition import Recognition
from review.usecases.ports import Ports


def entry(recognition: Recognition) -> Entry:
    return Entry(
        recognition_id=recognition.recognition_id,
        key=(recognition.enterprise_number, recognition.establishment_number, recognition.training_code),
        partnership_id=recognition.partnership_id,
        valid_from=recognition.valid_from,
        valid_until=recognition.valid_until,
        revoked_on=recognition.revoked_on,
        renews=recognition.renews_recognition_id,
    )


def ledger_for(ports: Ports, key: Key) -> Ledger:
    """The key's recognitions and the enterprise's exclusions, read now (consistently)."""
    recognitions = ports.repo.recognitions_for_key(*key)
    return Ledger(
        entries=tuple(entry(r) for r in recognitions),
        bars=tuple(e.bar() for e in ports.repo.exclusions(key[0])),
        supervisor_id=ports.supervisor_id,
    )


def refused(verdict: Verdict) -> Conflict:
    """The verdict's refusals as the one 409 the partnership gets."""
    return Conflict(" ".join(r.message for r in verdict.refusals))
