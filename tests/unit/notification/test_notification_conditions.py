"""Issue 16: a refusal notice names each condition of recognition that is not met, in full words
tied to its legal basis, in Dutch and English, and never as a code."""

from dataclasses import replace

from notification_support import decided, deliver, pdf_text, routed

from kernel.conditions import CONDITION_CODES


def refused_with(ports, conditions):
    deliver(ports, routed())
    event = decided("refused")
    deliver(ports, event.model_copy(update={"data": {**event.data, "conditions_not_met": list(conditions)}}))
    return pdf_text(ports.mailer.sent[-1].attachment)


def test_the_refusal_names_each_failed_condition_in_words_with_its_legal_basis(ports):
    text = " ".join(refused_with(ports, ["financial_capacity", "mentor_age"]).split())
    assert "Niet voldaan is aan de volgende erkenningsvoorwaarden:" in text
    assert ("erkenningsvoorwaarde 2: de onderneming heeft voldoende financiële draagkracht om de continuïteit te "
            "waarborgen tot de lerende de opleiding beëindigt") in text
    assert "mentorvoorwaarde leeftijd: de mentor is minstens 25 jaar oud" in text
    assert "decreet van 10 juni 2016" in text
    assert "Geen mentor met vijf jaar ervaring." in text  # the facts still follow
    for code in CONDITION_CODES:
        assert code not in text


def test_every_condition_has_words_in_both_languages(ports):
    from notification.domain.texts import code_text

    for lang in ("nl", "en"):
        for code in CONDITION_CODES:
            words = code_text(lang, "condition", code)
            assert words and code not in words


def test_the_english_refusal_names_the_condition_and_keeps_the_dutch_text(ports):
    text = " ".join(refused_with(replace(ports, language="en"), ["no_disqualifying_convictions"]).split())
    assert "The following conditions of recognition are not met:" in text
    assert "condition 3: there are no convictions" in text
    assert "erkenningsvoorwaarde 3: er zijn geen veroordelingen" in text  # the authentic Dutch text
    assert "no_disqualifying_convictions" not in text


def test_a_refusal_naming_no_condition_reads_as_before(ports):
    text = " ".join(refused_with(ports, []).split())
    assert "Niet voldaan is aan de volgende erkenningsvoorwaarden" not in text
    assert "niet aan deze voorwaarden is voldaan" in text
