"""The working mails to partnership staff read as letters too (issue 16): a greeting that names the
partnership, the file's reference (the acknowledgement's "ons kenmerk", which the company's mails quote as
well), and a signature with the platform operator's postal address, phone and e-mail, like the company
mails' signature of their partnership."""

from datetime import date

import pytest
from notification_support import (
    CONTACT,
    ENTERPRISE,
    NOW,
    PARTNERSHIP,
    PARTNERSHIP_MAIL,
    deliver,
    routed,
    submitted,
    wrap,
)
from testkit.notices import REFERENCE, assert_clean

from kernel.events import (
    Actor,
    ApplicationWithdrawnV1,
    Contact,
    DecisionDeadlineApproachingV1,
    DecisionDeadlineMissedV1,
    QuestionAnsweredV1,
    QuestionAskedV1,
    RoutingOutcome,
    SupportRequestedV1,
    SupportRequestRoutedV1,
)

GREETING = "Beste collega's van Sectoraal Partnerschap Bouw,\n\n"
# The platform's operator (the VPDL, reference.partnerships' fallback) signs, with how to reach it.
SIGNATURE = ("Met vriendelijke groeten,\nHet platform leerwerkplekken (automatisch bericht)\n"
             "Vlaams Partnerschap Duaal Leren\nVoorbeeldstraat 1, 1000 Brussel\nTel. +32 2 000 00 00\n"
             "vpdl@example.be\n")


def _file_events(ports) -> None:
    deliver(ports, submitted())
    deliver(ports, routed())  # the new file, and the acknowledgement to the company
    deliver(ports, wrap(QuestionAskedV1(application_id="app-1", question_id="q-1", partnership_id=PARTNERSHIP,
                                        message="Hoeveel jaar ervaring heeft de mentor?", asked_at=NOW)))
    deliver(ports, wrap(QuestionAnsweredV1(application_id="app-1", message_id="msg-1", message="Tien jaar.",
                                           answered_at=NOW)))
    deliver(ports, wrap(DecisionDeadlineApproachingV1(application_id="app-1", partnership_id=PARTNERSHIP,
                                                      decision_due=date(2027, 3, 5), days_left=3)))
    deliver(ports, wrap(DecisionDeadlineMissedV1(application_id="app-1", partnership_id=PARTNERSHIP,
                                                 decision_due=date(2027, 3, 5))))
    deliver(ports, wrap(ApplicationWithdrawnV1(application_id="app-1", enterprise_number=ENTERPRISE,
                                               partnership_id=PARTNERSHIP, withdrawn_at=NOW,
                                               withdrawn_by=Actor(sub="u-1", role="employer"))))


@pytest.fixture
def file_reference(ports) -> str:
    _file_events(ports)
    (acknowledgement,) = [n for n in ports.store.notices.values() if n.kind == "acknowledgement"]
    return acknowledgement.reference


def test_every_mail_about_a_file_greets_the_partnership_quotes_the_file_and_is_signed_with_an_address(
        ports, file_reference):
    staff = ports.mailer.to(PARTNERSHIP_MAIL)
    assert len(staff) == 5, [m.subject for m in staff]  # new file, answer, two deadlines, withdrawal
    for mail in staff:
        assert mail.body.startswith(GREETING), mail.body[:80]
        assert mail.body.endswith(SIGNATURE), mail.body[-300:]
        assert f"Kenmerk van het dossier: {file_reference}" in mail.body, (mail.subject, mail.body)
        assert mail.reply_to == "vpdl@example.be", mail.subject
        assert_clean(mail.subject + "\n" + mail.body, mail.subject, ("app-1", ENTERPRISE))


def test_the_company_mails_about_its_file_quote_the_reference_its_acknowledgement_gave(ports, file_reference):
    letters = [m for m in ports.mailer.to(CONTACT) if m.attachment_name is None]
    assert {"Vraag", "Uw"} == {m.subject.split()[0] for m in letters}, [m.subject for m in letters]
    for mail in letters:
        assert f"Kenmerk van uw dossier: {file_reference}" in mail.body, (mail.subject, mail.body)
        assert REFERENCE.fullmatch(file_reference)


def test_a_support_request_and_an_undelivered_notice_are_letters_to_the_partnership_too(ports):
    request = SupportRequestedV1(
        support_request_id="sr-1", enterprise_number=ENTERPRISE, joint_committee="124", topic="exploratory",
        message="Wij willen graag een verkennend gesprek.", contact=Contact(name="An", email="an@x.example"),
        requested_at=NOW)
    deliver(ports, wrap(SupportRequestRoutedV1(
        support_request_id="sr-1", partnership_id=PARTNERSHIP,
        routing=RoutingOutcome(partnership_id=PARTNERSHIP, rule="joint_committee_exact"), request=request)))
    deliver(ports, submitted(contact=None))
    deliver(ports, routed(contact=None))  # its acknowledgement has no address to go to
    (support,) = [m for m in ports.mailer.to(PARTNERSHIP_MAIL) if "ondersteuning" in m.subject]
    (undelivered,) = [m for m in ports.mailer.to(PARTNERSHIP_MAIL) if "niet bezorgd" in m.subject]
    for mail in (support, undelivered):
        assert mail.body.startswith(GREETING) and mail.body.endswith(SIGNATURE), mail.body
    (acknowledgement,) = [n for n in ports.store.notices.values() if n.kind == "acknowledgement"]
    assert f"kenmerk {acknowledgement.reference}" in undelivered.body
