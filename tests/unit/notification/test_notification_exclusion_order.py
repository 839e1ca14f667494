"""Found by the e2e notice story (issue 16): review publishes each RecognitionRevoked of an exclusion
before its MeasureImposed, and the bus does not keep order, so notification may learn the revocations
first. The exclusion notice must still list the recognitions it ends (review names them)."""

from notification_support import (
    ENTERPRISE,
    ESTABLISHMENT,
    NOW,
    PARTNERSHIP,
    TRAINING,
    deliver,
    granted,
    pdf_text,
    routed,
    wrap,
)

from kernel.events import MeasureImposedV1, RecognitionRevokedV1


def test_the_exclusion_notice_lists_what_it_ended_even_when_the_revocations_came_first(ports):
    deliver(ports, routed())
    deliver(ports, granted("rec-1"))
    deliver(ports, wrap(RecognitionRevokedV1(
        recognition_id="rec-1", partnership_id=PARTNERSHIP, enterprise_number=ENTERPRISE,
        establishment_number=ESTABLISHMENT, training_code=TRAINING, effective_on=NOW.date(), measure_id="m-exc")))
    deliver(ports, wrap(MeasureImposedV1(
        measure_id="m-exc", type="exclusion", partnership_id=PARTNERSHIP, enterprise_number=ENTERPRISE,
        recognition_id="rec-1", reason="Ernstige tekortkomingen.", appealable=True, imposed_at=NOW,
        details={"scope": "enterprise", "starts_on": NOW.date().isoformat(), "until": None,
                 "establishment_number": None, "revoked_recognition_ids": ["rec-1"]})))
    notice = [s for s in ports.mailer.sent if s.attachment][-1]
    text = " ".join(pdf_text(notice.attachment).split())
    assert "worden daardoor de volgende erkenningen opgeheven" in text
    assert "vestigingseenheid 2123.456.791" in text and "geen lopende erkenning" not in text
