"""What intake does, one function per command or event, against ports (adapters' Protocols).

No boto3 and no Powertools here either: handlers parse and respond, adapters talk to AWS.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from intake.adapters.access_log import AccessLog, InMemoryAccessLog
from intake.adapters.applications import ApplicationStore
from intake.adapters.documents import DocumentStorage
from intake.adapters.projections import Projections
from intake.adapters.retention import InMemoryRetentionStore, RetentionStore
from kernel.publisher import EventPublisher
from kernel.timers import InMemoryTimers, Timers

SOURCE = "intake"


class Principal(Protocol):
    """Who is calling (kernel.auth.Caller fits; read-only, as a frozen dataclass has them)."""

    @property
    def sub(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def enterprise_number(self) -> str | None: ...
    @property
    def mandates(self) -> frozenset[str]: ...

    def may_act_for(self, enterprise_number: str) -> bool: ...


@dataclass
class Ports:
    applications: ApplicationStore
    projections: Projections
    documents: DocumentStorage
    publisher: EventPublisher
    new_id: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))
    # Only the events function keeps documents' retention; bootstrap gives it the real adapters
    # (the API function schedules and purges nothing, so the fakes stay unused there).
    timers: Timers = field(default_factory=InMemoryTimers)
    retention: RetentionStore = field(default_factory=InMemoryRetentionStore)
    access_log: AccessLog = field(default_factory=InMemoryAccessLog)
