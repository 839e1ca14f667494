"""Request forms and what a page needs to show them again: values, errors next to their fields,
the steps of an application, the upload slots. No HTTP and no AWS here beyond the JSON replies
that portal.js reads."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote as _quote

from aws_lambda_powertools.event_handler import Response

from portal.domain import dates, steps
from portal.domain.reference_data import search_trainings, training, trainings
from portal.domain.session import Session, same_secret
from portal.domain.texts import text
from portal.handlers.web import Request, security_headers
from portal.usecases.ports import ApiProblem

_INDEXED = re.compile(r"\[(\d+)\]")


def quote(value: str) -> str:
    return _quote(value, safe="")


def new_key() -> str:
    return str(uuid.uuid4())


def key_of(form: Mapping[str, str]) -> str:
    """The Idempotency-Key the form was rendered with (a new one if a client sent none)."""
    key = (form.get("idempotency_key") or "").strip()
    return key[:100] if key else new_key()


def optional_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def csrf_header_ok(req: Request, session: Session) -> bool:
    return same_secret(req.headers.get("x-csrf-token"), session.csrf_token)


def json_response(status: int, body: Any) -> Response:
    headers = security_headers(None)
    return Response(status_code=status, content_type="application/json", body=json.dumps(body), headers=headers)


def upload_error(lang: str, status: int, codes: list[Any]) -> str:
    if status == 413 or "too_large" in codes:
        return text(lang, "documents.too_large")
    if "wrong_type" in codes or "not_allowed" in codes:
        return text(lang, "documents.wrong_type")
    if "empty" in codes or "too_small" in codes:
        return text(lang, "documents.empty")
    return text(lang, "documents.failed")


# ---------------------------------------------------------------------- errors
def errors_by_field(problem: ApiProblem | None) -> dict[str, list[dict[str, str]]]:
    return problem.by_field() if problem else {}


def _local_problem(problems: list[tuple[str, str]]) -> ApiProblem:
    return ApiProblem(422, {"errors": [{"field": f, "code": c, "message": c} for f, c in problems]})


# ---------------------------------------------------------------------- the steps
def flatten(application: Mapping[str, Any] | None) -> dict[str, str]:
    """The application as form values, named by the API's field paths."""
    if not application:
        return {}
    values: dict[str, str] = {}

    def put(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                put(f"{prefix}.{k}" if prefix else k, v)
        elif isinstance(value, bool):
            values[prefix] = "yes" if value else "no"
        elif value is not None:
            values[prefix] = str(value)

    for name in ("enterprise_number", "establishment_number", "training_code", "kind", "renews_recognition_id",
                 "company", "contact", "declarations"):
        put(name, application.get(name))
    for i, mentor in enumerate(application.get("mentors") or []):
        for k, v in mentor.items():
            if k == "national_register_number":
                values[f"mentors[{i}].saved_number"] = str(v or "")
                continue
            put(f"mentors[{i}].{k}", v)
    return values


def training_choice(q: str | None, selected: str | None) -> dict[str, Any]:
    found = search_trainings(q) if q else search_trainings(None)
    chosen = training(selected) if selected else None
    if chosen is not None and chosen not in found:
        found = [chosen, *found]
    return {"trainings": found, "q": q or "", "selected": selected or ""}


def all_trainings() -> list[Any]:
    return sorted(trainings(), key=lambda t: t.name)


def step_context(application: Mapping[str, Any] | None, step: str, *, values: Mapping[str, str] | None = None,
                 problem: ApiProblem | None = None, q: str | None = None, msg: str | None = None,
                 submitted: bool = False) -> dict[str, Any]:
    shown = dict(flatten(application))
    if values is not None:
        shown.update({k: v for k, v in values.items() if k not in ("csrf_token", "idempotency_key")})
    errors = errors_by_field(problem)
    mentor_count = len((application or {}).get("mentors") or [])
    context: dict[str, Any] = {
        "application": application, "step": step, "steps": steps.STEPS, "values": shown, "errors": errors,
        "error_list": [(field, e) for field, items in errors.items() for e in items], "msg": msg,
        "submitted": submitted, "step_of": steps.step_of, "mentor_rows": _mentor_indexes(shown, mentor_count),
        "saved_mentors": mentor_count, "problem_detail": problem.detail if problem and not problem.errors else "",
    }
    if step == "key":
        context.update(training_choice(q, shown.get("training_code")))
    if step == "documents" and application:
        context["slots"] = _slots(application)
    return context


def _mentor_indexes(values: Mapping[str, str], saved: int) -> list[int]:
    """Rows of the mentors form: the saved or typed ones, plus one empty row to add a mentor."""
    typed = {int(m.group(1)) for name in values if name.startswith("mentors[") and (m := _INDEXED.search(name))}
    count = max([saved - 1, *typed], default=-1) + 1
    return list(range(min(count + 1, steps.MAX_MENTORS)))


def _slots(application: Mapping[str, Any]) -> list[dict[str, Any]]:
    filed_by = (application.get("filed_by") or {}).get("role")
    joint_committee = (application.get("company") or {}).get("joint_committee")
    partnership = application.get("partnership_id") or dates.partnership_for_joint_committee(joint_committee)
    rules = dates.required_document_rules(partnership)
    return steps.required_documents(application, filed_by == "intermediary", rules)


def patch_for(
    step: str, form: Mapping[str, str], application: Mapping[str, Any]
) -> tuple[dict[str, Any], ApiProblem | None]:
    """The merge patch of a step's form, or the problems found before sending anything."""
    if step == "key":
        return steps.key_patch(form), None
    if step == "company":
        return steps.company_patch(form), None
    if step == "contact":
        return steps.contact_patch(form), None
    if step == "conditions":
        return steps.conditions_patch(form), None
    if step == "mentors":
        rows = steps.mentor_rows(form, len(application.get("mentors") or []))
        if rows.problems:
            return {}, _local_problem(rows.problems)
        return {"mentors": rows.rows}, None
    raise ValueError(f"step {step} has no form")


# ---------------------------------------------------------------------- other forms
def support_body(form: Mapping[str, str], enterprise_number: str | None) -> dict[str, Any]:
    def value(name: str) -> str | None:
        return (form.get(name) or "").strip() or None

    body: dict[str, Any] = {
        "enterprise_number": enterprise_number,
        "topic": value("topic"),
        "message": value("message"),
        "contact": {
            k: v
            for k, v in {
                "name": value("contact.name"),
                "email": value("contact.email"),
                "phone": value("contact.phone"),
            }.items()
            if v
        },
    }
    if value("joint_committee"):
        body["joint_committee"] = value("joint_committee")
    return {k: v for k, v in body.items() if v is not None}


def register_filters(query: Mapping[str, str]) -> dict[str, str | None]:
    return {
        name: (query.get(name) or "").strip() or None for name in ("training_code", "postal_code", "enterprise_number")
    }


def verify_values(query: Mapping[str, str]) -> dict[str, Any]:
    return {name: (query.get(name) or "").strip() for name in
            ("enterprise_number", "establishment_number", "training_code", "on")}


def verify_missing(values: Mapping[str, str]) -> dict[str, list[dict[str, str]]]:
    return {name: [{"field": name, "code": "required", "message": "required"}]
            for name in ("enterprise_number", "establishment_number", "training_code") if not values.get(name)}


def notice_for(found: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The notice that carries the appeal deadline of a decision (the first with one)."""
    return next((n for n in found if n.get("appeal_deadline")), found[0] if found else None)


def field_label(t: Any, field: str, application: Mapping[str, Any] | None = None) -> str:
    """How a field the API names reads on the page: 'Postcode', 'Voornaam (mentor 2)'."""
    mentors = list((application or {}).get("mentors") or [])
    match = _INDEXED.search(field)
    index = int(match.group(1)) if match else None
    generic = _INDEXED.sub("", field)
    if generic.startswith("mentors.") and generic.split(".")[-1] in ("criminal_record_extract", "derogation_proof"):
        return t(f"documents.slot.{generic.split('.')[-1]}", mentor=_mentor_name(t, mentors, index))
    if generic.startswith("documents.") and generic.split(".")[-1] in steps.DOCUMENT_TYPES:
        return t(f"documents.slot.{generic.split('.')[-1]}", mentor="")
    if generic.startswith("documents"):
        documents = list((application or {}).get("documents") or [])
        if index is not None and index < len(documents):
            return str(documents[index].get("filename"))
        return t("step.documents")
    if generic == "mentors":
        return t("step.mentors")
    try:
        label = t(f"field.{generic}")
    except KeyError:
        return field
    return (
        f"{label} ({_mentor_name(t, mentors, index)})"
        if index is not None and generic.startswith("mentors.")
        else label
    )


def _mentor_name(t: Any, mentors: list[dict[str, Any]], index: int | None) -> str:
    if index is not None and index < len(mentors):
        name = " ".join(str(mentors[index].get(k) or "") for k in ("first_name", "last_name")).strip()
        if name:
            return name
    return t("mentors.legend", n=(index or 0) + 1)

