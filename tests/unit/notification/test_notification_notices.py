"""Each kind of official notice, opened as a PDF: what it says, and the appeal route only when the
decision can be appealed."""

from datetime import UTC, date, datetime

import pytest
from notification_support import (
    CONTACT,
    ENTERPRISE,
    ESTABLISHMENT,
    MENTOR_NRN,
    NOW,
    PARTNERSHIP,
    TRAINING_NAME,
    decided,
    deliver,
    granted,
    pdf_text,
    routed,
    wrap,
)
from testkit.clock import Clock

from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    MeasureImposedV1,
    RecognitionExpiredV1,
    RecognitionRestoredV1,
)
from notification import bootstrap
from notification.domain.texts import long_date

APPEAL_ROUTE = "beroepscommissie van het Vlaams Partnerschap Duaal Leren"
# Dispatched on NOW (1 March 2027); policy: received the same day, 10 calendar days to appeal.
DEADLINE = date(2027, 3, 11)


def last_notice(ports):
    sent = ports.mailer.sent[-1]
    return sent, pdf_text(sent.attachment)


def issued(ports):
    return [e for e in ports.publisher.published if e.event_name == "NoticeIssued"]


def file_application(ports):
    deliver(ports, routed())


def assert_common_parts(text):
    assert "0403.170.701" in text and "2123.456.791" in text
    assert "Bouwbedrijf Peeters NV" in text
    assert "Datum van verzending: 1 maart 2027" in text
    assert "Ons kenmerk: DL-2027-" in text
    assert "Decreet van 10 juni 2016" in text and "8 juli 2016" in text and "20 november 2020" in text


def reference_of(ports, kind):
    return next(n.reference for n in ports.store.notices.values() if n.kind == kind)


def assert_appeal_route(text, reference):
    assert APPEAL_ROUTE in text and "via de beroepscoördinator" in text
    assert "per e-mail aan beroep@duaal-leren.example.be" in text and "met een aangetekende brief aan" in text
    assert "Het beroep is gemotiveerd" in text
    assert "binnen 10 kalenderdagen na ontvangst" in text
    assert f"De laatste dag om beroep in te stellen is {long_date('nl', DEADLINE)}" in text
    assert f"Vermeld het kenmerk {reference}" in text


def assert_no_appeal_route(text):
    assert "Beroepsmogelijkheid" not in text and "aangetekende brief aan Vlaams" not in text
    assert "De laatste dag om beroep in te stellen" not in text


def test_a_routed_application_is_acknowledged_by_its_partnership_without_an_appeal_route(ports):
    deliver(ports, routed())
    sent, text = ports.mailer.to(CONTACT)[-1], pdf_text(ports.mailer.sent[0].attachment)
    assert sent.to == CONTACT
    assert "Ontvangstbevestiging van uw aanvraag" in text and "5 maart 2027" in text
    assert "Sectoraal Partnerschap Bouw bevestigt" in text and "Afzender: Sectoraal Partnerschap Bouw" in text
    assert_common_parts(text)
    assert_no_appeal_route(text)
    assert issued(ports)[0].data["subject_id"] == "app-1" and issued(ports)[0].data["appeal_deadline"] is None


def test_an_approval_names_the_validity_and_the_mentors_but_never_their_register_numbers(ports):
    file_application(ports)
    deliver(ports, decided("approved"))
    sent, text = last_notice(ports)
    assert "Sectoraal Partnerschap Bouw erkent Bouwbedrijf Peeters NV" in text
    assert "van 1 maart 2027 tot en met 29 februari 2032" in text
    assert "Els Janssens" in text and TRAINING_NAME in text
    assert MENTOR_NRN not in text and MENTOR_NRN not in sent.mail.body
    assert "Sectoraal Partnerschap Bouw" in text
    assert_common_parts(text)
    assert_no_appeal_route(text)
    event = issued(ports)[-1].data
    assert (event["kind"], event["subject_id"], event["appeal_deadline"]) == ("approval", "dec-1", None)


def test_a_refusal_gives_its_reasons_and_the_appeal_route_with_the_last_day(ports):
    file_application(ports)
    deliver(ports, decided("refused"))
    sent, text = last_notice(ports)
    assert "Sectoraal Partnerschap Bouw weigert de erkenning van Bouwbedrijf Peeters NV" in text
    assert "Geen mentor met vijf jaar ervaring." in text and "Uitrusting onvoldoende." in text
    assert "niet aan deze voorwaarden is voldaan" in text  # tied to the conditions of DOMAIN.md section 2
    assert_common_parts(text)
    assert_appeal_route(text, reference_of(ports, "refusal"))
    from kernel.identifiers import act_reference

    assert reference_of(ports, "refusal") == act_reference("dec-1", 2027)  # what POST /appeals resolves
    assert "11 maart 2027" in sent.mail.body
    event = issued(ports)[-1]
    assert event.data["kind"] == "refusal" and event.data["subject_id"] == "dec-1"
    assert event.data["appeal_deadline"] == "2027-03-11"
    assert event.correlation_id == "corr-1" and event.data["partnership_id"] == PARTNERSHIP


def measure(kind: str, measure_id: str = "m-1", **changes):
    values = dict(
        measure_id=measure_id,
        type=kind,
        partnership_id=PARTNERSHIP,
        enterprise_number=ENTERPRISE,
        establishment_number=ESTABLISHMENT,
        recognition_id="rec-1",
        reason="Geen lerende begeleid volgens het opleidingsplan.",
        details={"mentor_name": "Els Janssens", "trainings": ["ruwbouw-duaal"], "note": MENTOR_NRN,
                 "effective_on": "2027-03-01", "scope": "establishment", "establishment_number": ESTABLISHMENT,
                 "plan": f"Mentor {MENTOR_NRN} begeleiden", "due_date": "2027-06-01"},
        appealable=kind != "guidance",
        imposed_at=NOW,
    )
    values.update(changes)
    return wrap(MeasureImposedV1(**values))


@pytest.mark.parametrize(
    ("kind", "title", "appealable"),
    [
        ("guidance", "Beslissing: begeleidingsactie", False),
        ("mentor_ban", "Beslissing: sanctie mentorverbod", True),
        ("revocation", "Beslissing: sanctie opheffing van de erkenning", True),
        ("exclusion", "Beslissing: sanctie uitsluiting", True),
    ],
)
def test_each_measure_has_its_notice_and_only_sanctions_can_be_appealed(ports, kind, title, appealable):
    file_application(ports)
    deliver(ports, granted())
    deliver(ports, measure(kind))
    sent, text = last_notice(ports)
    assert title in text and "Geen lerende begeleid volgens het opleidingsplan." in text
    assert MENTOR_NRN not in text and "True" not in text and "None" not in text
    assert_common_parts(text)
    event = issued(ports)[-1].data
    assert event["subject_id"] == "m-1" and event["kind"] == kind
    if appealable:
        assert_appeal_route(text, reference_of(ports, kind))
        assert event["appeal_deadline"] == "2027-03-11"
    else:
        assert_no_appeal_route(text)
        assert event["appeal_deadline"] is None


def lodged(status="lodged", reasons=()):
    return wrap(
        AppealLodgedV1(
            appeal_id="ap-1",
            subject_id="dec-1",
            subject_kind="decision",
            enterprise_number=ENTERPRISE,
            partnership_id=PARTNERSHIP,
            grounds="De mentor heeft wel vijf jaar ervaring.",
            lodged_at=NOW,
            acknowledgement_due=date(2027, 3, 11),
            status=status,
            inadmissible_reasons=list(reasons),
        )
    )


def test_a_late_appeal_is_acknowledged_at_once_as_inadmissible_with_its_reasons(ports):
    file_application(ports)
    deliver(ports, decided("refused"))
    deliver(ports, lodged("inadmissible", ["deadline_passed"]))
    sent, text = last_notice(ports)
    assert sent.mail.to == CONTACT
    assert "Ontvangstbevestiging van uw beroep" in text and "niet ontvankelijk" in text
    assert "na het verstrijken van de beroepstermijn" in text and "deadline_passed" not in text
    assert "Raad van State" in text
    assert "Vlaams Partnerschap Duaal Leren" in text
    assert_no_appeal_route(text)
    assert issued(ports)[-1].data["subject_id"] == "ap-1"


def test_a_lodged_appeal_waits_for_the_admissibility_decision_before_its_acknowledgement(ports):
    file_application(ports)
    deliver(ports, decided("refused"))
    mails_before = len(ports.mailer.sent)
    deliver(ports, lodged())
    assert len(ports.mailer.sent) == mails_before
    deliver(
        ports,
        wrap(
            AppealAdmissibilityDecidedV1(
                appeal_id="ap-1", subject_id="dec-1", enterprise_number=ENTERPRISE, admissible=True, decided_at=NOW
            )
        ),
    )
    _, text = last_notice(ports)
    assert "Het beroep is ontvankelijk" in text and reference_of(ports, "refusal") in text and "dec-1" not in text
    assert "Raad van State" not in text
    assert_no_appeal_route(text)
    assert issued(ports)[-1].data["partnership_id"] == PARTNERSHIP


@pytest.mark.parametrize(("outcome", "says"), [("upheld", "gegrond"), ("dismissed", "ongegrond")])
def test_the_appeal_decision_is_notified_with_the_council_of_state_as_the_further_remedy(ports, outcome, says):
    file_application(ports)
    deliver(ports, decided("refused"))
    deliver(ports, lodged())
    deliver(
        ports,
        wrap(
            AppealDecidedV1(
                appeal_id="ap-1",
                subject_id="dec-1",
                subject_kind="decision",
                enterprise_number=ENTERPRISE,
                outcome=outcome,
                reasons=["De mentor voldoet."],
                decided_at=NOW,
            )
        ),
    )
    sent, text = last_notice(ports)
    assert "Beslissing van de beroepscommissie over uw beroep" in text and "De mentor voldoet." in text
    assert f"(kenmerk {reference_of(ports, 'refusal')}) {says}." in text
    assert sent.mail.to == CONTACT
    assert_no_appeal_route(text)
    assert "Raad van State" in text and "binnen 60 dagen" in text


def test_the_expiry_of_a_recognition_is_notified(ports):
    file_application(ports)
    deliver(ports, granted())
    deliver(
        ports,
        wrap(
            RecognitionExpiredV1(
                recognition_id="rec-1",
                partnership_id=PARTNERSHIP,
                enterprise_number=ENTERPRISE,
                establishment_number=ESTABLISHMENT,
                training_code="ruwbouw-duaal",
                expired_on=date(2032, 3, 1),  # the first day after valid_until, as review sends it
            )
        ),
    )
    sent, text = last_notice(ports)
    assert "einde van de geldigheid van uw erkenning" in text and TRAINING_NAME in text
    assert "was geldig tot en met 29 februari 2032. Vanaf 1 maart 2032 is ze niet meer geldig" in text
    assert_no_appeal_route(text)
    assert issued(ports)[-1].data["subject_id"] == "rec-1"


def test_a_restoration_after_an_upheld_appeal_is_notified(ports):
    file_application(ports)
    deliver(ports, granted())
    deliver(
        ports,
        wrap(
            RecognitionRestoredV1(
                recognition_id="rec-1",
                partnership_id=PARTNERSHIP,
                enterprise_number=ENTERPRISE,
                establishment_number=ESTABLISHMENT,
                training_code="ruwbouw-duaal",
                valid_until=date(2032, 2, 29),
                appeal_id="ap-9",
                restored_at=NOW,
            )
        ),
    )
    _, text = last_notice(ports)
    assert "herstel van uw erkenning" in text and "opnieuw geldig, tot en met 29 februari 2032" in text
    assert issued(ports)[-1].data["subject_id"] == "ap-9"


def test_notices_can_be_written_in_english(ports):
    from dataclasses import replace

    ports = replace(ports, language="en")
    file_application(ports)
    deliver(ports, decided("refused"))
    sent, text = last_notice(ports)
    assert "Decision: refusal" in text and "Legal basis" in text and "Decree of 10 June 2016" in text
    assert "appeal committee of the Vlaams Partnerschap Duaal Leren" in text
    assert "The last day to appeal is 11 March 2027" in text
    assert "Enterprise number 0403.170.701" in text
    assert sent.mail.body.startswith("Dear Jan Peeters")


def test_a_duplicated_event_gives_one_notice_and_one_mail(ports):
    file_application(ports)
    event = decided("refused")
    deliver(ports, event)
    bootstrap.processed_events().ids.clear()  # type: ignore[attr-defined]  # as if the marker write was lost after handling
    deliver(ports, event)
    deliver(ports, decided("refused"))  # the same decision republished under another event id
    refusals = [m for m in ports.mailer.to(CONTACT) if "weigering" in m.subject]
    assert len(refusals) == 1
    assert [n.kind for n in ports.store.notices.values()].count("refusal") == 1
    assert len(ports.archive.objects) == 2  # acknowledgement + refusal
    assert ports.archive.refused  # the second write was refused, the first PDF kept
    assert len({e.event_id for e in issued(ports) if e.data["kind"] == "refusal"}) == 1


def test_the_notice_mail_carries_the_pdf_and_a_download_link(ports):
    file_application(ports)
    deliver(ports, decided("refused"))
    sent = ports.mailer.sent[-1]
    assert sent.attachment.startswith(b"%PDF") and sent.mail.attachment_name.endswith(".pdf")
    key = next(k for k, n in ((n.pdf_key, n) for n in ports.store.notices.values()) if n.kind == "refusal")
    assert key in sent.mail.body and ports.archive.objects[key] == sent.attachment


def test_a_failed_send_is_retried_and_then_sent_once(ports):
    file_application(ports)
    ports.mailer.fail_next = True
    event = decided("refused")
    with pytest.raises(ConnectionError):
        deliver(ports, event)
    deliver(ports, event)
    assert len([m for m in ports.mailer.to(CONTACT) if "weigering" in m.subject]) == 1


def test_a_decision_for_an_unknown_application_is_archived_and_listed_without_assuming_its_receipt(ports):
    deliver(ports, decided("refused", application_id="app-unknown"))
    notice = next(iter(ports.store.notices.values()))
    assert notice.enterprise_number == ENTERPRISE and notice.appeal_deadline is None
    text = pdf_text(ports.archive.objects[notice.pdf_key])
    assert "de ontvangst wordt niet verondersteld" in text and "De laatste dag om beroep" not in text
    (flag,) = ports.mailer.sent  # the partnership is told the company could not be reached
    assert flag.mail.to == "bouw@example.be" and notice.reference in flag.mail.body


def test_the_dispatch_date_is_the_brussels_date(ports, kernel_clock):
    kernel_clock.at(datetime(2027, 3, 1, 23, 30, tzinfo=UTC))  # 2 March in Brussels
    file_application(ports)
    deliver(ports, decided("refused"))
    _, text = last_notice(ports)
    assert "Datum van verzending: 2 maart 2027" in text and "12 maart 2027" in text


def _dispatch_on(instant):
    Clock().at(instant)


def test_an_appeal_window_ending_on_a_saturday_moves_to_monday_and_the_notice_says_why(ports):
    _dispatch_on(datetime(2027, 3, 3, 9, 0, tzinfo=UTC))  # Wednesday: ten days end on Saturday 13 March
    file_application(ports)
    deliver(ports, decided("refused"))
    sent, text = last_notice(ports)
    assert "De laatste dag om beroep in te stellen is 15 maart 2027" in text
    assert "De termijn eindigt hier op zaterdag 13 maart 2027, geen werkdag" in text
    assert "de laatste dag is daarom maandag 15 maart 2027" in text
    assert "artikel 53 van het Gerechtelijk Wetboek" in text
    assert "15 maart 2027" in sent.mail.body
    assert issued(ports)[-1].data["appeal_deadline"] == "2027-03-15"
    [notice] = [n for n in ports.store.notices.values() if n.kind == "refusal"]
    assert notice.appeal_deadline == date(2027, 3, 15)


def test_an_appeal_window_ending_on_easter_monday_moves_to_tuesday_in_english(ports):
    from dataclasses import replace

    ports = replace(ports, language="en")
    _dispatch_on(datetime(2027, 3, 19, 9, 0, tzinfo=UTC))  # ten days end on Easter Monday 29 March 2027
    file_application(ports)
    deliver(ports, decided("refused"))
    _, text = last_notice(ports)
    assert "The last day to appeal is 30 March 2027" in text
    assert "Monday 29 March 2027, which is not a working day" in text
    assert "the last day is therefore Tuesday 30 March 2027" in text
    assert "article 53 of the Judicial Code" in text


def test_a_deadline_on_a_working_day_is_not_said_to_move(ports):
    file_application(ports)
    deliver(ports, decided("refused"))
    _, text = last_notice(ports)
    assert "De laatste dag om beroep in te stellen is 11 maart 2027" in text and "geen werkdag;" not in text


def test_a_company_that_chose_english_gets_english_notices_with_the_authentic_dutch_text(ports):
    """Issue 16 point 8: the language is the application's (its contact's), not the deployment's."""
    from kernel.events import Contact

    english = Contact(name="Jan Peeters", email=CONTACT, language="en")
    deliver(ports, routed(contact=english))
    deliver(ports, decided("refused"))
    sent, text = last_notice(ports)
    assert sent.mail.subject.startswith("Decision: refusal") and sent.mail.body.startswith("Dear Jan Peeters")
    assert "English translation. The authentic text of this notice is the Dutch one" in text
    assert "weigert de erkenning van Bouwbedrijf Peeters NV" in text  # the Dutch text follows
    assert ports.language == "nl"


def test_the_application_takes_nl_or_en_as_its_language():
    from pydantic import ValidationError

    from intake.domain.requests import ContactIn

    assert ContactIn(language="en").language == "en" and ContactIn().language is None
    with pytest.raises(ValidationError):
        ContactIn(language="fr")


def test_a_refusal_counts_its_appeal_window_by_the_policy_pinned_on_the_application(ports):
    """The policy changed after submission (issue 11: every term follows the policy pinned at
    submission): the refusal's notice keeps the window the application was judged by."""
    from notification_support import PARTNERSHIP, decided, deliver, routed

    from reference.policy import policy

    pinned = policy().for_partnership(PARTNERSHIP).snapshot()
    pinned["values"] = {**pinned["values"], "appeal_window_days": 20}
    deliver(ports, routed())
    refusal = decided()
    deliver(ports, refusal.model_copy(update={"data": {**refusal.data, "policy": pinned}}))
    [notice] = [n for n in ports.store.notices.values() if n.kind == "refusal"]
    # 1 March + 20 calendar days is Sunday 21 March, moved to Monday (not 11 March by the current 10 days)
    assert notice.appeal_deadline == date(2027, 3, 22)


@pytest.mark.parametrize(("lang", "names", "expected"), [
    ("nl", ["'Ruwbouw duaal'"], "de opleiding 'Ruwbouw duaal'"),
    ("nl", ["'A'", "'B'"], "de opleidingen 'A' en 'B'"),
    ("nl", ["'A'", "'B'", "'C'"], "de opleidingen 'A', 'B' en 'C'"),
    ("en", ["'A'", "'B'", "'C'"], "the trainings 'A', 'B' and 'C'"),
])
def test_a_mentor_ban_names_its_trainings_in_the_singular_or_as_a_list(lang, names, expected):
    from notification.domain.documents import _trainings

    assert _trainings(lang, names) == expected
