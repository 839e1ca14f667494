"""What SES "sent", as the runtime's ``/_local/mail`` lists it.

moto keeps every message sent with SES v1 send_email / send_raw_email / templated e-mail and SES
v2 send_email (simple and raw content land in the same list, verified on moto 5.2.5). The moto
process hands them over with the real time each was sent; ``sent_at`` is the runtime clock at
that moment. Raw messages are parsed with the stdlib email package (to, subject, text body,
attachment names); ``raw`` itself is included only on request (it carries the PDFs).
"""

from __future__ import annotations

import email
import email.policy
import json
from email.utils import getaddresses
from typing import Any

from .clock import Clock, iso


def _once(addresses: list[str]) -> list[str]:
    """Each address once, in order: moto records a raw message's destinations once per header and call."""
    return list(dict.fromkeys(addresses))


def attachment(raw: str, n: int) -> tuple[str, str, bytes] | None:
    """The n-th attachment (filename, content type, bytes) of a raw message, None if it has fewer."""
    parsed = email.message_from_string(raw, policy=email.policy.default)
    parts = list(parsed.iter_attachments()) if raw else []
    if n >= len(parts):
        return None
    part = parts[n]
    content = part.get_payload(decode=True)
    data = content if isinstance(content, bytes) else b""
    return part.get_filename() or f"attachment-{n}", part.get_content_type(), data


def describe(message: dict, clock: Clock, include_raw: bool = False) -> dict:
    item = {"id": message.get("id"), "source": message.get("source"),
            "sent_at": iso(clock.at_real(message["sent_epoch"]))}
    raw = message.get("raw_data")
    if raw is not None:
        parsed = email.message_from_string(raw, policy=email.policy.default)
        headers = {h: _once([a for _, a in getaddresses(parsed.get_all(h, []))]) for h in ("To", "Cc", "Bcc")}
        body_part = parsed.get_body(preferencelist=("plain", "html"))
        destinations: Any = _once(list(message.get("destinations") or []))
        item.update({
            "to": headers["To"] or destinations,
            "cc": headers["Cc"],
            "bcc": headers["Bcc"],
            "destinations": destinations,
            "source": item["source"] or parsed.get("From"),
            "subject": parsed.get("Subject"),
            "body": body_part.get_content() if body_part is not None else "",
            "attachments": [{"filename": part.get_filename(), "content_type": part.get_content_type(),
                             "size": len(part.get_payload(decode=True) or b"")}
                            for part in parsed.iter_attachments()],
        })
        if include_raw:
            item["raw"] = raw
        return item
    destinations = message.get("destinations") or {}
    if isinstance(destinations, list):  # bulk templated messages keep one entry per destination
        destinations = {"ToAddresses": [a for d in destinations
                                        for a in (d.get("Destination") or {}).get("ToAddresses", [])]}
    item.update({
        "to": _once(list(destinations.get("ToAddresses", []))),
        "cc": _once(list(destinations.get("CcAddresses", []))),
        "bcc": _once(list(destinations.get("BccAddresses", []))),
        "subject": message.get("subject"),
        "body": message.get("body"),
        "attachments": [],
    })
    if message.get("template") is not None:  # templated e-mail: moto renders no body
        item["template"] = message["template"]
        try:
            item["template_data"] = json.loads(message.get("template_data") or "")
        except (TypeError, ValueError):
            item["template_data"] = message.get("template_data")
    return item
