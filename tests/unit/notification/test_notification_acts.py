"""Every kind of notice read as a company, a lawyer and the appeal coordinator would (issue 16): the
text extracted from each PDF with pdftotext has the operative part, the reference, the remedy block
exactly when the act can be appealed and the Council of State on the final acts of the appeal route;
no notice or mail shows an internal id, a code, None, True or False."""

from dataclasses import replace
from datetime import date

import pytest
from notification_support import (
    CONTACT,
    ENTERPRISE,
    ESTABLISHMENT,
    NOW,
    PARTNERSHIP,
    TRAINING,
    decided,
    deliver,
    granted,
    routed,
    wrap,
)
from testkit.clock import Clock
from testkit.notices import COUNCIL, FINAL, LAST_DAY, REFERENCE, REMEDY_PARTS, pdftotext, spelled_kind
from testkit.notices import assert_clean as clean

from kernel.events import (
    AppealAdmissibilityDecidedV1,
    AppealDecidedV1,
    AppealLodgedV1,
    MeasureImposedV1,
    RecognitionExpiredV1,
    RecognitionGrantedV1,
    RecognitionRestoredV1,
)
from kernel.processed import InMemoryProcessedEvents
from kernel.publisher import InMemoryPublisher
from kernel.timers import InMemoryTimers
from notification import bootstrap
from notification.adapters.memory import InMemoryMailer, InMemoryNoticeArchive, InMemoryNotificationStore
from notification.adapters.pdf import render_pdf
from notification.domain.model import APPEALABLE_KINDS
from notification.usecases.ports import Ports

# The ids the events carry: none may be printed (they are uuids in production; here short names).
IDS = ("app-1", "dec-1", "dec-2", "rec-1", "rec-2", "m-ban", "m-rev", "m-exc", "m-gui", "ap-1", "ap-2", "ap-3")
SECOND_TRAINING = "elektrische-installaties-duaal"
SECOND_ESTABLISHMENT = "2234567802"


def measure(kind: str, measure_id: str, details: dict, recognition_id: str = "rec-1", **changes):
    values = dict(measure_id=measure_id, type=kind, partnership_id=PARTNERSHIP, enterprise_number=ENTERPRISE,
                  establishment_number=ESTABLISHMENT, recognition_id=recognition_id,
                  reason="Geen lerende begeleid volgens het opleidingsplan.", details=details,
                  appealable=kind != "guidance", imposed_at=NOW)
    values.update(changes)
    return wrap(MeasureImposedV1(**values))


def lodged(appeal_id: str, subject_id: str, kind: str = "decision", status: str = "lodged", reasons=()):
    return wrap(AppealLodgedV1(appeal_id=appeal_id, subject_id=subject_id, subject_kind=kind,
                               enterprise_number=ENTERPRISE, partnership_id=PARTNERSHIP,
                               grounds="De mentor heeft wel vijf jaar ervaring.", lodged_at=NOW,
                               acknowledgement_due=date(2027, 3, 11), status=status,
                               inadmissible_reasons=list(reasons)))


def admissible(appeal_id: str, subject_id: str):
    return wrap(AppealAdmissibilityDecidedV1(appeal_id=appeal_id, subject_id=subject_id, enterprise_number=ENTERPRISE,
                                             admissible=True, decided_at=NOW))


def ruled(appeal_id: str, subject_id: str, outcome: str, kind: str = "decision"):
    return wrap(AppealDecidedV1(appeal_id=appeal_id, subject_id=subject_id, subject_kind=kind,
                                enterprise_number=ENTERPRISE, outcome=outcome,
                                reasons=["De mentor voldoet aan de voorwaarden."], decided_at=NOW))


def restored(recognition_id: str, appeal_id: str, training: str = TRAINING, establishment: str = ESTABLISHMENT):
    return wrap(RecognitionRestoredV1(recognition_id=recognition_id, partnership_id=PARTNERSHIP,
                                      enterprise_number=ENTERPRISE, establishment_number=establishment,
                                      training_code=training, valid_until=date(2032, 2, 29), appeal_id=appeal_id,
                                      restored_at=NOW))


def the_whole_procedure(ports) -> None:
    """One of every notice: an application acknowledged and refused, an inadmissible and an
    upheld appeal (a recognition follows), an approval, guidance and a mentor ban, a dismissed
    appeal, an exclusion of two recognitions and an upheld appeal against it (two restorations),
    a revocation, an expiry."""
    deliver(ports, routed())  # acknowledgement
    deliver(ports, decided("refused"))  # refusal
    deliver(ports, lodged("ap-1", "dec-1", status="inadmissible", reasons=["deadline_passed", "not_motivated"]))
    deliver(ports, lodged("ap-2", "dec-1"))
    deliver(ports, admissible("ap-2", "dec-1"))  # admissible acknowledgement
    deliver(ports, ruled("ap-2", "dec-1", "upheld"))  # appeal decision, upheld
    deliver(ports, wrap(RecognitionGrantedV1(  # review grants the recognition the appeal gives
        recognition_id="rec-1", application_id="app-1", decision_id="dec-1", appeal_id="ap-2",
        partnership_id=PARTNERSHIP, enterprise_number=ENTERPRISE, establishment_number=ESTABLISHMENT,
        training_code=TRAINING, valid_from=date(2027, 3, 1), valid_until=date(2032, 2, 29), granted_at=NOW)))
    deliver(ports, decided("approved", decision_id="dec-2"))  # approval (a second training)
    deliver(ports, granted("rec-2", application_id="app-1"))
    ports.store.save_recognition(replace(ports.store.recognition("rec-2"), training_code=SECOND_TRAINING,
                                         establishment_number=SECOND_ESTABLISHMENT))
    deliver(ports, measure("guidance", "m-gui", {"plan": "Opleidingsplan bijwerken met de mentor.",
                                                  "due_date": "2027-06-01"}))
    deliver(ports, measure("mentor_ban", "m-ban", {
        "mentor_index": 0, "mentor_name": "Els Janssens", "trainings": [TRAINING], "recognition_ids": ["rec-1"],
        "without_eligible_mentor": True, "recognitions_without_eligible_mentor": ["rec-1"]}))
    deliver(ports, lodged("ap-3", "m-ban", kind="measure"))
    deliver(ports, admissible("ap-3", "m-ban"))
    deliver(ports, ruled("ap-3", "m-ban", "dismissed", kind="measure"))  # appeal decision, dismissed
    deliver(ports, measure("exclusion", "m-exc", {"scope": "enterprise", "starts_on": "2027-03-01", "until": None,
                                                   "establishment_number": None}, establishment_number=None))
    deliver(ports, lodged("ap-4", "m-exc", kind="measure"))
    deliver(ports, admissible("ap-4", "m-exc"))
    deliver(ports, ruled("ap-4", "m-exc", "upheld", kind="measure"))
    deliver(ports, restored("rec-1", "ap-4"))
    deliver(ports, restored("rec-2", "ap-4", SECOND_TRAINING, SECOND_ESTABLISHMENT))
    deliver(ports, measure("revocation", "m-rev", {"effective_on": "2027-03-15"}))
    deliver(ports, wrap(RecognitionExpiredV1(recognition_id="rec-2", partnership_id=PARTNERSHIP,
                                             enterprise_number=ENTERPRISE, establishment_number=SECOND_ESTABLISHMENT,
                                             training_code=SECOND_TRAINING, expired_on=date(2032, 3, 1))))


def notices_by_kind(ports):
    """kind (admissibility and outcome spelled out) -> list of (record, mail, text)."""
    mails = {s.mail.attachment_name: s for s in ports.mailer.sent if s.attachment}
    found: dict[str, list] = {}
    for record in ports.store.notices.values():
        sent = mails[f"{record.reference}.pdf"]
        text = pdftotext(sent.attachment)
        kind = spelled_kind(record.kind, text)
        found.setdefault(kind, []).append((record, sent, text))
    return found


ALL_KINDS = {"acknowledgement", "refusal", "appeal_acknowledgement.inadmissible", "appeal_acknowledgement.admissible",
             "appeal_decision.upheld", "appeal_decision.dismissed", "recognition", "approval", "guidance",
             "mentor_ban", "revocation", "exclusion", "restoration", "expiry"}

OPERATIVE = {
    "nl": {
        "acknowledgement": "Sectoraal Partnerschap Bouw bevestigt dat de aanvraag tot erkenning van Bouwbedrijf "
        "Peeters NV (ondernemingsnummer 0403.170.701), vestigingseenheid 2123.456.791, als leerwerkplek voor de "
        "opleiding 'Ruwbouw duaal' op 19 februari 2027 werd ontvangen",
        "refusal": "Sectoraal Partnerschap Bouw weigert de erkenning van Bouwbedrijf Peeters NV",
        "appeal_acknowledgement.inadmissible": "Het beroep is niet ontvankelijk.",
        "appeal_acknowledgement.admissible": "Het beroep is ontvankelijk.",
        "appeal_decision.upheld": "De beroepscommissie van het Vlaams Partnerschap Duaal Leren verklaart het beroep "
        "van Bouwbedrijf Peeters NV (ondernemingsnummer 0403.170.701) tegen de beslissing van Sectoraal Partnerschap "
        "Bouw van 1 maart 2027 tot",
        "appeal_decision.dismissed": "tot oplegging van een mentorverbod (kenmerk DL-",
        "recognition": "wordt Bouwbedrijf Peeters NV (ondernemingsnummer 0403.170.701), vestigingseenheid "
        "2123.456.791, door Sectoraal Partnerschap Bouw erkend als leerwerkplek voor de opleiding 'Ruwbouw duaal'. De "
        "erkenning geldt van 1 maart 2027 tot en met 29 februari 2032.",
        "approval": "Sectoraal Partnerschap Bouw erkent Bouwbedrijf Peeters NV",
        "guidance": "De begeleidingsactie moet uitgevoerd zijn uiterlijk op 1 juni 2027.",
        "mentor_ban": "Sectoraal Partnerschap Bouw verbiedt de mentor Els Janssens nog als mentor op te treden bij "
        "Bouwbedrijf Peeters NV (ondernemingsnummer 0403.170.701), voor de opleiding 'Ruwbouw duaal'.",
        "revocation": "als leerwerkplek voor de opleiding 'Ruwbouw duaal' op, met ingang van 15 maart 2027.",
        "exclusion": "sluit Bouwbedrijf Peeters NV (ondernemingsnummer 0403.170.701) uit als leerwerkplek, voor de "
        "hele onderneming (al haar vestigingseenheden), van 1 maart 2027 voor onbepaalde duur.",
        "restoration": "wordt de erkenning van Bouwbedrijf Peeters NV",
        "expiry": "was geldig tot en met 29 februari 2032. Vanaf 1 maart 2032 is ze niet meer geldig",
    },
    "en": {
        "acknowledgement": "Sectoraal Partnerschap Bouw confirms that the application for recognition of Bouwbedrijf "
        "Peeters NV (enterprise number 0403.170.701), establishment unit 2123.456.791, as a workplace learning site "
        "for the training 'Ruwbouw duaal' was received on 19 February 2027",
        "refusal": "Sectoraal Partnerschap Bouw refuses the recognition of Bouwbedrijf Peeters NV",
        "appeal_acknowledgement.inadmissible": "The appeal is inadmissible.",
        "appeal_acknowledgement.admissible": "The appeal is admissible.",
        "appeal_decision.upheld": "The appeal committee of the Vlaams Partnerschap Duaal Leren declares the appeal of "
        "Bouwbedrijf Peeters NV (enterprise number 0403.170.701) against the decision of Sectoraal Partnerschap Bouw "
        "of 1 March 2027",
        "appeal_decision.dismissed": "imposing a mentor ban (reference DL-",
        "recognition": "Bouwbedrijf Peeters NV (enterprise number 0403.170.701), establishment unit 2123.456.791, is "
        "recognised by Sectoraal Partnerschap Bouw as a workplace learning site for the training 'Ruwbouw duaal'. The "
        "recognition is valid from 1 March 2027 up to and including 29 February 2032.",
        "approval": "Sectoraal Partnerschap Bouw recognises Bouwbedrijf Peeters NV",
        "guidance": "The guidance action is to be completed by 1 June 2027.",
        "mentor_ban": "Sectoraal Partnerschap Bouw forbids the mentor Els Janssens to act as a mentor at Bouwbedrijf "
        "Peeters NV (enterprise number 0403.170.701) for the training 'Ruwbouw duaal'.",
        "revocation": "for the training 'Ruwbouw duaal', with effect from 15 March 2027.",
        "exclusion": "excludes Bouwbedrijf Peeters NV (enterprise number 0403.170.701) as a workplace learning site, "
        "for the whole enterprise (all its establishment units), from 1 March 2027 for an indefinite period.",
        "restoration": "the recognition of Bouwbedrijf Peeters NV",
        "expiry": "was valid up to and including 29 February 2032. From 1 March 2032 it is no longer valid",
    },
}
# The shared expectations (testkit.notices, also read by the e2e test), with this procedure's last day.
REMEDY = {lang: (*parts, LAST_DAY[lang].format(date={"nl": "11 maart 2027", "en": "11 March 2027"}[lang]))
          for lang, parts in REMEDY_PARTS.items()}


def assert_clean(text: str, where: str) -> None:
    clean(text, where, IDS)


@pytest.fixture(scope="module", params=["nl", "en"])
def produced(request):
    """Built once per language (about thirty PDFs): every test below reads the same notices."""
    Clock().at(NOW)
    ports = Ports(store=InMemoryNotificationStore(), archive=InMemoryNoticeArchive(), mailer=InMemoryMailer(),
                  publisher=InMemoryPublisher(), timers=InMemoryTimers(), render=render_pdf, language=request.param)
    bootstrap.override(ports, InMemoryProcessedEvents())
    try:
        the_whole_procedure(ports)
        yield request.param, ports, notices_by_kind(ports)
    finally:
        bootstrap.override(None)
        Clock.reset()


def test_the_procedure_produces_every_kind_of_notice(produced):
    _, _, found = produced
    assert set(found) == ALL_KINDS
    assert len(found["restoration"]) == 2


def test_every_notice_states_its_operative_part_and_its_own_reference(produced):
    lang, _, found = produced
    for kind, notices in found.items():
        for record, sent, text in notices:
            assert OPERATIVE[lang][kind] in text, kind
            assert REFERENCE.fullmatch(record.reference)
            assert record.reference in text and record.reference in sent.mail.subject, kind
            assert record.reference in sent.mail.body and sent.mail.attachment_name == f"{record.reference}.pdf"
            assert record.pdf_key.endswith(f"/{record.reference}.pdf"), kind  # the download has the same name


def test_the_remedy_block_is_there_exactly_when_the_act_can_be_appealed(produced):
    lang, _, found = produced
    for kind, notices in found.items():
        for record, _, text in notices:
            present = [part for part in REMEDY[lang] if part in text]
            if record.kind in APPEALABLE_KINDS:
                assert present == list(REMEDY[lang]), (kind, set(REMEDY[lang]) - set(present))
                assert record.appeal_deadline == date(2027, 3, 11)
            else:
                assert present == [], (kind, present)
                assert record.appeal_deadline is None


def test_final_acts_of_the_appeal_route_name_the_council_of_state_and_its_sixty_days(produced):
    lang, _, found = produced
    for kind, notices in found.items():
        for _, _, text in notices:
            present = [part for part in COUNCIL[lang] if part in text]
            assert present == (list(COUNCIL[lang]) if kind in FINAL else []), kind


def test_no_notice_or_mail_shows_an_id_a_code_or_a_python_literal(produced):
    _, ports, found = produced
    for kind, notices in found.items():
        for _, sent, text in notices:
            assert_clean(text, kind)
            assert_clean(sent.mail.subject + "\n" + sent.mail.body, f"mail {kind}")
    for sent in ports.mailer.sent:
        assert_clean(sent.mail.subject + "\n" + sent.mail.body, sent.mail.subject)


def test_inadmissibility_reasons_are_given_in_words(produced):
    lang, _, found = produced
    ((_, _, text),) = found["appeal_acknowledgement.inadmissible"]
    words = {"nl": ("na het verstrijken van de beroepstermijn", "Het beroep is niet gemotiveerd"),
             "en": ("after the appeal term had ended", "The appeal states no grounds")}[lang]
    assert all(w in text for w in words)


def test_the_appeal_route_is_sent_by_the_vpdl_and_decisions_by_the_competent_partnership(produced):
    lang, _, found = produced
    for kind, notices in found.items():
        for _, sent, text in notices:
            by_vpdl = kind.startswith("appeal_")
            assert ("Vlaams Partnerschap Duaal Leren" in text.split()[0:6] or text.startswith(
                "Vlaams Partnerschap Duaal Leren")) == by_vpdl, kind
            assert sent.mail.body.rstrip().endswith(
                "beroep@duaal-leren.example.be" if by_vpdl else "bouw@example.be"), kind


def test_acknowledgement_and_expiry_are_not_headed_as_a_decision(produced):
    lang, _, found = produced
    decision = {"nl": "Beslissing", "en": "Decision"}[lang]
    for kind in ("acknowledgement", "expiry", "restoration", "appeal_acknowledgement.admissible"):
        ((_, sent, _),) = found[kind][:1]
        assert not sent.mail.subject.startswith(decision), kind
    for kind in ("refusal", "approval", "mentor_ban", "appeal_decision.upheld", "recognition"):
        assert found[kind][0][1].mail.subject.startswith(decision), kind


def test_measures_are_printed_in_words_with_the_recognitions_they_end(produced):
    lang, _, found = produced
    exclusion = found["exclusion"][0][2]
    first, second = ("'Ruwbouw duaal', vestigingseenheid 2123.456.791, geldig tot en met 29 februari 2032",
                     "'Elektrische installaties duaal', vestigingseenheid 2234.567.802") if lang == "nl" else (
        "'Ruwbouw duaal', establishment unit 2123.456.791, valid up to and including 29 February 2032",
        "'Elektrische installaties duaal', establishment unit 2234.567.802")
    assert first in exclusion and second in exclusion
    ban = found["mentor_ban"][0][2]
    assert ("zonder einddatum" if lang == "nl" else "without an end date") in ban
    assert ("geen mentor meer die aan de voorwaarden voldoet" if lang == "nl" else "has no mentor left") in ban
    guidance = found["guidance"][0][2]
    assert "Opleidingsplan bijwerken met de mentor." in guidance
    assert ("kan het partnerschap een sanctie opleggen" if lang == "nl" else "may impose a sanction") in guidance


def test_an_upheld_appeal_against_a_refusal_sends_a_recognition_with_dates_training_and_establishment(produced):
    lang, _, found = produced
    ((record, sent, text),) = found["recognition"]
    assert sent.mail.to == CONTACT and record.subject_id == "ap-2"
    upheld = found["appeal_decision.upheld"]
    assert any(r.reference in text for r, _, _ in upheld)  # it names the appeal decision it follows


def test_english_notices_are_marked_as_a_translation_and_carry_the_dutch_text(produced):
    lang, _, found = produced
    for kind, notices in found.items():
        for _, _, text in notices:
            note = "The authentic text of this notice is the Dutch one"
            assert (note in text) == (lang == "en"), kind
            if lang == "en":
                assert OPERATIVE["nl"][kind] in text, kind


def test_two_restored_recognitions_give_two_notices_and_no_two_acts_share_a_notice_id(produced):
    _, ports, found = produced
    restorations = found["restoration"]
    assert {r.notice_id for r, _, _ in restorations}.__len__() == 2
    assert {r.reference for r, _, _ in restorations}.__len__() == 2
    texts = [t for _, _, t in restorations]
    assert any("'Ruwbouw duaal'" in t for t in texts) and any("'Elektrische installaties duaal'" in t for t in texts)
    issued = [e.data["notice_id"] for e in ports.publisher.published if e.event_name == "NoticeIssued"]
    assert len(issued) == len(set(issued)) == len(ports.store.notices) == sum(len(n) for n in found.values())
    references = [r.reference for r in ports.store.notices.values()]
    assert len(references) == len(set(references))


# What the labels of the header read, per language: an act about the whole enterprise names no one training.
LABELS = {"nl": ("Opleiding: ", "Vestigingseenheidsnummer: ", "Beslissende instantie: ", "Afzender: "),
          "en": ("Training: ", "Establishment unit number: ", "Deciding body: ", "Sender: ")}


def test_an_exclusion_of_the_enterprise_and_the_appeal_against_it_name_no_single_training(produced):
    lang, _, found = produced
    about_exclusion = [text for kind, notices in found.items() for record, _, text in notices
                       if kind == "exclusion" or record.subject_id == "ap-4" and kind.startswith("appeal_")]
    assert len(about_exclusion) == 3, len(about_exclusion)  # the exclusion, its admissibility, its decision
    for text in about_exclusion:
        for part in {lang, "nl"}:
            training, establishment, _, _ = LABELS[part]
            assert training not in text and establishment not in text, (part, text[:600])


def test_the_exclusion_states_the_partnerships_finding_once(produced):
    lang, _, found = produced
    text = found["exclusion"][0][2]
    assert text.count("stelt vast:") == 1, text
    assert text.count("finds:") == (1 if lang == "en" else 0), text


def test_a_mentor_ban_on_one_training_names_it_in_the_singular(produced):
    lang, _, found = produced
    text = found["mentor_ban"][0][2]
    assert "opleiding(en)" not in text and "training(s)" not in text
    assert "voor de opleiding 'Ruwbouw duaal'." in text
    if lang == "en":
        assert "for the training 'Ruwbouw duaal'." in text


def test_a_restoration_is_sent_by_the_partnership_and_decided_by_the_appeal_committee(produced):
    lang, _, found = produced
    for _, _, text in found["restoration"]:
        for part in {lang, "nl"}:
            _, _, decided_by, sender = LABELS[part]
            assert decided_by not in text and f"{sender}Sectoraal Partnerschap Bouw" in text, (part, text[:600])


def test_the_approval_says_by_when_every_mentor_must_have_completed_the_mentor_training(produced):
    lang, _, found = produced
    words = {"nl": "Elke mentor volgt de verplichte mentoropleiding, uiterlijk op 1 september 2027.",
             "en": "Every mentor must complete the compulsory mentor training by 1 September 2027."}
    for kind in ("approval", "recognition"):
        assert words[lang] in found[kind][0][2], kind


# Who learns of a mail that did not arrive, as each notice states it: the body that will contact the company.
TOLD = {"nl": ("verondersteld: {} wordt verwittigd en neemt contact met u op", "de beroepscoördinator van het Vlaams "
               "Partnerschap Duaal Leren"),
        "en": ("receipt is not assumed: {} is told and contacts you", "the appeal coordinator of the Vlaams "
               "Partnerschap Duaal Leren")}


def test_each_notice_names_who_is_told_when_its_mail_does_not_arrive(produced):
    # The appeal route's notices are the VPDL coordinator's: "the partnership is told" named nobody
    # (the company's partnership did not send them).
    lang, _, found = produced
    sentence, coordinator = TOLD[lang]
    folded = {kind: [" ".join(text.split()) for _, _, text in notices] for kind, notices in found.items()}
    for kind in ("appeal_acknowledgement.admissible", "appeal_decision.dismissed", "refusal", "mentor_ban"):
        told = coordinator if kind.startswith("appeal_") else "Sectoraal Partnerschap Bouw"
        for text in folded[kind]:
            assert sentence.format(told) in text, (kind, text[-900:])


def test_what_follows_an_upheld_appeal_rests_on_the_appeal_procedure_too(produced):
    # A recognition after an upheld appeal and a restoration carry out the appeal committee's decision:
    # their legal basis names the appeal procedure, as the appeal decision's does.
    from notification.domain.texts import text

    lang, _, found = produced
    clause = " ".join(text(lang, "legal.appeal").split())
    for kind in ("recognition", "restoration", "appeal_decision.upheld"):
        for _, _, notice in found[kind]:
            assert clause in " ".join(notice.split()), (kind, notice[-1200:])
    for _, _, notice in found["approval"]:
        assert clause not in " ".join(notice.split())
