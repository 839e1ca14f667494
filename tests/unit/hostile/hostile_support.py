"""Every service's HTTP edge in process, on in-memory ports, with a small world to aim at.

API Gateway's payload format 2.0 events are built as the JWT authorizer would pass them; each
service's resolver answers them (kernel.http's request gate included). ``Stack.snapshot`` takes
what every store holds, so a test can tell whether a refused request changed anything.
"""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from testkit.apigw import http_event
from testkit.identifiers import NATIONAL_REGISTER_NUMBER

from kernel import clock
from kernel.idempotency_keys import InMemoryIdempotencyKeys
from kernel.publisher import InMemoryPublisher, envelope_for

QUESTION = "q-hostile"
COMPANY = "0403170701"
OTHER_COMPANY = "0123456749"
ESTABLISHMENT = "2123456791"
TRAINING = "elektrische-installaties-duaal"
PARTNERSHIP = "mtech"


def application_body(enterprise: str = COMPANY, **overrides: Any) -> dict[str, Any]:
    return {
        "enterprise_number": enterprise, "establishment_number": ESTABLISHMENT, "training_code": TRAINING,
        "kind": "new",
        "company": {"name": "Elektro Peeters", "joint_committee": "111",
                    "address": {"street": "Stationsstraat 1", "postal_code": "9000", "city": "Gent"}},
        "contact": {"name": "Jan Peeters", "email": "jan@peeters.example"},
        "mentors": [{"first_name": "An", "last_name": "Peeters", "national_register_number": NATIONAL_REGISTER_NUMBER,
                     "experience_years": 10, "extract_issued_on": clock.today().isoformat()}],
        "declarations": {"organisation_and_equipment": True, "financial_capacity": True,
                         "no_disqualifying_convictions": True, "sworn_statement": True},
        **overrides,
    }


# Who may call: the claims the JWT authorizer passes on, one per role (and a few look-alikes).
CLAIMS: dict[str, dict[str, Any]] = {
    "employer": {"sub": "user-1", "role": "employer", "enterprise_number": COMPANY},
    "intermediary": {"sub": "user-2", "role": "intermediary", "mandates": [COMPANY]},
    "partnership": {"sub": "user-3", "role": "partnership", "partnership_id": PARTNERSHIP},
    "appeals": {"sub": "user-4", "role": "appeals"},
}
ROLES = tuple(CLAIMS)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def body(self) -> Any:
        return json.loads(self.text) if self.text else None

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


def event(method: str, path: str, *, body: Any = None, raw: str | bytes | None = None, claims: dict | None = None,
          headers: dict[str, str] | None = None, query: str = "") -> dict[str, Any]:
    """A payload 2.0 event; ``raw`` is sent as is (bytes base64-encoded, as API Gateway does)."""
    return http_event(method, path, body=body, raw=raw, claims=claims or None, headers=headers, query=query,
                      route_key="$default", request_id="req-hostile")


def _module_for(path: str) -> Any:
    if path.startswith(("/applications", "/support-requests")):
        from intake.handlers import api
    elif path.startswith(("/review", "/register")):
        from review.handlers import api  # type: ignore[no-redef]
    elif path.startswith("/appeals"):
        from appeal.handlers import api  # type: ignore[no-redef]
    elif path.startswith("/notices"):
        from notification.handlers import api  # type: ignore[no-redef]
    else:
        from routing.handlers import api  # type: ignore[no-redef]
    return api


@dataclass
class Stack:
    intake: Any
    review: Any
    appeal: Any
    publishers: list[InMemoryPublisher]
    keys: list[InMemoryIdempotencyKeys]
    ids: dict[str, str] = field(default_factory=dict)
    # Every event id published while the world was built (a retried command re-sends its event).
    known_events: set[str] = field(default_factory=set)

    def call(self, method: str, path: str, role: str | None = "employer", *, claims: dict | None = None,
             **kw: Any) -> Reply:
        who = claims if claims is not None else (CLAIMS[role] if role else None)
        response = _module_for(path).app.resolve(event(method, path, claims=who, **kw), None)
        headers = dict(response.get("headers") or {})
        for name, values in (response.get("multiValueHeaders") or {}).items():
            headers[name] = values[0] if isinstance(values, list) and values else values
        body = response.get("body") or ""
        if response.get("isBase64Encoded"):
            body = base64.b64decode(body).decode()
        return Reply(response["statusCode"], headers, body)

    def stored(self) -> Any:
        """Everything the services' stores hold (idempotency keys apart: a refused request releases its claim).
        A store's private attributes are its links to the other stores of its table, not what it holds."""
        return copy.deepcopy([
            {k: v for k, v in vars(store).items() if not k.startswith("_")}
            for store in (self.intake.applications, self.intake.projections, self.intake.documents,
                          self.review.repo, self.review.timers, self.appeal.store, self.appeal.timers)
        ])

    def published(self) -> int:
        return sum(len(p.published) for p in self.publishers)

    def events_since(self, mark: int) -> list[Any]:
        every = [e for p in self.publishers for e in p.published]
        return every[mark:] if mark <= len(every) else []


def _deliver_review(ports: Any, data: Any) -> None:
    from review.usecases import files

    files.open_file(ports, envelope_for(data, source="routing", correlation_id="c"), data)


def _reset_composition_roots() -> None:
    from appeal import bootstrap as appeal_bootstrap
    from intake import bootstrap as intake_bootstrap
    from review import bootstrap as review_bootstrap

    intake_bootstrap.reset()
    review_bootstrap.reset()
    appeal_bootstrap.reset()


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> Any:
    yield build_stack(monkeypatch)
    _reset_composition_roots()


@pytest.fixture
def new_stack(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A factory: a fresh world for each call (a test that needs one per role)."""
    yield lambda: build_stack(monkeypatch)
    _reset_composition_roots()


def build_stack(monkeypatch: pytest.MonkeyPatch) -> Stack:
    """The three services with bodies, wired to fakes, and a world: a draft, a routed application
    with a site visit (intake and review), a recognition, a refusal that may be appealed, an
    appeal lodged and one found admissible."""
    from appeal import bootstrap as appeal_bootstrap
    from appeal.adapters.memory import InMemoryAppealStore
    from appeal.usecases.ports import Ports as AppealPorts
    from intake import bootstrap as intake_bootstrap
    from intake.adapters.memory import (
        InMemoryAccessLog,
        InMemoryApplicationStore,
        InMemoryDocumentStorage,
        InMemoryProjections,
        InMemoryRetentionStore,
    )
    from intake.usecases.ports import Ports as IntakePorts
    from kernel.processed import InMemoryProcessedEvents
    from kernel.timers import InMemoryTimers
    from review import bootstrap as review_bootstrap
    from review.adapters.memory import FakeDocumentLinks, InMemoryReviewRepository
    from review.usecases.ports import Ports as ReviewPorts

    projections = InMemoryProjections()  # the application store's saves hold keys in it
    retention = InMemoryRetentionStore()  # and record decisions' retention facts in it
    intake = IntakePorts(applications=InMemoryApplicationStore(projections, retention), projections=projections,
                         documents=InMemoryDocumentStorage(), publisher=InMemoryPublisher(), timers=InMemoryTimers(),
                         retention=retention, access_log=InMemoryAccessLog())
    review = ReviewPorts(repo=InMemoryReviewRepository(), publisher=InMemoryPublisher(), timers=InMemoryTimers(),
                         links=FakeDocumentLinks(), supervisor_id="vpdl")
    appeal = AppealPorts(store=InMemoryAppealStore(), publisher=InMemoryPublisher(), timers=InMemoryTimers(),
                         keys=InMemoryIdempotencyKeys(), processed=InMemoryProcessedEvents())
    intake_keys, review_keys = InMemoryIdempotencyKeys(), InMemoryIdempotencyKeys()
    intake_bootstrap.override(intake, idempotency_keys=intake_keys)
    appeal_bootstrap.override(appeal)
    review_bootstrap.override(review, idempotency_keys=review_keys)
    s = Stack(intake, review, appeal, [intake.publisher, review.publisher, appeal.publisher],
              [intake_keys, review_keys, appeal.keys])
    _build_world(s)
    return s


def _build_world(s: Stack) -> None:
    from kernel.events import ApplicationRoutedV1, DecisionRecordedV1, NoticeIssuedV1, RoutingOutcome

    draft = s.call("POST", "/applications", body=application_body(kind="new"))
    assert draft.status == 201, draft.text
    s.ids["draft"] = draft.body["id"]
    # A second application, submitted and routed: the company may answer, the partnership review it.
    app_id = s.ids["routed"] = ready_application(s, "2123456890")
    submitted = s.call("POST", f"/applications/{app_id}/submit")
    assert submitted.status == 202, submitted.text
    snapshot = s.intake.publisher.published[-1].data["application"]
    from kernel.events import ApplicationSnapshot

    routed = ApplicationRoutedV1(
        application_id=app_id, partnership_id=PARTNERSHIP, decision_due=clock.today() + timedelta(days=30),
        application=ApplicationSnapshot.model_validate(snapshot),
        routing=RoutingOutcome(partnership_id=PARTNERSHIP, rule="joint_committee_exact"))
    _deliver_intake(routed)
    _deliver_review(s.review, routed)
    # The partnership's question the company answers (an answer names an open question).
    from kernel.events import QuestionAskedV1

    _deliver_intake(QuestionAskedV1(application_id=app_id, question_id=QUESTION, partnership_id=PARTNERSHIP,
                                    message="Which machines?", asked_at=clock.now()))
    visit = s.call("POST", f"/review/applications/{app_id}/site-visits", "partnership",
                   body={"planned_for": (clock.today() + timedelta(days=3)).isoformat()})
    assert visit.status == 201, visit.text
    s.ids["visit"] = visit.body["visit_id"]
    # A file decided at once gives the partnership a recognition to impose measures on.
    decided_snapshot = ApplicationSnapshot.model_validate({**snapshot, "application_id": "decided-1",
                                                          "establishment_number": ESTABLISHMENT})
    _deliver_review(
        s.review, routed.model_copy(update={"application_id": "decided-1", "application": decided_snapshot})
    )
    decision = s.call("POST", "/review/applications/decided-1/decision", "partnership", body={"outcome": "approved"})
    assert decision.status == 201, decision.text
    s.ids["recognition"] = decision.body["recognition_id"]
    # A refusal the company may appeal, as the appeal service learns it from the bus.
    decided_at = clock.now() - timedelta(days=1)
    refusal = DecisionRecordedV1(
        decision_id="dec-refused", application_id="refused-1", partnership_id=PARTNERSHIP, enterprise_number=COMPANY,
        establishment_number=ESTABLISHMENT, training_code=TRAINING, outcome="refused", reasons=["no extract"],
        decided_at=decided_at)
    notice = NoticeIssuedV1(notice_id="n-refused", kind="decision", subject_id="dec-refused", enterprise_number=COMPANY,
                            issued_at=decided_at, appeal_deadline=decided_at.date() + timedelta(days=30), pdf_key="k")
    _deliver_appeal(notice, refusal)
    s.ids["subject"] = "dec-refused"
    s.ids["appeal"] = _lodged_appeal(s, "dec-appealed")
    s.ids["admissible_appeal"] = _lodged_appeal(s, "dec-admissible")
    found = s.call("POST", f"/appeals/{s.ids['admissible_appeal']}/admissibility", "appeals",
                   body={"admissible": True, "reasons": []})
    assert found.status == 200, found.text
    for publisher in s.publishers:
        s.known_events.update(e.event_id for e in publisher.published)
        publisher.published.clear()


def ready_application(s: Stack, establishment_number: str) -> str:
    """A draft with everything a submission needs (its mentor's extract uploaded)."""
    created = s.call("POST", "/applications", body=application_body(establishment_number=establishment_number))
    assert created.status == 201, created.text
    app_id = created.body["id"]
    # The mandate too: an intermediary may act on the file (answer, withdraw) only with it on file.
    for document in ({"type": "criminal_record_extract", "filename": "extract.pdf", "mentor_index": 0},
                     {"type": "mandate", "filename": "mandate.pdf"}):
        slot = s.call("POST", f"/applications/{app_id}/documents",
                      body={**document, "content_type": "application/pdf", "size_bytes": 109})
        assert slot.status == 201, slot.text
        key = slot.body["upload_url"].split("uploads.example/")[1].split("?")[0]
        s.intake.documents.objects[key] = b"%PDF-1.7\n" + b"x" * 100
    return app_id


def _lodged_appeal(s: Stack, decision_id: str) -> str:
    """An appeal lodged against a refusal of its own."""
    from kernel.events import DecisionRecordedV1, NoticeIssuedV1

    decided_at = clock.now() - timedelta(days=1)
    refusal = DecisionRecordedV1(
        decision_id=decision_id,
        application_id=f"app-{decision_id}",
        partnership_id=PARTNERSHIP,
        enterprise_number=COMPANY,
        establishment_number=ESTABLISHMENT,
        training_code=TRAINING,
        outcome="refused",
        reasons=["no extract"],
        decided_at=decided_at,
    )
    notice = NoticeIssuedV1(
        notice_id=f"n-{decision_id}",
        kind="decision",
        subject_id=decision_id,
        enterprise_number=COMPANY,
        issued_at=decided_at,
        appeal_deadline=decided_at.date() + timedelta(days=30),
        pdf_key="k",
    )
    _deliver_appeal(notice, refusal)
    lodged = s.call(
        "POST", "/appeals", body={"subject_id": decision_id, "grounds": "The extract was uploaded in time."}
    )
    assert lodged.status == 201, lodged.text
    return lodged.body["id"]


class _Ctx:
    function_name, memory_limit_in_mb, aws_request_id = "hostile", 256, "req-1"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:hostile"


def _sqs(*datas: Any) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m-{i}",
                "receiptHandle": "r",
                "body": envelope_for(d, source="test", correlation_id="c").to_json(),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:q",
                "awsRegion": "eu-west-1",
            }
            for i, d in enumerate(datas)
        ]
    }


def _deliver_appeal(*datas: Any) -> None:
    from appeal.handlers import events

    assert events.handler(_sqs(*datas), _Ctx()) == {"batchItemFailures": []}


def _deliver_intake(*datas: Any) -> None:
    from aws_lambda_powertools import Logger

    from intake.handlers.events import HANDLERS
    from kernel.consumer import handle_envelope
    from kernel.processed import InMemoryProcessedEvents

    for d in datas:
        handle_envelope(envelope_for(d, source="test", correlation_id="c"), handlers=HANDLERS,
                        processed=InMemoryProcessedEvents(), logger=Logger(service="hostile"))

