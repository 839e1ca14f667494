"""Uploaded documents: what may be uploaded, and whether what arrived is what was declared.

A presigned URL proves nothing about the bytes that come through it, so at submission every
object is read back: it must exist, have the declared size and start like the declared type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from kernel.errors import DomainError

# The contract's limit (CONTRACT.md: "PDF, PNG or JPEG, at most 10 MB"), not a policy value.
MAX_BYTES = 10 * 1024 * 1024
UPLOAD_URL_VALID_FOR = timedelta(minutes=15)
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
SNIFF_BYTES = 8


class PayloadTooLarge(DomainError):
    status, title, type_suffix = 413, "Payload Too Large", "payload-too-large"


def check_size(size_bytes: int) -> None:
    """Raises PayloadTooLarge above the limit."""
    if size_bytes > MAX_BYTES:
        raise PayloadTooLarge(f"A document is at most {MAX_BYTES} bytes (10 MB).")


@dataclass(frozen=True)
class StoredObject:
    """What the storage holds under a document's key (read back in full to hash it)."""

    size_bytes: int
    first_bytes: bytes
    sha256: str
    version_id: str | None = None


def object_problem(content_type: str, declared_size: int, stored: StoredObject | None) -> tuple[str, str] | None:
    """(code, message) when the stored object does not match the declaration, else None."""
    if stored is None:
        return "not_uploaded", "Nothing was uploaded to this document's upload URL."
    if stored.size_bytes != declared_size:
        return "size_mismatch", f"Declared {declared_size} bytes, uploaded {stored.size_bytes}."
    if not stored.first_bytes.startswith(SIGNATURES.get(content_type, (b"\x00invalid",))):
        return "content_mismatch", f"The uploaded bytes are not a {content_type} file."
    return None
