"""What SES tells about a sent mail (its configuration set's event destination): delivered,
bounced or complained about. Only the facts a notice needs; pure parsing, no AWS types."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

MailOutcome = Literal["delivered", "bounced", "complained", "rejected"]
# A Reject: SES found a virus and sent nothing, so the company's server never saw the mail (not a bounce).
_OUTCOMES: dict[str, MailOutcome] = {"Delivery": "delivered", "Bounce": "bounced", "Complaint": "complained",
                                     "Reject": "rejected"}
NOTICE_TAG = "notice_id"  # the message tag a notice mail carries (SesMailer sends it)


@dataclass(frozen=True)
class MailEvent:
    outcome: MailOutcome
    notice_id: str
    at: datetime
    recipients: tuple[str, ...]
    # SES's bounceType: "Permanent" (the address will not work), "Transient" (published only once SES
    # stopped retrying, so the mail is not delivered either) or "Undetermined"; None for other outcomes.
    bounce_type: str | None = None

    @property
    def undelivered(self) -> bool:
        """The company did not get the mail: any bounce SES reports is final, and so is a reject."""
        return self.outcome in ("bounced", "rejected")


def mail_event(body: str) -> MailEvent | None:
    """The SES event in an SQS body (raw SNS delivery, or an SNS envelope around it); None for an
    event that is not about a notice mail or not an outcome (send, open...)."""
    data = json.loads(body)
    if "Message" in data and "eventType" not in data:
        data = json.loads(data["Message"])
    outcome = _OUTCOMES.get(str(data.get("eventType") or data.get("notificationType")))
    tags = (data.get("mail") or {}).get("tags") or {}
    notice_ids = tags.get(NOTICE_TAG) or []
    if outcome is None or not notice_ids:
        return None
    rejected = outcome == "rejected"
    detail = {} if rejected else data.get(
        {"delivered": "delivery", "bounced": "bounce", "complained": "complaint"}[outcome]) or {}
    stamp = detail.get("timestamp") or (data.get("mail") or {}).get("timestamp")
    at = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    if rejected:
        recipients = tuple((data.get("mail") or {}).get("destination") or ())
    elif outcome == "delivered":
        recipients = tuple(detail.get("recipients") or ())
    else:
        listed = detail.get("bouncedRecipients") or detail.get("complainedRecipients") or []
        recipients = tuple(r.get("emailAddress", "") for r in listed)
    return MailEvent(outcome=outcome, notice_id=str(notice_ids[0]), at=at, recipients=recipients,
                     bounce_type=str(detail.get("bounceType") or "Undetermined") if outcome == "bounced" else None)
