"""The public register and "verify a workplace", for education providers (no login)."""

from __future__ import annotations

from typing import Any

from portal.usecases.ports import Ports, Viewer, expect

PAGE_SIZE = 50


def search_register(ports: Ports, viewer: Viewer, *, training_code: str | None, postal_code: str | None,
                    enterprise_number: str | None, cursor: str | None = None) -> dict[str, Any]:
    """{"items", "next_cursor"}. Raises ApiProblem 400 for a filter the API refuses (shown at its field)."""
    query = {k: v for k, v in {"training_code": training_code, "postal_code": postal_code,
                               "enterprise_number": enterprise_number, "cursor": cursor,
                               "limit": str(PAGE_SIZE)}.items() if v}
    body = expect(ports.api.request("GET", Viewer(viewer.api_base), "/register", query=query))
    if isinstance(body, list):  # a register without pages answers the bare list
        return {"items": body, "next_cursor": None}
    return {"items": body.get("items") or [], "next_cursor": body.get("next_cursor")}


def verify_workplace(ports: Ports, viewer: Viewer, *, enterprise_number: str, establishment_number: str,
                     training_code: str, on: str | None) -> dict[str, Any]:
    query = {"enterprise_number": enterprise_number, "establishment_number": establishment_number,
             "training_code": training_code}
    if on:
        query["on"] = on
    return expect(ports.api.request("GET", Viewer(viewer.api_base), "/register/verify", query=query))


def local_mailbox(ports: Ports, viewer: Viewer) -> list[dict[str, Any]] | None:
    """What the local runtime's SES holds (``/_local/mail``); None where there is no such route (AWS)."""
    response = ports.api.request("GET", Viewer(viewer.api_base), "/_local/mail")
    if response.status == 404 or not isinstance(response.body, list):
        return None
    return list(reversed(response.body))
