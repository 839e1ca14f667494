"""The partnership at work on a file: its queue, the full file, questions and site visits."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from kernel import clock
from kernel.auth import Caller
from kernel.errors import FieldError, NotFound, RuleViolation
from kernel.events import QuestionAskedV1, SiteVisitPlannedV1, SiteVisitReportedV1
from kernel.publisher import publish
from review.domain.review_file import Question, QueueEntry, ReviewFile, SiteVisit
from review.usecases.common import SOURCE, update_file
from review.usecases.files import term_rules
from review.usecases.ports import Ports
from review.usecases.timers import cancel_deadline_timers
from review.usecases.views import file_view, queue_item, supervision_view

DOWNLOAD_LINK_SECONDS = 300  # CONTRACT.md: download links 5 minutes


def queue(ports: Ports, partnership_id: str, status: str | None) -> list[dict[str, Any]]:
    """The partnership's files, earliest decision_due first; the supervisor also gets every
    overdue file of the others. ``status`` filters on the file status, or ``overdue``. Reads the
    partnership's own partition of the queue index (and the overdue list), never whole files."""
    today = clock.today()
    stored = "in_review" if status == "overdue" else status
    entries = {e.application_id: e for e in ports.repo.queue_entries(partnership_id, stored)}
    if partnership_id == ports.supervisor_id:
        for e in ports.repo.overdue_entries():
            entries.setdefault(e.application_id, e)
    chosen = [e for e in entries.values() if _matches(e, status, today)]
    chosen.sort(
        key=lambda e: (e.decision_due or date.max, e.routed_at.isoformat() if e.routed_at else "", e.application_id)
    )
    return [queue_item(e, today) for e in chosen]


def _matches(entry: QueueEntry, status: str | None, today: date) -> bool:
    if status is None:
        return True
    if status == "overdue":
        return bool(entry.is_overdue(today))
    return entry.status == status


def visible_file(ports: Ports, caller: Caller, application_id: str) -> ReviewFile:
    """Raises NotFound unless the caller's partnership may see the file."""
    current = ports.repo.get_file(application_id)
    if current is None or not current.item.visible_to(caller.partnership_id, ports.supervisor_id, clock.today()):
        raise NotFound("No such application.")
    return current.item


def own_file(ports: Ports, caller: Caller, application_id: str) -> ReviewFile:
    """The file if the caller's partnership is the competent one. Raises NotFound otherwise."""
    current = ports.repo.get_file(application_id)
    if current is None or not current.item.handled_by(caller.partnership_id):
        raise NotFound("No such application.")
    return current.item


def full_file(ports: Ports, caller: Caller, application_id: str) -> dict[str, Any]:
    """The file with a short-lived download link per document; each link handed out is logged.
    The supervisor reading another partnership's overdue file gets its state and dates only."""
    file = visible_file(ports, caller, application_id)
    assert file.application is not None and ports.links is not None
    now = clock.now()
    if not file.handled_by(caller.partnership_id):
        return supervision_view(file, clock.today())
    documents = []
    for doc in file.application.documents:
        purged_at = file.purged_documents.get(doc.id)
        if purged_at is not None:  # its bytes are gone (retention): no link that would answer 404
            documents.append({
                "id": doc.id, "type": doc.type, "filename": doc.filename, "content_type": doc.content_type,
                "size_bytes": doc.size_bytes, "mentor_id": doc.mentor_id, "mentor_index": doc.mentor_index,
                "sha256": doc.sha256, "purged": True, "purged_at": purged_at, "download_url": None,
                "download_expires_in": None,
            })
            continue
        url = ports.links.download_url(doc.key, doc.filename, DOWNLOAD_LINK_SECONDS, doc.version_id)
        ports.repo.log_document_access({
            "application_id": application_id,
            "document_id": doc.id,
            "document_type": doc.type,
            "sub": caller.sub,
            "partnership_id": caller.partnership_id,
            "issued_at": clock.iso(now),
            "expires_in": DOWNLOAD_LINK_SECONDS,
        })
        documents.append(
            {
                "id": doc.id,
                "type": doc.type,
                "filename": doc.filename,
                "content_type": doc.content_type,
                "size_bytes": doc.size_bytes,
                "mentor_id": doc.mentor_id,
                "mentor_index": doc.mentor_index,
                "sha256": doc.sha256,
                "purged": False,
                "purged_at": None,
                "download_url": url,
                "download_expires_in": DOWNLOAD_LINK_SECONDS,
            }
        )
    return file_view(file, clock.today(), documents)


def ask_question(
    ports: Ports, caller: Caller, application_id: str, message: str, correlation_id: str
) -> dict[str, Any]:
    found = own_file(ports, caller, application_id)
    found.require_open()
    pause, day_kind = term_rules(found)
    question = Question(question_id=str(uuid.uuid4()), message=message, asked_at=clock.now(), asked_by=caller.sub)

    def add(file: ReviewFile) -> ReviewFile:
        file.require_open()
        return file.with_question(question).with_term(pause, day_kind)

    file = update_file(ports, application_id, add)
    if file.decision_term_paused:
        cancel_deadline_timers(ports, application_id)  # nothing runs out while the company is to answer
    publish(
        ports.publisher,
        QuestionAskedV1(
            application_id=application_id,
            question_id=question.question_id,
            partnership_id=file.partnership_id or "",
            message=message,
            asked_at=question.asked_at,
        ),
        source=SOURCE,
        correlation_id=correlation_id,
        cause_id=question.question_id,
        what="QuestionAsked",
    )
    return {"question_id": question.question_id, "application_id": application_id, "message": message,
            "asked_at": question.asked_at}


def plan_visit(
    ports: Ports, caller: Caller, application_id: str, planned_for: date, correlation_id: str
) -> dict[str, Any]:
    own_file(ports, caller, application_id).require_open()
    if planned_for < clock.today():
        raise RuleViolation("A site visit cannot be planned in the past.",
                            [FieldError("planned_for", "in_the_past", "must be today or later")])
    visit = SiteVisit(visit_id=str(uuid.uuid4()), planned_for=planned_for, planned_at=clock.now())

    def add(file: ReviewFile) -> ReviewFile:
        file.require_open()
        return file.with_visit(visit)

    file = update_file(ports, application_id, add)
    publish(ports.publisher, SiteVisitPlannedV1(application_id=application_id, visit_id=visit.visit_id,
                                      partnership_id=file.partnership_id or "", planned_for=planned_for),
            source=SOURCE, correlation_id=correlation_id, cause_id=visit.visit_id, what="SiteVisitPlanned")
    return {"visit_id": visit.visit_id, "application_id": application_id, "planned_for": planned_for}


def report_visit(
    ports: Ports,
    caller: Caller,
    application_id: str,
    visit_id: str,
    findings: str,
    satisfactory: bool,
    correlation_id: str,
) -> dict[str, Any]:
    """Raises NotFound for an unknown visit, Conflict when it was reported already."""
    if own_file(ports, caller, application_id).visit(visit_id) is None:
        raise NotFound("No such site visit.")
    at = clock.now()
    file = update_file(ports, application_id, lambda f: f.with_report(visit_id, findings, satisfactory, at))
    publish(ports.publisher, SiteVisitReportedV1(application_id=application_id, visit_id=visit_id,
                                       partnership_id=file.partnership_id or "", findings=findings,
                                       satisfactory=satisfactory, reported_at=at),
            source=SOURCE, correlation_id=correlation_id, cause_id=visit_id, what="SiteVisitReported")
    return {"visit_id": visit_id, "application_id": application_id, "findings": findings,
            "satisfactory": satisfactory, "reported_at": at}


def support_requests(ports: Ports, partnership_id: str) -> list[dict[str, Any]]:
    return sorted(ports.repo.support_requests(partnership_id), key=lambda r: str(r.get("requested_at")))
