"""What the gateway and the local routes answer with: (status, headers, body), problems as RFC 9457."""

from __future__ import annotations

import json
from typing import Any

# Headers as a dict, or as pairs when a name repeats (Set-Cookie).
Response = tuple[int, dict[str, str] | list[tuple[str, str]], bytes]


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> tuple[int, dict[str, str], bytes]:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return status, {"Content-Type": "application/problem+json"}, json.dumps(body).encode()


def json_response(status: int, payload: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(payload).encode()
