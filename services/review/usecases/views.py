"""What the routes return: plain dicts built from the domain objects."""

from __future__ import annotations

from datetime import date
from typing import Any

from kernel.identifiers import mask_national_register_number
from reference.catalogue import training
from review.domain.measures import Measure
from review.domain.recognition import Recognition, RegisterEntry
from review.domain.review_file import AppealOnFile, QueueEntry, ReviewFile


def queue_item(entry: QueueEntry, today: date) -> dict[str, Any]:
    """A file in the work queue. ``days_left`` and ``overdue`` only while it is open (null once
    decided or withdrawn); ``appeal`` once an appeal against its decision was lodged."""
    return {
        "application_id": entry.application_id,
        "partnership_id": entry.partnership_id,
        "status": entry.status,
        "kind": entry.kind,
        "enterprise_number": entry.enterprise_number,
        "establishment_number": entry.establishment_number,
        "training_code": entry.training_code,
        "company_name": entry.company_name,
        "submitted_at": entry.submitted_at,
        "routed_at": entry.routed_at,
        "decision_due": entry.decision_due,
        "decision_term_paused": entry.decision_term_paused,
        "days_left": entry.days_left(today),
        "overdue": entry.is_overdue(today),
        "deadline_warned": entry.deadline_warned,
        "open_questions": entry.open_questions,
        "decision": entry.decision,
        "appeal": appeal_view(entry.appeal),
    }


def appeal_view(appeal: AppealOnFile | None) -> dict[str, Any] | None:
    if appeal is None:
        return None
    return {"appeal_id": appeal.appeal_id, "status": appeal.status, "outcome": appeal.outcome,
            "lodged_at": appeal.lodged_at, "decided_at": appeal.decided_at,
            "recognition_id": appeal.recognition_id, "blocked": appeal.blocked}


def _entry(file: ReviewFile) -> QueueEntry:
    entry = file.queue_entry()
    assert entry is not None
    return entry


def file_view(file: ReviewFile, today: date, documents: list[dict[str, Any]]) -> dict[str, Any]:
    """The full file for the competent partnership: national register numbers unmasked."""
    app = file.application
    assert app is not None
    application = app.model_dump(mode="json", exclude={"documents"})
    return {
        **queue_item(_entry(file), today),
        "application": application,
        "documents": [{**d, "mentor": _mentor_of(d, application["mentors"])} for d in documents],
        "routing": file.routing,
        "questions": [q.model_dump(mode="json") for q in file.questions],
        "answers": [a.model_dump(mode="json") for a in file.answers],
        "site_visits": [v.model_dump(mode="json") for v in file.site_visits],
        # What an upheld appeal against the refusal did: the recognition it granted, or why none.
        "appeal_grant": file.appeal_grant.model_dump(mode="json") if file.appeal_grant else None,
    }


def supervision_view(file: ReviewFile, today: date) -> dict[str, Any]:
    """What the supervising partnership (the VPDL) reads of another partnership's overdue file:
    its state and dates. No mentors, national register numbers, messages or documents: it does
    not judge the file, the competent partnership does."""
    return {
        **queue_item(_entry(file), today),
        "supervision": True,
        "routing": file.routing,
        "questions": [{"question_id": q.question_id, "asked_at": q.asked_at} for q in file.questions],
        "answers": [{"answered_at": a.answered_at} for a in file.answers],
        "site_visits": [{"visit_id": v.visit_id, "planned_for": v.planned_for, "reported_at": v.reported_at}
                        for v in file.site_visits],
    }


def _mentor_of(document: dict[str, Any], mentors: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The mentor a document belongs to, by its id, as the file shows that mentor (so masked
    wherever the file masks); files from before mentor ids name the mentor by its place."""
    if document.get("mentor_id"):
        found = next((m for m in mentors if m.get("mentor_id") == document["mentor_id"]), None)
    else:
        index = document.get("mentor_index")
        found = mentors[index] if index is not None and 0 <= index < len(mentors) else None
    if found is None:
        return None
    return {name: found.get(name) for name in ("mentor_id", "first_name", "last_name", "national_register_number")}


def recognition_view(recognition: Recognition, today: date) -> dict[str, Any]:
    """A recognition for its partnership; national register numbers masked."""
    mentors = []
    for i, mentor in enumerate(recognition.mentors):
        mentors.append({
            "index": i,
            "first_name": mentor.first_name,
            "last_name": mentor.last_name,
            "national_register_number": mask_national_register_number(mentor.national_register_number),
            "banned": recognition.mentor_is_banned(i),
        })
    return {
        **public_view(recognition, today),
        "partnership_id": recognition.partnership_id,
        "application_id": recognition.application_id,
        "decision_id": recognition.decision_id,
        "appeal_id": recognition.appeal_id,
        "renews_recognition_id": recognition.renews_recognition_id,
        "renewed_by_recognition_id": recognition.renewed_by_recognition_id,
        "revoked_on": recognition.revoked_on,
        "revoked_by_measure_id": recognition.revoked_by_measure_id,
        "mentors": mentors,
        "without_eligible_mentor": recognition.without_eligible_mentor,
        "granted_at": recognition.granted_at,
    }


def public_view(recognition: Recognition | RegisterEntry, today: date) -> dict[str, Any]:
    """What anyone may read in the register: never mentors, documents or the application."""
    entry = training(recognition.training_code)
    return {
        "recognition_id": recognition.recognition_id,
        "enterprise_number": recognition.enterprise_number,
        "establishment_number": recognition.establishment_number,
        "training_code": recognition.training_code,
        "training_name": entry.name if entry else None,
        "company_name": recognition.company_name,
        "postal_code": recognition.postal_code,
        "city": recognition.city,
        "valid_from": recognition.valid_from,
        "valid_until": recognition.valid_until,
        "status": recognition.status_on(today),
    }


def measure_view(measure: Measure) -> dict[str, Any]:
    return {
        "measure_id": measure.measure_id,
        "type": measure.type,
        "recognition_id": measure.recognition_id,
        "enterprise_number": measure.enterprise_number,
        "establishment_number": measure.establishment_number,
        "reason": measure.reason,
        "details": measure.details,
        "appealable": measure.appealable,
        "imposed_at": measure.imposed_at,
        "annulled": measure.annulled,
        "revoked_recognition_ids": measure.revoked_recognition_ids,
    }
