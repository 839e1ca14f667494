"""GET /notices: which notices a caller may see, newest first, each with a short-lived PDF link."""

from __future__ import annotations

from typing import Any

from kernel.auth import Caller
from notification.domain.projection import enterprise_partition, partnership_partition
from notification.usecases.ports import ReadPorts

# CONTRACT.md: download links live 5 minutes.
PDF_LINK_SECONDS = 300


def partitions_for(caller: Caller) -> list[str]:
    """An employer sees its enterprise's notices, an intermediary its mandates', a partnership the
    ones about its files. Raises nothing: the route's role check has already run."""
    if caller.role == "employer" and caller.enterprise_number:
        return [enterprise_partition(caller.enterprise_number)]
    if caller.role == "intermediary":
        return [enterprise_partition(e) for e in sorted(caller.mandates)]
    if caller.role == "partnership" and caller.partnership_id:
        return [partnership_partition(caller.partnership_id)]
    return []


def list_notices(ports: ReadPorts, caller: Caller, subject_id: str | None = None) -> list[dict[str, Any]]:
    found = {n.notice_id: n for p in partitions_for(caller) for n in ports.store.notices_in(p)}
    notices = [n for n in found.values() if subject_id is None or n.subject_id == subject_id]
    notices.sort(key=lambda n: (n.issued_at, n.notice_id), reverse=True)
    return [{**n.public(), "pdf_url": ports.archive.download_url(n.pdf_key, PDF_LINK_SECONDS)} for n in notices]
