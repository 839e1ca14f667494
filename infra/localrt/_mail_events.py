"""SES's event publishing, which moto lacks. Loaded by _moto.py, in the moto process.

On AWS, a mail sent through a configuration set with an SNS event destination produces, seconds
later, one event per outcome on that topic: the documented SES event JSON (``eventType``, ``mail``
with the message's tags, and ``delivery``/``bounce``/``complaint``). moto stores the destination
and publishes nothing. Here a send that moto accepted publishes those events at once:

- to an ordinary address: ``Delivery``;
- to SES's mailbox simulator (the same addresses as on AWS, a ``+label`` allowed):
  ``bounce@simulator.amazonses.com`` a permanent ``Bounce``; ``suppressionlist@`` a permanent
  bounce of the suppressed kind; ``complaint@`` a ``Delivery`` then a ``Complaint``;
  ``success@`` and ``ooto@`` a ``Delivery``.

Only the event types the destination matches are published. The runtime tells this process the
template's destinations (``set_destinations``) and the offset of its clock (``set_offset``), so the
events' timestamps are business time, as every other instant the functions see.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import UTC, datetime
from email import message_from_string
from email.utils import getaddresses, parseaddr
from typing import Any

SIMULATOR = "simulator.amazonses.com"
ACCOUNT, REGION = "123456789012", "eu-west-1"

_lock = threading.Lock()
_destinations: dict[str, list[dict]] = {}  # configuration set -> [{"topic_arn", "event_types"}]
_offset = [0.0]


def set_destinations(destinations: list[dict]) -> None:
    """``[{"configuration_set", "topic_arn", "event_types": ["delivery", ...]}]`` from the template."""
    with _lock:
        _destinations.clear()
        for d in destinations:
            _destinations.setdefault(d["configuration_set"], []).append(
                {"topic_arn": d["topic_arn"], "event_types": {t.lower() for t in d["event_types"]}})


def set_offset(offset: float) -> None:
    with _lock:
        _offset[0] = float(offset)


def _stamp(extra_ms: int = 0) -> str:
    instant = datetime.fromtimestamp(time.time() + _offset[0] + extra_ms / 1000, UTC)
    return instant.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def outcomes(recipient: str) -> list[str]:
    """What SES reports for one recipient: the mailbox simulator's scripted answers, else a delivery."""
    local, _, domain = recipient.lower().rpartition("@")
    if domain != SIMULATOR:
        return ["Delivery"]
    box = local.split("+", 1)[0]
    return {"bounce": ["Bounce"], "suppressionlist": ["Bounce:suppressed"],
            "complaint": ["Delivery", "Complaint"]}.get(box, ["Delivery"])


def event(kind: str, *, message_id: str, source: str, recipient: str, destination: list[str],
          configuration_set: str, tags: dict[str, list[str]], subject: str | None) -> dict[str, Any]:
    """One SES event as the SNS destination publishes it (SES Developer Guide, "Contents of event data")."""
    sent_at = _stamp()
    mail = {
        "timestamp": sent_at, "source": source, "sendingAccountId": ACCOUNT, "messageId": message_id,
        "sourceArn": f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/{source.rsplit('@', 1)[-1]}",
        "destination": destination, "headersTruncated": False,
        "commonHeaders": {"from": [source], "to": destination, "messageId": message_id, "subject": subject or ""},
        "tags": {"ses:configuration-set": [configuration_set], "ses:source-ip": ["127.0.0.1"],
                 "ses:from-domain": [source.rsplit("@", 1)[-1]], **tags},
    }
    base = "Bounce" if kind.startswith("Bounce") else kind
    body: dict[str, Any] = {"eventType": base, "mail": mail}
    if kind == "Delivery":
        body["delivery"] = {"timestamp": _stamp(800), "processingTimeMillis": 800, "recipients": [recipient],
                            "smtpResponse": "250 2.6.0 Message received", "reportingMTA": "localrt.local"}
    elif base == "Bounce":
        suppressed = kind == "Bounce:suppressed"
        body["bounce"] = {
            "bounceType": "Permanent", "bounceSubType": "OnAccountSuppressionList" if suppressed else "General",
            "bouncedRecipients": [{"emailAddress": recipient, "action": "failed", "status": "5.1.1",
                                   "diagnosticCode": "smtp; 550 5.1.1 user unknown"}],
            "timestamp": _stamp(900), "feedbackId": str(uuid.uuid4()), "reportingMTA": "dsn; localrt.local"}
    elif kind == "Complaint":
        body["complaint"] = {"complainedRecipients": [{"emailAddress": recipient}], "timestamp": _stamp(1500),
                             "feedbackId": str(uuid.uuid4()), "complaintFeedbackType": "abuse",
                             "arrivalDate": _stamp(1400)}
    return body


def _tags(response: Any) -> dict[str, list[str]]:
    """The send's message tags: moto's parsed parameters (a list of Name/Value), or the query
    string's Tags.member.N.Name / .Value."""
    parsed = response._get_param("Tags")
    if isinstance(parsed, list):
        return {str(t.get("Name")): [str(t.get("Value") or "")] for t in parsed if isinstance(t, dict)}
    found: dict[str, list[str]] = {}
    n = 1
    while (name := response._get_param(f"Tags.member.{n}.Name")) is not None:
        found[name] = [response._get_param(f"Tags.member.{n}.Value") or ""]
        n += 1
    return found


def publish_for(response: Any, message_id: str, source: str, recipients: list[str], subject: str | None) -> None:
    """Publish what SES would for a mail moto accepted (nothing without a destination for its set)."""
    from moto.sns.models import sns_backends

    configuration_set = response._get_param("ConfigurationSetName")
    with _lock:
        targets = list(_destinations.get(configuration_set or "", ()))
    if not targets:
        return
    tags = _tags(response)
    sns = sns_backends[ACCOUNT][REGION]
    for recipient in recipients:
        for kind in outcomes(recipient):
            body = event(kind, message_id=message_id, source=source, recipient=recipient, destination=recipients,
                         configuration_set=configuration_set, tags=tags, subject=subject)
            for target in targets:
                if body["eventType"].lower() in target["event_types"]:
                    sns.publish(json.dumps(body), arn=target["topic_arn"])


def install() -> None:
    """Wrap moto's SES v1 sends (raw and simple) so that an accepted send publishes its events."""
    from moto.ses.responses import EmailResponse

    send_raw, send_simple = EmailResponse.send_raw_email, EmailResponse.send_email

    def sent(self: Any, result: Any) -> Any:
        """The message this call stored (by its id: the server is threaded, sends may interleave)."""
        message_id = result.result["MessageId"]
        return next(m for m in reversed(self.backend.sent_messages) if m.id == message_id)

    def send_raw_email(self: Any) -> Any:
        result = send_raw(self)
        message = sent(self, result)
        parsed = message_from_string(message.raw_data)
        recipients = list(dict.fromkeys(a for _, a in getaddresses(list(message.destinations)) if a))
        source = parseaddr(message.source or parsed.get("From") or "")[1]
        publish_for(self, message.id, source, recipients, parsed.get("Subject"))
        return result

    def send_email(self: Any) -> Any:
        result = send_simple(self)
        message = sent(self, result)
        destinations = message.destinations or {}
        recipients = [a for key in ("ToAddresses", "CcAddresses", "BccAddresses") for a in destinations.get(key, [])]
        publish_for(self, message.id, parseaddr(message.source)[1], list(dict.fromkeys(recipients)), message.subject)
        return result

    EmailResponse.send_raw_email = send_raw_email  # type: ignore[method-assign]
    EmailResponse.send_email = send_email  # type: ignore[method-assign]
