"""Bus edge of the intake service: one envelope per SQS record, partial batch responses."""

import importlib
from typing import Any

from aws_lambda_powertools import Logger

from intake import bootstrap
from kernel.consumer import EventHandler, consume_batch
from kernel.envelope import Envelope
from kernel.events import EventData

logger = Logger(service="intake")


def _with_ports(*steps: str) -> EventHandler:
    """Run use cases named "module.function" (under intake.usecases), imported at the first
    event: the use cases and adapters stay out of the cold start's import time."""

    def handle(envelope: Envelope, data: EventData) -> None:
        for step in steps:
            use_case(step)(bootstrap.ports(), envelope, data)

    handle.steps = steps  # type: ignore[attr-defined]
    return handle


def use_case(step: str) -> Any:
    module, function = step.split(".")
    return getattr(importlib.import_module(f"intake.usecases.{module}"), function)


def _on_purge_due(envelope: Envelope, data: EventData) -> None:
    purged = use_case("retention.on_purge_due")(bootstrap.ports(), envelope, data)
    # Ids and types only: the audit record of each deletion is in the access log (intake table).
    logger.info("sensitive documents purged", extra={"application_id": getattr(data, "application_id", None),
                                                     "document_ids": purged})


HANDLERS: dict[str, EventHandler] = {
    "ApplicationRouted": _with_ports("reactions.on_application_routed"),
    "QuestionAsked": _with_ports("reactions.on_question_asked"),
    "SiteVisitPlanned": _with_ports("reactions.on_site_visit_planned"),
    "DecisionRecorded": _with_ports("reactions.on_decision_recorded", "retention.on_decision_recorded"),
    "RecognitionGranted": _with_ports("reactions.on_recognition_granted"),
    "RecognitionRevoked": _with_ports("reactions.on_recognition_revoked"),
    "RecognitionExpired": _with_ports("reactions.on_recognition_expired"),
    "RecognitionRestored": _with_ports("reactions.on_recognition_restored"),
    "MeasureImposed": _with_ports("reactions.on_measure_imposed"),
    "AppealDecided": _with_ports("reactions.on_appeal_decided", "retention.on_appeal_decided"),
    "NoticeIssued": _with_ports("retention.on_notice_issued"),
    "AppealLodged": _with_ports("retention.on_appeal_lodged"),
    "AppealAdmissibilityDecided": _with_ports("retention.on_appeal_admissibility_decided"),
    "SensitiveDocumentsPurgeDue": _on_purge_due,
}


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=bootstrap.processed_events(), logger=logger)
