"""Bus edge of the intake service: one envelope per SQS record, partial batch responses."""

from typing import Any

from aws_lambda_powertools import Logger

from intake import bootstrap
from kernel.consumer import EventHandler, consume_batch, resolve_use_case, use_cases
from kernel.envelope import Envelope
from kernel.events import EventData

logger = Logger(service="intake")


def _with_ports(*steps: str) -> EventHandler:
    return use_cases("intake.usecases", lambda: bootstrap.ports(), *steps)  # late-bound: tests swap ports


def use_case(step: str) -> Any:
    return resolve_use_case("intake.usecases", step)


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
