"""The sender's postal address and phone number (issue 16 point 9: the partnership's address and
phone) on every notice's letterhead and in every mail's signature; the values are sample data,
marked as such in partnerships.json, since no source gives them."""

from datetime import date

import pytest
from notification_support import (
    CONTACT,
    ENTERPRISE,
    NOW,
    PARTNERSHIP,
    decided,
    deliver,
    pdf_text,
    routed,
    wrap,
)

from kernel.events import AppealLodgedV1
from reference.partnerships import partnership, partnership_table


def test_every_partnership_has_an_address_and_a_phone_marked_as_sample_data():
    for found in partnership_table().partnerships:
        assert found.postal_address and found.phone, found.id
        assert found.contact_source.startswith("SAMPLE VALUE"), found.id


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_letterhead_and_the_signature_carry_the_senders_address_and_phone(ports, language):
    deliver(ports, routed(language=language))
    deliver(ports, decided("refused"))
    deliver(ports, wrap(AppealLodgedV1(appeal_id="ap-1", subject_id="dec-1", subject_kind="decision",
                                       enterprise_number=ENTERPRISE, partnership_id=PARTNERSHIP,
                                       grounds="De mentor heeft wel vijf jaar ervaring.", lodged_at=NOW,
                                       acknowledgement_due=date(2027, 3, 11), status="inadmissible",
                                       inadmissible_reasons=["deadline_passed"])))  # answered at once
    bouw, vpdl = partnership(PARTNERSHIP), partnership("vpdl")
    kinds = {n.kind: n for n in ports.store.notices.values()}
    assert {"acknowledgement", "refusal", "appeal_acknowledgement"} <= set(kinds)
    for kind, notice in kinds.items():
        sender = vpdl if kind.startswith("appeal_") else bouw
        text = pdf_text(ports.archive.objects[notice.pdf_key])
        head = text[:400]  # the letterhead comes first, before the addressee and the body
        assert sender.postal_address in head and sender.phone in head, (kind, head)
        (sent,) = [s for s in ports.mailer.sent if s.mail.attachment_name == f"{notice.reference}.pdf"]
        signature = sent.mail.body.rsplit("\n\n", 1)[-1]
        assert sender.name in signature and sender.postal_address in signature and sender.phone in signature, (
            kind, signature)
        assert sent.mail.to == CONTACT
