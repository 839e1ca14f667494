"""Bus edge of the intake service: one envelope per SQS record, partial batch responses."""

from aws_lambda_powertools import Logger

from intake import bootstrap
from intake.usecases import reactions, retention
from kernel import coldstart
from kernel.consumer import consume_batch, handler_map, on
from kernel.envelope import Envelope
from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    ApplicationRoutedV1,
    DecisionRecordedV1,
    MeasureImposedV1,
    NoticeDeliveryFailedV1,
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


def _application_routed(envelope: Envelope, data: ApplicationRoutedV1) -> None:
    reactions.on_application_routed(bootstrap.ports(), envelope, data)


def _question_asked(envelope: Envelope, data: QuestionAskedV1) -> None:
    reactions.on_question_asked(bootstrap.ports(), envelope, data)


def _site_visit_planned(envelope: Envelope, data: SiteVisitPlannedV1) -> None:
    reactions.on_site_visit_planned(bootstrap.ports(), envelope, data)


def _decision_recorded(envelope: Envelope, data: DecisionRecordedV1) -> None:
    reactions.on_decision_recorded(bootstrap.ports(), envelope, data)  # one write, with the event's marker


def _recognition_granted(envelope: Envelope, data: RecognitionGrantedV1) -> None:
    ports = bootstrap.ports()
    reactions.on_recognition_granted(ports, envelope, data)
    reactions.on_recognised_on_appeal(ports, envelope, data)


def _recognition_revoked(envelope: Envelope, data: RecognitionRevokedV1) -> None:
    reactions.on_recognition_revoked(bootstrap.ports(), envelope, data)


def _recognition_expired(envelope: Envelope, data: RecognitionExpiredV1) -> None:
    reactions.on_recognition_expired(bootstrap.ports(), envelope, data)


def _recognition_restored(envelope: Envelope, data: RecognitionRestoredV1) -> None:
    reactions.on_recognition_restored(bootstrap.ports(), envelope, data)


def _measure_imposed(envelope: Envelope, data: MeasureImposedV1) -> None:
    reactions.on_measure_imposed(bootstrap.ports(), envelope, data)


def _notice_issued(envelope: Envelope, data: NoticeIssuedV1) -> None:
    retention.on_notice_issued(bootstrap.ports(), envelope, data)


def _notice_undelivered(envelope: Envelope, data: NoticeDeliveryFailedV1) -> None:
    retention.on_notice_undelivered(bootstrap.ports(), envelope, data)


# Retention first: its facts are safe to repeat, and the employer's view may raise to be retried
# until the decision it is about has reached intake.
def _appeal_lodged(envelope: Envelope, data: AppealLodgedV1) -> None:
    ports = bootstrap.ports()
    retention.on_appeal_lodged(ports, envelope, data)
    reactions.on_appeal_lodged(ports, envelope, data)


def _appeal_admissibility_decided(envelope: Envelope, data: AppealAdmissibilityDecidedV1) -> None:
    ports = bootstrap.ports()
    retention.on_appeal_admissibility_decided(ports, envelope, data)
    reactions.on_appeal_admissibility_decided(ports, envelope, data)


def _appeal_decided(envelope: Envelope, data: AppealDecidedV1) -> None:
    ports = bootstrap.ports()
    retention.on_appeal_decided(ports, envelope, data)
    reactions.on_appeal_decided(ports, envelope, data)


def _purge_due(envelope: Envelope, data: SensitiveDocumentsPurgeDueV1) -> None:
    purged = retention.on_purge_due(bootstrap.ports(), envelope, data)
    # Ids and types only: the audit record of each deletion is in the access log (intake table).
    logger.info("sensitive documents purged", extra={"application_id": data.application_id, "document_ids": purged})


# checks_marker=False: the handler is safe to repeat whole and its last write carries the event's
# marker, which finds a copy (kernel.consumer: no read before it).
HANDLERS = handler_map(
    on(ApplicationRoutedV1, _application_routed, checks_marker=False),
    on(QuestionAskedV1, _question_asked),
    on(SiteVisitPlannedV1, _site_visit_planned),
    on(DecisionRecordedV1, _decision_recorded, checks_marker=False),
    on(RecognitionGrantedV1, _recognition_granted, checks_marker=False, applies=reactions.grant_adds_to_its_decision),
    on(RecognitionRevokedV1, _recognition_revoked),
    on(RecognitionExpiredV1, _recognition_expired),
    on(RecognitionRestoredV1, _recognition_restored),
    on(MeasureImposedV1, _measure_imposed),
    on(AppealDecidedV1, _appeal_decided),
    on(NoticeIssuedV1, _notice_issued, applies=retention.notice_sets_a_deadline),
    on(NoticeDeliveryFailedV1, _notice_undelivered, applies=retention.notice_sets_a_deadline),
    on(AppealLodgedV1, _appeal_lodged),
    on(AppealAdmissibilityDecidedV1, _appeal_admissibility_decided),
    on(SensitiveDocumentsPurgeDueV1, _purge_due),
)


@coldstart.entry
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict, context: object) -> dict:
    return consume_batch(event, context, handlers=HANDLERS, processed=bootstrap.processed_events(), logger=logger)
