"""Working mails to partnerships (new files, answers, deadlines, support requests) and companies."""

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

from kernel.events import (
    Contact,
    DecisionDeadlineApproachingV1,
    DecisionDeadlineMissedV1,
    QuestionAnsweredV1,
    QuestionAskedV1,
    RoutingOutcome,
    SupportRequestedV1,
    SupportRequestRoutedV1,
)
from notification import bootstrap


def test_a_routed_application_is_announced_to_its_partnership_once(ports):
    event = routed()
    deliver(ports, event)
    bootstrap.processed_events().ids.clear()  # type: ignore[attr-defined]
    deliver(ports, event)
    (mail,) = ports.mailer.to(PARTNERSHIP_MAIL)
    assert "Bouwbedrijf Peeters NV" in mail.subject and "0403.170.701" in mail.body and "5 maart 2027" in mail.body


def test_the_routing_alone_teaches_the_addressee_and_the_submission_is_not_read_here(ports):
    """Issue 13 point 8: ApplicationRouted carries the snapshot ApplicationSubmitted did."""
    deliver(ports, routed())
    assert ports.store.application("app-1").partnership_id == PARTNERSHIP
    assert ports.store.application("app-1").contact_email == CONTACT
    assert deliver(ports, submitted()) == "ignored"
    assert ports.store.application("app-1").partnership_id == PARTNERSHIP


def test_an_answer_is_announced_to_the_partnership_without_its_content(ports):
    deliver(ports, routed())
    deliver(ports, wrap(QuestionAnsweredV1(
        application_id="app-1", message_id="msg-1", message="Vertrouwelijk antwoord", answered_at=NOW)))
    mail = ports.mailer.to(PARTNERSHIP_MAIL)[-1]
    assert "Antwoord ontvangen" in mail.subject and "Vertrouwelijk" not in mail.body


def test_a_question_is_mailed_to_the_company(ports):
    deliver(ports, routed())
    deliver(ports, wrap(QuestionAskedV1(
        application_id="app-1", question_id="q-1", partnership_id=PARTNERSHIP,
        message="Hoeveel jaar ervaring heeft de mentor?", asked_at=NOW)))
    assert "Hoeveel jaar ervaring" in ports.mailer.to(CONTACT)[-1].body


def test_approaching_and_missed_decision_deadlines_are_mailed_to_the_partnership(ports):
    deliver(ports, wrap(DecisionDeadlineApproachingV1(
        application_id="app-1", partnership_id=PARTNERSHIP, decision_due=date(2027, 3, 5), days_left=3)))
    deliver(ports, wrap(DecisionDeadlineMissedV1(application_id="app-1", partnership_id=PARTNERSHIP,
                                                decision_due=date(2027, 3, 5))))
    subjects = [m.subject for m in ports.mailer.to(PARTNERSHIP_MAIL)]
    assert any("loopt af over 3 dagen" in s for s in subjects) and any("overschreden" in s for s in subjects)
    assert all("app-1" not in m.body for m in ports.mailer.to(PARTNERSHIP_MAIL))


def test_a_support_request_is_passed_on_to_the_partnership(ports):
    request = SupportRequestedV1(
        support_request_id="sr-1", enterprise_number=ENTERPRISE, joint_committee="124", topic="exploratory",
        message="Wij willen graag een verkennend gesprek.", contact=Contact(name="An", email="an@x.example"),
        requested_at=NOW)
    deliver(ports, wrap(SupportRequestRoutedV1(
        support_request_id="sr-1", partnership_id=PARTNERSHIP,
        routing=RoutingOutcome(partnership_id=PARTNERSHIP, rule="joint_committee_exact"), request=request)))
    (mail,) = ports.mailer.to(PARTNERSHIP_MAIL)
    assert "een verkennend gesprek" in mail.subject and "exploratory" not in mail.subject + mail.body
    assert "an@x.example" in mail.body and "verkennend gesprek" in mail.body and "sr-1" not in mail.body


def test_the_template_filter_lets_through_every_bus_event_the_consumer_handles():
    from pathlib import Path

    from localrt.cfn_yaml import load_yaml

    template = load_yaml(Path(__file__).parents[3] / "infra" / "template.yaml")
    allowed = set(template["Resources"]["NotificationSubscription"]["Properties"]["FilterPolicy"]["event_name"])
    from notification.handlers.events import HANDLERS

    timer_only = {"RenewalReminderDue", "MentorTrainingDue"}  # straight from the scheduler to the queue
    assert set(HANDLERS) - timer_only <= allowed


def test_a_withdrawal_is_confirmed_to_the_company_and_told_to_the_partnership_once(ports):
    """Issue 11 point 10: ApplicationWithdrawn sent nothing to either."""
    from kernel.events import Actor, ApplicationWithdrawnV1

    deliver(ports, routed())
    event = wrap(
        ApplicationWithdrawnV1(
            application_id="app-1",
            enterprise_number=ENTERPRISE,
            partnership_id=PARTNERSHIP,
            withdrawn_at=NOW,
            withdrawn_by=Actor(sub="u-1", role="employer"),
        )
    )
    deliver(ports, event)
    bootstrap.processed_events().ids.clear()  # type: ignore[attr-defined]
    deliver(ports, event)  # redelivered: nothing twice
    (to_company,) = [m for m in ports.mailer.to(CONTACT) if "ingetrokken" in m.subject]
    assert "app-1" not in to_company.body and "1 maart 2027" in to_company.body
    assert to_company.body.startswith("Geachte Jan Peeters,") and "ingediend op 19 februari 2027" in to_company.body
    assert "Sectoraal Partnerschap Bouw\nVoorbeeldstraat 3, 1000 Brussel\n" in to_company.body  # signed with address
    assert to_company.body.rstrip().endswith("+32 2 000 00 02\nbouw@example.be")
    (to_partnership,) = [m for m in ports.mailer.to(PARTNERSHIP_MAIL) if "ingetrokken" in m.subject]
    assert "Bouwbedrijf Peeters NV" in to_partnership.subject and "geen beslissing" in to_partnership.body


def test_a_withdrawal_that_overtakes_the_routing_waits_for_it_then_is_confirmed_to_both(ports):
    """The routing follows every submission (and carries the addressee): the withdrawal is retried
    until it is here; the partnership, told of the new file, then hears of its withdrawal too."""
    from kernel.events import ApplicationWithdrawnV1
    from notification.usecases.messages import ApplicationNotYetKnown

    withdrawn = wrap(ApplicationWithdrawnV1(application_id="app-1", enterprise_number=ENTERPRISE, withdrawn_at=NOW))
    with pytest.raises(ApplicationNotYetKnown):
        deliver(ports, withdrawn)
    assert not ports.mailer.sent
    deliver(ports, routed())
    deliver(ports, withdrawn)
    assert [m for m in ports.mailer.to(CONTACT) if "ingetrokken" in m.subject]
    assert [m for m in ports.mailer.to(PARTNERSHIP_MAIL) if "ingetrokken" in m.subject]
