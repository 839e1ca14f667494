"""The request gate: what every API function refuses before a route runs (issue 19, CONTRACT.md
"Conventions"). kernel.http's resolver calls it on every event, so no service can forget it.

Each check answers a problem the client can act on, never a 500 from deep inside a parser or a
store: the media type (415), the charset (415), a content coding (415), the size (413), a body
that is not a plain JSON object or is nested, long or wide past what any route takes (400), a
path segment no identifier of ours can be (404, before any lookup), a malformed Idempotency-Key
(400). A malformed X-Correlation-Id is not the client's problem to fix: it is replaced by the
request id and logged, so an event can always be built from it.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass
from typing import Any

# Lambda's synchronous invocation payload limit: on AWS a larger request never reaches the code.
MAX_BODY_BYTES = 6 * 1024 * 1024
# No route takes more than three levels (an application's mentors); the rest is room to spare.
MAX_DEPTH = 16
# The longest legitimate number is a byte count; Python refuses int literals over 4,300 digits.
MAX_NUMBER_CHARS = 32
# Members of one object, items of one array: the widest route takes 50 reasons.
MAX_WIDTH = 1000
# Identifiers are UUIDs; every literal segment of our paths is a short word.
MAX_SEGMENT = 100
_SEGMENT = re.compile(r"[A-Za-z0-9._~:-]+")
MAX_QUERY_VALUE = 1000
# The envelope's own limit (kernel.envelope.Envelope.correlation_id) and a safe log charset.
MAX_CORRELATION_ID = 200
_CORRELATION_ID = re.compile(rf"[A-Za-z0-9._:/+=@-]{{1,{MAX_CORRELATION_ID}}}")
_SURROGATE = re.compile("[\ud800-\udfff]")

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"
# PATCH takes a JSON merge patch (RFC 7396): its own media type, or plain JSON as clients send it.
MEDIA_TYPES = {"PATCH": (JSON, MERGE_PATCH)}
DEFAULT_MEDIA_TYPES = (JSON,)


@dataclass(frozen=True)
class Refusal:
    status: int
    title: str
    detail: str
    type_suffix: str
    errors: tuple[dict[str, str], ...] = ()


class _Refused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.detail)
        self.refusal = refusal


def _bad_body(detail: str) -> _Refused:
    return _Refused(Refusal(400, "Bad Request", detail, "malformed-body"))


def _unsupported(detail: str) -> _Refused:
    return _Refused(Refusal(415, "Unsupported Media Type", detail, "unsupported-media-type"))


def header(event: dict[str, Any], name: str) -> str | None:
    """A request header, whatever its case (API Gateway passes them lower-cased)."""
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return value
    return None


def check(event: dict[str, Any]) -> Refusal | None:
    """Why the request is refused before any route runs, or None."""
    try:
        _check_path(event)
        _check_query(event)
        _check_idempotency_key(event)
        _check_body(event)
    except _Refused as refused:
        return refused.refusal
    return None


def valid_correlation_id(value: str | None) -> bool:
    return bool(value) and _CORRELATION_ID.fullmatch(value or "") is not None


def _method(event: dict[str, Any]) -> str:
    http = (event.get("requestContext") or {}).get("http") or {}
    return str(http.get("method") or event.get("httpMethod") or "GET").upper()


def _check_path(event: dict[str, Any]) -> None:
    path = event.get("rawPath") or ""
    for segment in path.split("/"):
        if segment and (len(segment) > MAX_SEGMENT or not _SEGMENT.fullmatch(segment)):
            raise _Refused(Refusal(404, "Not Found", "No such resource.", "not-found"))


def _check_query(event: dict[str, Any]) -> None:
    """Query values obey the text rules of bodies (kernel.fields) and a length no filter needs."""
    from kernel.fields import has_forbidden_characters

    for name, value in (event.get("queryStringParameters") or {}).items():
        if len(name) > MAX_SEGMENT or len(value) > MAX_QUERY_VALUE or has_forbidden_characters(name + value):
            message = f"at most {MAX_QUERY_VALUE} characters, no control or invisible characters"
            raise _Refused(Refusal(400, "Bad Request", "A query parameter is malformed.", "bad-parameter",
                                   ({"field": name[:MAX_SEGMENT], "code": "invalid_format", "message": message},)))


def _check_idempotency_key(event: dict[str, Any]) -> None:
    from kernel.idempotency_keys import MAX_KEY_LENGTH, valid_key

    key = header(event, "idempotency-key")
    if key is not None and key != "" and not valid_key(key):
        message = f"1 to {MAX_KEY_LENGTH} visible ASCII characters"
        raise _Refused(Refusal(400, "Bad Request", f"Idempotency-Key must be {message}.", "bad-parameter",
                               ({"field": "idempotency-key", "code": "invalid_format", "message": message},)))


def _check_body(event: dict[str, Any]) -> None:
    body = event.get("body")
    if body is None or body == "":
        return
    _check_media_type(event)
    coding = (header(event, "content-encoding") or "").strip().lower()
    if coding not in ("", "identity"):
        raise _unsupported("Send the body without a Content-Encoding (no gzip, br or deflate).")
    text = _text(body, bool(event.get("isBase64Encoded")))
    _check_json(text)


def _check_media_type(event: dict[str, Any]) -> None:
    accepted = MEDIA_TYPES.get(_method(event), DEFAULT_MEDIA_TYPES)
    raw = header(event, "content-type")
    if raw is None:
        return  # no declared type: taken as JSON, as the body must then parse as one
    media_type, *parameters = [part.strip() for part in raw.split(";")]
    if media_type.lower() not in accepted:
        raise _unsupported(f"Send the body as {' or '.join(accepted)}.")
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise _unsupported("Send the body in UTF-8 (charset=utf-8, or no charset).")


def _text(body: str, is_base64: bool) -> str:
    if not is_base64:
        # API Gateway hands a text body over as str; Lambda counts its UTF-8 bytes.
        if len(body) > MAX_BODY_BYTES or (
                len(body) * 4 > MAX_BODY_BYTES and len(body.encode("utf-8", "surrogatepass")) > MAX_BODY_BYTES):
            raise _too_large()
        return body
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise _bad_body("The body is not valid JSON.") from None
    if len(raw) > MAX_BODY_BYTES:
        raise _too_large()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad_body("The body is not valid JSON: it is not UTF-8.") from None


def _too_large() -> _Refused:
    return _Refused(Refusal(413, "Content Too Large", f"The body is larger than {MAX_BODY_BYTES // (1024 * 1024)} MB.",
                            "payload-too-large"))


def _number(text: str) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        raise _bad_body(f"A number in the body is longer than {MAX_NUMBER_CHARS} characters.")
    value = float(text) if any(c in text for c in ".eE") else int(text)
    if isinstance(value, float) and not math.isfinite(value):
        raise _bad_body("A number in the body is out of range.")
    return value


def _constant(name: str) -> Any:
    raise _bad_body(f"{name} is not JSON.")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len(pairs) > MAX_WIDTH:
        raise _bad_body(f"An object in the body has more than {MAX_WIDTH} members.")
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _bad_body("An object in the body names a member twice.")
    return result


def _check_json(text: str) -> None:
    try:
        value = json.loads(text, object_pairs_hook=_object, parse_int=_number, parse_float=_number,
                           parse_constant=_constant)
    except RecursionError:
        raise _bad_body(f"The body is nested deeper than {MAX_DEPTH} levels.") from None
    except ValueError:  # the hooks' own refusals are not ValueErrors: they pass through as they are
        raise _bad_body("The body is not valid JSON.") from None
    if not isinstance(value, dict):
        raise _bad_body("The body must be a JSON object.")
    _check_shape(value)


def _check_shape(value: dict[str, Any]) -> None:
    """Depth, width and text that cannot be encoded (a lone surrogate escape such as \\ud800)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _bad_body(f"The body is nested deeper than {MAX_DEPTH} levels.")
        if isinstance(item, dict):
            for key, member in item.items():
                if _SURROGATE.search(key):
                    raise _bad_body("The body holds text that is not Unicode (a lone surrogate).")
                stack.append((member, depth + 1))
        elif isinstance(item, list):
            if len(item) > MAX_WIDTH:
                raise _bad_body(f"An array in the body has more than {MAX_WIDTH} items.")
            stack.extend((member, depth + 1) for member in item)
        elif isinstance(item, str) and _SURROGATE.search(item):
            raise _bad_body("The body holds text that is not Unicode (a lone surrogate).")
