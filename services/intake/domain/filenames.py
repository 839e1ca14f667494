"""Filenames a company gives its documents: what may be in one.

The name travels to the partnership's reviewer, into a Content-Disposition header (review's
document links) and onto a disk. So it is held to an allow-list (letters and digits of any
script, spaces and a few marks), never a path, a hidden file, a Windows device name or a trick of
invisible or direction-changing characters, and its extension must be the declared type's:
"report.pdf.exe" is not a PDF.
"""

from __future__ import annotations

import unicodedata

MAX_LENGTH = 255
EXTENSIONS = {"application/pdf": (".pdf",), "image/png": (".png",), "image/jpeg": (".jpg", ".jpeg")}
_MARKS = frozenset(" ._-()+,&'#@[]~=")
_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})


def _allowed(ch: str) -> bool:
    return ch in _MARKS or unicodedata.category(ch)[0] in "LNM"


def filename_problem(name: str) -> str | None:
    """Why ``name`` cannot be a document's filename, or None."""
    if not 0 < len(name) <= MAX_LENGTH:
        return f"A filename has 1 to {MAX_LENGTH} characters."
    if not all(_allowed(ch) for ch in name):
        return "A filename holds letters, digits, spaces and . _ - ( ) + , & ' # @ [ ] ~ = only."
    if name[0] in ". " or name[-1] in ". ":
        return "A filename does not start with a dot or a space, nor end with one."
    if name.split(".")[0].strip().lower() in _DEVICES:
        return "A filename cannot be a device name (CON, NUL, COM1, ...)."
    return None


def extension_problem(name: str, content_type: str) -> str | None:
    """Why the extension of ``name`` does not fit ``content_type``, or None."""
    wanted = EXTENSIONS.get(content_type, ())
    if not name.lower().endswith(wanted):
        return f"A {content_type} file is named *{' or *'.join(wanted)}."
    return None
