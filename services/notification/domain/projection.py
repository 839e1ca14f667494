"""What the service remembers from the bus to address later notices and reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

RecognitionStatus = Literal["active", "revoked", "renewed", "expired"]


@dataclass(frozen=True)
class RecognitionRecord:
    recognition_id: str
    enterprise_number: str
    establishment_number: str
    training_code: str
    partnership_id: str
    valid_from: date
    valid_until: date
    application_id: str | None = None
    status: RecognitionStatus = "active"
    reminders: tuple[str, ...] = ()  # schedule names, so that cancelling needs no policy lookup
    reference: str | None = None  # the reference of the act that granted it (reminders quote it)


@dataclass(frozen=True)
class NoticeRecord:
    """A notice as listed by GET /notices; the PDF itself is in the notices bucket at ``pdf_key``."""

    notice_id: str
    kind: str
    subject_id: str
    reference: str
    enterprise_number: str
    partnership_id: str | None
    application_id: str | None
    issued_at: str  # ISO instant; kept as issued so a retry re-renders the same date
    appeal_deadline: date | None
    pdf_key: str
    decided_on: date | None = None  # the act's date, for notices that name it (an appeal's)
    body: str | None = None  # the deciding body's name, as the notice printed it
    delivery: str | None = None  # what SES reported about its mail: delivered, bounced, rejected, complained
    delivery_at: str | None = None  # ISO instant of that report
    mailed: bool | None = None  # False: no e-mail address was known (None: listed before this was kept)

    def public(self) -> dict:
        body: dict[str, Any] = {
            "id": self.notice_id,
            "kind": self.kind,
            "subject_id": self.subject_id,
            "issued_at": self.issued_at,
            "reference": self.reference,
            "enterprise_number": self.enterprise_number,
        }
        # A mail that did not arrive gives no receipt to count the term from: the printed deadline
        # does not hold, so none is stated (appeal judges no lateness by it either).
        if self.appeal_deadline is not None and not self.undelivered:
            body["appeal_deadline"] = self.appeal_deadline.isoformat()
        body["delivery"] = self.delivery_view()
        return body

    @property
    def undelivered(self) -> bool:
        """SES reported that its mail did not reach the company (a bounce or a reject)."""
        return self.delivery in ("bounced", "rejected")

    def delivery_view(self) -> dict:
        """What became of its mail: SES's last report, else whether there was an address to send to."""
        if self.delivery is not None:
            return {"status": self.delivery, "at": self.delivery_at} if self.delivery_at else {"status": self.delivery}
        return {"status": "no_address" if self.mailed is False else "unknown"}


@dataclass(frozen=True)
class AppealRecord:
    appeal_id: str
    subject_id: str
    enterprise_number: str
    partnership_id: str | None = None
    lodged_on: str | None = None  # ISO date (Brussels) the appeal was lodged


def enterprise_partition(enterprise_number: str) -> str:
    return f"ENT#{enterprise_number}"


def partnership_partition(partnership_id: str) -> str:
    return f"PSHIP#{partnership_id}"
