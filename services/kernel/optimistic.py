"""Optimistic concurrency: read, change, write on the condition that nobody wrote in between, and
start again when somebody did.

Two writers of one item (a partnership deciding while an event about the file arrives) both
succeed this way without a lock; only an item that keeps changing underneath gives up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Lost races before giving up: each attempt re-reads, so five is far beyond any real contention.
ATTEMPTS = 5


def retry(attempt: Callable[[], T], *, stale: type[Exception], attempts: int = ATTEMPTS) -> T:
    """Run ``attempt`` (read, change, conditional write) until it does not raise ``stale``, the
    exception its store raises when the item changed since it was read; returns what it returned.
    Raises ``stale`` after ``attempts`` lost races, and whatever else ``attempt`` raises at once."""
    for _ in range(attempts - 1):
        try:
            return attempt()
        except stale:
            continue
    return attempt()
