"""Fakes, sample identifiers and an in-process API client for the intake unit tests."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from testkit.apigw import http_event
from testkit.identifiers import national_register_number as nrn

from intake import bootstrap
from intake.adapters.memory import (
    InMemoryAccessLog,
    InMemoryApplicationStore,
    InMemoryDocumentStorage,
    InMemoryProjections,
    InMemoryRetentionStore,
)
from intake.usecases.ports import Ports
from kernel import clock
from kernel.idempotency_keys import InMemoryIdempotencyKeys
from kernel.processed import InMemoryProcessedEvents
from kernel.publisher import InMemoryPublisher
from kernel.timers import InMemoryTimers

ENTERPRISE = "0403170701"
OTHER_ENTERPRISE = "0123456749"
ESTABLISHMENT = "2123456791"
TRAINING = "elektrische-installaties-duaal"
PDF = b"%PDF-1.7\n" + b"x" * 100


def years_ago(years: int, days: int = 0) -> date:
    today = clock.today()
    from datetime import timedelta

    return date(today.year - years, today.month, min(today.day, 28)) - timedelta(days=days)


def mentor(**overrides: Any) -> dict[str, Any]:
    return {
        "first_name": "An",
        "last_name": "Peeters",
        "national_register_number": nrn(date(1980, 3, 15)),
        "experience_years": 10,
        "extract_issued_on": clock.today().isoformat(),
        **overrides,
    }


def full_body(**overrides: Any) -> dict[str, Any]:
    return {
        "enterprise_number": "0403.170.701",
        "establishment_number": "2123 456 791",
        "training_code": TRAINING,
        "kind": "new",
        "company": {"name": "Elektro Peeters", "joint_committee": "111",
                    "address": {"street": "Stationsstraat 1", "postal_code": "9000", "city": "Gent"}},
        "contact": {"name": "Jan Peeters", "email": "jan@peeters.example", "phone": "+32 9 123 45 67"},
        "mentors": [mentor()],
        "declarations": {"organisation_and_equipment": True, "financial_capacity": True,
                         "no_disqualifying_convictions": True, "sworn_statement": True},
        **overrides,
    }


@pytest.fixture
def ports() -> Ports:
    projections = InMemoryProjections()  # the application store's saves hold keys in it
    retention = InMemoryRetentionStore()  # and record decisions' retention facts in it
    return Ports(
        applications=InMemoryApplicationStore(projections, retention),
        projections=projections,
        documents=InMemoryDocumentStorage(),
        publisher=InMemoryPublisher(),
        timers=InMemoryTimers(),
        retention=retention,
        access_log=InMemoryAccessLog(),
    )


class Client:
    """Calls intake.handlers.api in process, as API Gateway would after the JWT authorizer."""

    def __init__(self, ports: Ports) -> None:
        self.ports = ports

    def call(self, method: str, path: str, body: Any = None, *, role: str = "employer",
             enterprise: str = ENTERPRISE, mandates: list[str] | None = None, headers: dict[str, str] | None = None,
             sub: str = "user-1") -> tuple[int, Any]:
        from intake.handlers.api import app

        claims = {"sub": sub, "role": role}
        if role == "employer":
            claims["enterprise_number"] = enterprise
        if mandates is not None:
            claims["mandates"] = mandates
        response = app.resolve(http_event(method, path, body=body, claims=claims, headers=headers), None)
        return response["statusCode"], json.loads(response["body"]) if response.get("body") else None

    def create(self, body: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        status, created = self.call("POST", "/applications", body or full_body(), **kw)
        assert status == 201, created
        return created

    def upload(
        self,
        application_id: str,
        data: bytes = PDF,
        *,
        doc_type: str = "criminal_record_extract",
        mentor_index: int | None = 0,
        content_type: str = "application/pdf",
        size: int | None = None,
        **kw: Any,
    ) -> dict:
        body = {
            "type": doc_type,
            "filename": "file.pdf",
            "content_type": content_type,
            "size_bytes": len(data) if size is None else size,
        }
        if mentor_index is not None:
            body["mentor_index"] = mentor_index
        status, slot = self.call("POST", f"/applications/{application_id}/documents", body, **kw)
        assert status == 201, slot
        key = slot["upload_url"].split("uploads.example/")[1].split("?")[0]
        self.ports.documents.objects[key] = data  # type: ignore[attr-defined]
        return slot

    def ready(self, body: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        """A draft with everything a submission needs."""
        created = self.create(body, **kw)
        for i in range(len(created["mentors"])):
            self.upload(created["id"], mentor_index=i, **kw)
        return created


@pytest.fixture
def client(ports: Ports):
    bootstrap.override(ports, idempotency_keys=InMemoryIdempotencyKeys(), processed=InMemoryProcessedEvents())
    yield Client(ports)
    bootstrap.reset()
