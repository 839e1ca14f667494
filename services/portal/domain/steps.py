"""The application in steps: which fields each step holds, and how a step's form becomes the
JSON merge patch the API takes (CONTRACT.md, PATCH /applications/{id}).

Form fields are named by the API's own field paths (``company.address.postal_code``,
``mentors[0].first_name``), so an error the API returns lands next to the input of that name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

STEPS = ("key", "company", "contact", "mentors", "conditions", "documents", "review")
CONDITIONS = ("organisation_and_equipment", "financial_capacity", "no_disqualifying_convictions")
MAX_MENTORS = 20
_MENTOR_FIELD = re.compile(r"^mentors\[(\d+)\]\.(\w+)$")
DOCUMENT_TYPES = ("criminal_record_extract", "mandate", "derogation_proof", "rsz_certificate", "other")
CONTENT_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def step_of(field: str) -> str:
    """The step where the user fixes a field the API named."""
    head = field.split(".")[0].split("[")[0]
    if head in ("enterprise_number", "establishment_number", "training_code", "kind", "renews_recognition_id"):
        return "key"
    if head == "company":
        return "company"
    if head == "contact":
        return "contact"
    if head == "declarations":
        return "conditions"
    if head == "documents" or field.endswith((".criminal_record_extract", ".derogation_proof")):
        return "documents"
    if head == "mentors":
        return "mentors"
    return "review"


def next_step(step: str) -> str:
    return STEPS[min(STEPS.index(step) + 1, len(STEPS) - 1)]


def _text(form: Mapping[str, str], name: str) -> str | None:
    value = (form.get(name) or "").strip()
    return value or None


def _yes_no(form: Mapping[str, str], name: str) -> bool | None:
    value = form.get(name)
    return {"yes": True, "no": False}.get(value or "")


def key_body(form: Mapping[str, str], enterprise_number: str | None) -> dict[str, Any]:
    """The create body (POST /applications) of the first step."""
    body: dict[str, Any] = {
        "enterprise_number": enterprise_number or _text(form, "enterprise_number"),
        "establishment_number": _text(form, "establishment_number"),
        "training_code": _text(form, "training_code"),
        "kind": _text(form, "kind") or "new",
    }
    if body["kind"] == "renewal":
        body["renews_recognition_id"] = _text(form, "renews_recognition_id")
    return {k: v for k, v in body.items() if v is not None}


def key_patch(form: Mapping[str, str]) -> dict[str, Any]:
    kind = _text(form, "kind") or "new"
    return {
        "establishment_number": _text(form, "establishment_number"),
        "training_code": _text(form, "training_code"),
        "kind": kind,
        "renews_recognition_id": _text(form, "renews_recognition_id") if kind == "renewal" else None,
    }


def company_patch(form: Mapping[str, str]) -> dict[str, Any]:
    # None clears a field (merge patch), so emptying an input really empties it.
    return {"company": {
        "name": _text(form, "company.name"),
        "joint_committee": _text(form, "company.joint_committee"),
        "address": {
            "street": _text(form, "company.address.street"),
            "postal_code": _text(form, "company.address.postal_code"),
            "city": _text(form, "company.address.city"),
        },
    }}


def contact_patch(form: Mapping[str, str]) -> dict[str, Any]:
    return {"contact": {
        "name": _text(form, "contact.name"),
        "email": _text(form, "contact.email"),
        "phone": _text(form, "contact.phone"),
        # Dutch unless English is chosen: the procedure's language (an unknown value is the API's to refuse).
        "language": _text(form, "contact.language") or "nl",
    }}


def conditions_patch(form: Mapping[str, str]) -> dict[str, Any]:
    declarations: dict[str, Any] = {name: _yes_no(form, f"declarations.{name}") for name in CONDITIONS}
    # A checkbox: signed or not. Unsigned is an answer (false), which blocks submission with its reason.
    declarations["sworn_statement"] = form.get("declarations.sworn_statement") == "yes"
    return {"declarations": declarations}


@dataclass(frozen=True)
class MentorRows:
    """The mentors as the form holds them, and which row the user asked to remove or add."""

    rows: list[dict[str, Any]]
    problems: list[tuple[str, str]]  # (field, code) found before anything is sent


def mentor_rows(form: Mapping[str, str], saved_count: int) -> MentorRows:
    """The list of mentors of the mentors step (a merge patch replaces the whole list).

    The API masks national register numbers in what it returns, so the number of a mentor saved
    before must be typed again when the list is saved; a row left blank is refused here with
    ``retype_required`` rather than sent without its number (which would clear it).
    """
    indexes = sorted({int(m.group(1)) for name in form if (m := _MENTOR_FIELD.match(name))})
    remove = form.get("remove")
    rows: list[dict[str, Any]] = []
    problems: list[tuple[str, str]] = []
    for index in indexes[:MAX_MENTORS]:
        if remove is not None and remove == str(index):
            continue
        at = f"mentors[{index}]"
        row: dict[str, Any] = {
            "first_name": _text(form, f"{at}.first_name"),
            "last_name": _text(form, f"{at}.last_name"),
            "national_register_number": _text(form, f"{at}.national_register_number"),
            "experience_years": _int(form.get(f"{at}.experience_years")),
            "derogation": form.get(f"{at}.derogation") == "yes",
            "extract_issued_on": _text(form, f"{at}.extract_issued_on"),
        }
        experience = (form.get(f"{at}.experience_years") or "").strip()
        if not any(v for k, v in row.items() if k != "derogation"):
            continue  # an empty extra row
        new_at = f"mentors[{len(rows)}]"
        if experience and row["experience_years"] is None:
            problems.append((f"{new_at}.experience_years", "not_integer"))
        if row["national_register_number"] is None and index < saved_count:
            problems.append((f"{new_at}.national_register_number", "retype_required"))
        rows.append({k: v for k, v in row.items() if v is not None})
    return MentorRows(rows, problems)


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 3 else None


def document_problem(content_type: str, size_bytes: int) -> str | None:
    """Why the browser's file cannot be a document: the API's own limits, checked before asking."""
    if content_type not in CONTENT_TYPES:
        return "wrong_type"
    if size_bytes <= 0:
        return "empty"
    if size_bytes > MAX_DOCUMENT_BYTES:
        return "too_large"
    return None


def required_documents(application: Mapping[str, Any], filed_by_intermediary: bool,
                       required: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The upload slots of the documents step: one per mentor and per required type, then the optional ones.

    ``required`` is the policy's (type, per) list; returns [{type, mentor_index, required, documents}].
    """
    documents = list(application.get("documents") or [])
    mentors = list(application.get("mentors") or [])
    slots: list[dict[str, Any]] = []

    def slot(doc_type: str, mentor_index: int | None, needed: bool) -> None:
        held = [d for d in documents if d.get("type") == doc_type and d.get("mentor_index") == mentor_index]
        slots.append({"type": doc_type, "mentor_index": mentor_index, "required": needed, "documents": held})

    for index, mentor in enumerate(mentors):
        for doc_type, per in required:
            if per == "mentor":
                slot(doc_type, index, True)
        if mentor.get("derogation"):
            slot("derogation_proof", index, True)
    per_application = {
        t for t, per in required if per == "application" or (per == "intermediary_filing" and filed_by_intermediary)
    }
    for doc_type in ("mandate", "rsz_certificate", "other"):
        if doc_type == "mandate" and not filed_by_intermediary and doc_type not in per_application:
            continue
        slot(doc_type, None, doc_type in per_application)
    return slots
