"""Bus edge of the intake service: one envelope per SQS record, partial batch responses."""

from typing import Any

from aws_lambda_powertools import Logger

from intake import bootstrap
from kernel.consumer import EventHandler, consume_batch, handler_map, on, resolve_use_case, use_cases
from kernel.envelope import Envelope
from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    ApplicationRoutedV1,
    DecisionRecordedV1,
    MeasureImposedV1,
    NoticeIssuedV1,
    QuestionAskedV1,
    RecognitionExpiredV1,
    RecognitionGrantedV1,
    RecognitionRestoredV1,
    RecognitionRevokedV1,
    SensitiveDocumentsPurgeDueV1,
    SiteVisitPlannedV1,
)

logger = Logger(service="intake")


def _with_ports(*steps: str) -> EventHandler:
    return use_cases("intake.usecases", lambda: bootstrap.ports(), *steps)  # late-bound: tests swap ports


def use_case(step: str) -> Any:
    return resolve_use_case("intake.usecases", step)


def _on_purge_due(envelope: Envelope, data: SensitiveDocumentsPurgeDueV1) -> None:
    purged = use_case("retention.on_purge_due")(bootstrap.ports(), envelope, data)
    # Ids and types only: the audit record of each deletion is in the access log (intake table).
    logger.info("sensitive documents purged", extra={"application_id": data.application_id, "document_ids": purged})


HANDLERS = handler_map(
    on(ApplicationRoutedV1, _with_ports("reactions.on_application_routed")),
    on(QuestionAskedV1, _with_ports("reactions.on_question_asked")),
    on(SiteVisitPlannedV1, _with_ports("reactions.on_site_visit_planned")),
    on(DecisionRecordedV1, _with_ports("reactions.on_decision_recorded", "retention.on_decision_recorded")),
    on(RecognitionGrantedV1, _with_ports("reactions.on_recognition_granted")),
    on(RecognitionRevokedV1, _with_ports("reactions.on_recognition_revoked")),
    on(RecognitionExpiredV1, _with_ports("reactions.on_recognition_expired")),
    on(RecognitionRestoredV1, _with_ports("reactions.on_recognition_restored")),
    on(MeasureImposedV1, _with_ports("reactions.on_measure_imposed")),
    on(AppealDecidedV1, _with_ports("reactions.on_appeal_decided", "retention.on_appeal_decided")),
    on(NoticeIssuedV1, _with_ports("retention.on_notice_issued")),
    on(AppealLodgedV1, _with_ports("retention.on_appeal_lodged")),
    on(AppealAdmissibilityDecidedV1, _with_ports("retention.on_appeal_admissibility_decided")),
    on(SensitiveDocumentsPurgeDueV1, _on_purge_due),
)


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=bootstrap.processed_events(), logger=logger)
