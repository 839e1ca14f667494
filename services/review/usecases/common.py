"""Small helpers the use cases share: the source name of the events, optimistic updates, pinned
policy values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from kernel.errors import Conflict, NotFound
from kernel.events import ApplicationSnapshot
from kernel.optimistic import retry
from reference.policy import policy
from review.domain.recognition import Recognition
from review.domain.review_file import ReviewFile
from review.usecases.ports import Ports, StaleWrite, Versioned

SOURCE = "review"


T = TypeVar("T")


def _optimistic_update(
    load: Callable[[], Versioned[T] | None], save: Callable[[T, int], None], change: Callable[[T], T], what: str
) -> T:
    """Apply ``change`` to the stored item with an optimistic lock, re-reading on a concurrent write.
    Raises NotFound when there is no item and Conflict when it keeps changing underneath."""

    def attempt() -> T:
        current = load()
        if current is None:
            raise NotFound(f"No such {what}.")
        changed = change(current.item)
        if changed != current.item:
            save(changed, current.version)
        return changed

    try:
        return retry(attempt, stale=StaleWrite)
    except StaleWrite:
        raise Conflict(f"The {what} is being changed by someone else; try again.") from None


def update_file(ports: Ports, application_id: str, change: Callable[[ReviewFile], ReviewFile]) -> ReviewFile:
    """Raises NotFound (no file) and Conflict (it keeps changing underneath)."""
    return _optimistic_update(lambda: ports.repo.get_file(application_id), ports.repo.save_file, change, "application")


def update_recognition(ports: Ports, recognition_id: str, change: Callable[[Recognition], Recognition]) -> Recognition:
    """Raises NotFound (no recognition) and Conflict (it keeps changing underneath)."""
    return _optimistic_update(
        lambda: ports.repo.get_recognition(recognition_id), ports.repo.save_recognition, change, "recognition"
    )


def _pinned_values(snapshot: ApplicationSnapshot | None) -> dict[str, Any]:
    """Policy values pinned on the application at submission, when intake carries them."""
    pinned = getattr(snapshot, "policy", None) if snapshot is not None else None
    if isinstance(pinned, dict):
        values = pinned.get("values", pinned)
        return values if isinstance(values, dict) else {}
    return {}


def policy_value(name: str, partnership_id: str | None, snapshot: ApplicationSnapshot | None = None) -> Any:
    """A policy number: the one pinned on the application if present, else the current policy's
    effective value for the partnership (reference.policy)."""
    pinned = _pinned_values(snapshot)
    if name in pinned:
        return pinned[name]
    return getattr(policy().for_partnership(partnership_id).values, name).value
