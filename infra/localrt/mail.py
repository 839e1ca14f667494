"""What SES "sent": read from moto's SES backend, in this process.

moto keeps every message sent with SES v1 send_email/send_raw_email/templated e-mail and SES v2
send_email (simple and raw content land in the same list) in ``sent_messages`` of the SES
backend. moto records no send time, so the runtime stamps each message with the runtime clock
the first time it sees it: right away when the list accepts the append (the backend's list is
wrapped), else at the first read.
"""

from __future__ import annotations

import email
import email.policy
import json
from email.utils import getaddresses
from typing import Callable

from .template import ACCOUNT_ID, REGION


class _StampingList(list):
    def __init__(self, items, stamp: Callable[[], str], stamps: dict[str, str]):
        super().__init__(items)
        self._stamp, self._stamps = stamp, stamps

    def append(self, message) -> None:  # moto appends each sent message
        self._stamps.setdefault(getattr(message, "id", str(id(message))), self._stamp())
        super().append(message)


class Mailbox:
    def __init__(self, stamp: Callable[[], str]):
        self._stamp = stamp
        self._stamps: dict[str, str] = {}
        self.install()

    def _backend(self):
        from moto.ses.models import ses_backends

        return ses_backends[ACCOUNT_ID][REGION]

    def install(self) -> None:
        backend = self._backend()
        if not isinstance(backend.sent_messages, _StampingList):
            backend.sent_messages = _StampingList(backend.sent_messages, self._stamp, self._stamps)

    def messages(self, include_raw: bool = False) -> list[dict]:
        self.install()  # the backend may have been reset
        out = []
        for message in list(self._backend().sent_messages):
            mid = getattr(message, "id", str(id(message)))
            sent_at = self._stamps.setdefault(mid, self._stamp())
            out.append(_describe(message, sent_at, include_raw))
        return out


def _describe(message, sent_at: str, include_raw: bool) -> dict:
    item = {"id": getattr(message, "id", None), "source": getattr(message, "source", None), "sent_at": sent_at}
    raw = getattr(message, "raw_data", None)
    if raw is not None:
        parsed = email.message_from_string(raw, policy=email.policy.default)
        headers = {h: [a for _, a in getaddresses(parsed.get_all(h, []))] for h in ("To", "Cc", "Bcc")}
        body_part = parsed.get_body(preferencelist=("plain", "html"))
        item.update({
            "to": headers["To"] or list(getattr(message, "destinations", []) or []),
            "cc": headers["Cc"],
            "bcc": headers["Bcc"],
            "destinations": list(getattr(message, "destinations", []) or []),
            "source": item["source"] or parsed.get("From"),
            "from": parsed.get("From"),
            "subject": parsed.get("Subject"),
            "body": body_part.get_content() if body_part is not None else "",
            "attachments": [{"filename": part.get_filename(), "content_type": part.get_content_type(),
                             "size": len(part.get_payload(decode=True) or b"")}
                            for part in parsed.iter_attachments()],
        })
        if include_raw:
            item["raw"] = raw
        return item
    destinations = getattr(message, "destinations", None) or {}
    if isinstance(destinations, list):  # templated bulk messages keep a list
        destinations = {"ToAddresses": [a for d in destinations for a in d.get("Destination", {}).get("ToAddresses", [])]}
    item.update({
        "to": list(destinations.get("ToAddresses", [])),
        "cc": list(destinations.get("CcAddresses", [])),
        "bcc": list(destinations.get("BccAddresses", [])),
        "subject": getattr(message, "subject", None),
        "body": getattr(message, "body", None),
        "attachments": [],
    })
    if getattr(message, "template", None) is not None:  # templated e-mail: no rendered body in moto
        item["template"] = message.template
        try:
            item["template_data"] = json.loads(message.template_data)
        except (TypeError, ValueError):
            item["template_data"] = getattr(message, "template_data", None)
    return item
