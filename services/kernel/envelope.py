"""The one versioned envelope every bus message travels in (CONTRACT.md, "Events on the bus")."""



import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from kernel import clock

# Derived event ids are stable: re-running a consumer after a crash publishes the same ids again,
# and every downstream consumer drops the duplicates on event_id.
_EVENT_NAMESPACE = uuid.UUID("6f1f7a52-8d1e-4c55-9a49-1f0a3d0c2b7e")


class Envelope(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    event_id: str = Field(min_length=1, max_length=200)
    event_name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Z][A-Za-z]+$")
    event_version: int = Field(ge=1)
    source: str = Field(min_length=1, max_length=100)
    correlation_id: str = Field(min_length=1, max_length=200)
    occurred_at: datetime
    data: dict[str, Any]

    @field_serializer("occurred_at")
    def _instant(self, value: datetime) -> str:
        return clock.iso(value)

    def to_json(self) -> str:
        return self.model_dump_json()


def derived_event_id(cause_event_id: str, discriminator: str) -> str:
    """An event id determined by what caused it, so a retried consumer re-emits the same id."""
    return str(uuid.uuid5(_EVENT_NAMESPACE, f"{cause_event_id}/{discriminator}"))


def new_event_id() -> str:
    return str(uuid.uuid4())
