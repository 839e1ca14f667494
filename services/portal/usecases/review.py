"""A partnership's work, through the review routes of the API (CONTRACT.md "Partnership (review)"),
always with the user's own token: the API decides what this partnership may see and do."""

from __future__ import annotations

from typing import Any

from portal.usecases.ports import ApiProblem, Ports, Viewer, expect


def queue(ports: Ports, viewer: Viewer) -> list[dict[str, Any]]:
    """Every file routed to the caller's partnership (and, for the VPDL, every overdue file),
    earliest decision_due first. The page filters and counts itself: one call for both."""
    return list(expect(ports.api.request("GET", viewer, "/review/queue")) or [])


def overdue(ports: Ports, viewer: Viewer) -> list[dict[str, Any]]:
    return list(expect(ports.api.request("GET", viewer, "/review/queue", query={"status": "overdue"})) or [])


def review_file(ports: Ports, viewer: Viewer, application_id: str) -> dict[str, Any]:
    """The full file with its 5-minute download links. Raises ApiProblem 404 (not this partnership's)."""
    return dict(expect(ports.api.request("GET", viewer, f"/review/applications/{application_id}")))


def download_url(
    ports: Ports, viewer: Viewer, application_id: str, document_id: str, partnership_id: str | None
) -> str:
    """A fresh link for one document (links live 5 minutes: the page links here, not to a link
    that may have expired), for the competent partnership only: the supervisor reads another
    partnership's overdue file for its dates, not its criminal-record extracts. Raises ApiProblem 404."""
    file = review_file(ports, viewer, application_id)
    documents = (file.get("documents") or []) if file.get("partnership_id") == partnership_id else []
    found = next((d for d in documents if d.get("id") == document_id), None)
    if found is None or not found.get("download_url"):
        raise ApiProblem(404, {"title": "Not Found", "detail": "No such document."})
    return str(found["download_url"])


def ask_question(ports: Ports, viewer: Viewer, application_id: str, message: str, key: str) -> dict[str, Any]:
    return expect(
        ports.api.request(
            "POST",
            viewer,
            f"/review/applications/{application_id}/questions",
            body={"message": message},
            idempotency_key=key,
        )
    )


def plan_visit(ports: Ports, viewer: Viewer, application_id: str, planned_for: str, key: str) -> dict[str, Any]:
    return expect(
        ports.api.request(
            "POST",
            viewer,
            f"/review/applications/{application_id}/site-visits",
            body={"planned_for": planned_for},
            idempotency_key=key,
        )
    )


def report_visit(
    ports: Ports, viewer: Viewer, application_id: str, visit_id: str, findings: str, satisfactory: bool, key: str
) -> dict[str, Any]:
    return expect(
        ports.api.request(
            "POST",
            viewer,
            f"/review/applications/{application_id}/site-visits/{visit_id}/report",
            body={"findings": findings, "satisfactory": satisfactory},
            idempotency_key=key,
        )
    )


def decide(
    ports: Ports, viewer: Viewer, application_id: str, outcome: str, reasons: list[str], key: str,
    conditions_not_met: list[str] | None = None,
) -> dict[str, Any]:
    """Raises ApiProblem: 409 decided, withdrawn or an exclusion runs; 422 a refusal without reasons."""
    body: dict[str, Any] = {"outcome": outcome, "reasons": reasons}
    if conditions_not_met:
        body["conditions_not_met"] = conditions_not_met
    return expect(
        ports.api.request(
            "POST",
            viewer,
            f"/review/applications/{application_id}/decision",
            body=body,
            idempotency_key=key,
        )
    )


def recognitions(ports: Ports, viewer: Viewer, *, status: str | None = None, cursor: str | None = None,
                 enterprise_number: str | None = None, limit: int = 50) -> dict[str, Any]:
    """One page of the partnership's recognitions: {"items", "next_cursor"} (GET /review/recognitions).
    Raises ApiProblem 400 for a cursor the API did not hand out."""
    query = {k: v for k, v in (("status", status), ("cursor", cursor), ("enterprise_number", enterprise_number),
                               ("limit", str(limit))) if v}
    body = expect(ports.api.request("GET", viewer, "/review/recognitions", query=query))
    return {"items": list(body.get("items") or []), "next_cursor": body.get("next_cursor")}


def recognition(ports: Ports, viewer: Viewer, recognition_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One of the partnership's recognitions and the partnership's others of the same enterprise (a
    measure's effects reach siblings). Raises ApiProblem 404."""
    chosen = dict(expect(ports.api.request("GET", viewer, f"/review/recognitions/{recognition_id}")))
    siblings: list[dict[str, Any]] = []
    cursor = None
    while True:  # an enterprise has a handful: one page, nearly always
        page = recognitions(ports, viewer, enterprise_number=str(chosen.get("enterprise_number") or ""),
                            cursor=cursor, limit=200)
        siblings += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return chosen, siblings


def renewed_recognition(ports: Ports, viewer: Viewer, file: dict[str, Any]) -> dict[str, Any] | None:
    """The recognition a renewal continues, if this partnership granted it."""
    application = file.get("application") or {}
    old_id = application.get("renews_recognition_id")
    if application.get("kind") != "renewal" or not old_id:
        return None
    try:
        return dict(expect(ports.api.request("GET", viewer, f"/review/recognitions/{old_id}")))
    except ApiProblem as problem:
        if problem.status == 404:
            return None
        raise


def impose_measure(ports: Ports, viewer: Viewer, recognition_id: str, body: dict[str, Any], key: str) -> dict[str, Any]:
    """Raises ApiProblem: 409 already revoked or ended; 422 fields wrong for the type."""
    return expect(
        ports.api.request(
            "POST", viewer, f"/review/recognitions/{recognition_id}/measures", body=body, idempotency_key=key
        )
    )


def support_requests(ports: Ports, viewer: Viewer) -> list[dict[str, Any]]:
    found = list(expect(ports.api.request("GET", viewer, "/review/support-requests")) or [])
    return sorted(found, key=lambda r: str(r.get("requested_at")), reverse=True)
