"""The wording of notices and mails: Dutch (the language of the procedure) and English, one table.

Every code that reaches a reader (inadmissibility reasons, measure types, outcomes, exclusion
scopes, day kinds, the conditions a refusal finds not met) has its words here, in both languages; documents.py and mails.py never print a
code. A template is a str.format string. Article numbers of the decree and orders were not
verified (DOMAIN.md, [NF]), so none are cited; the moved appeal deadline cites article 53 of the
Judicial Code, the rule the policy applies.
"""

from __future__ import annotations

import re
from datetime import date

DEFAULT_LANGUAGE = "nl"
LANGUAGES = ("nl", "en")

MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}

WEEKDAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

# Codes and their words. A code that is not here is never printed (see code_text).
CODES: dict[str, dict[str, str]] = {
    "nl": {
        "reason.deadline_passed": "Het beroep werd ingediend na het verstrijken van de beroepstermijn "
        "({days} {day_kind} na ontvangst van de kennisgeving van de bestreden beslissing).",
        "reason.not_motivated": "Het beroep is niet gemotiveerd: het zegt niet waarom de bestreden beslissing "
        "onjuist zou zijn, terwijl een beroep gemotiveerd moet zijn.",
        "reason.not_the_company": "Het beroep werd niet ingediend door de onderneming op wie de bestreden "
        "beslissing betrekking heeft; alleen die onderneming kan beroep instellen.",
        "reason.other": "Een andere reden, vermeld in het dossier van het beroep.",
        "measure.guidance": "begeleidingsactie",
        "measure.mentor_ban": "mentorverbod",
        "measure.revocation": "opheffing van de erkenning",
        "measure.exclusion": "uitsluiting",
        "outcome.upheld": "gegrond",
        "outcome.dismissed": "ongegrond",
        "decision.approved": "erkenning",
        "decision.refused": "weigering van de erkenning",
        "scope.enterprise": "de hele onderneming (al haar vestigingseenheden)",
        "scope.establishment": "de vestigingseenheid {establishment}",
        "day_kind.calendar": "kalenderdagen",
        "day_kind.working": "werkdagen",
        "act.refusal": "de beslissing van {body} van {decided_on} tot weigering van de erkenning als leerwerkplek",
        "act.mentor_ban": "de beslissing van {body} van {decided_on} tot oplegging van een mentorverbod",
        "act.revocation": "de beslissing van {body} van {decided_on} tot opheffing van de erkenning als leerwerkplek",
        "act.exclusion": "de beslissing van {body} van {decided_on} tot uitsluiting als leerwerkplek",
        "act.unknown": "de bestreden beslissing",
        # The conditions a refusal finds not met (kernel.conditions, DOMAIN.md section 2).
        "condition.organisation_and_equipment": "erkenningsvoorwaarde 1: de organisatie en de uitrusting van de "
        "onderneming maken de opleiding volgens het opleidingsplan mogelijk",
        "condition.financial_capacity": "erkenningsvoorwaarde 2: de onderneming heeft voldoende financiële "
        "draagkracht om de continuïteit te waarborgen tot de lerende de opleiding beëindigt",
        "condition.no_disqualifying_convictions": "erkenningsvoorwaarde 3: er zijn geen veroordelingen "
        "(bijvoorbeeld inzake arbeidsrecht of sociale zekerheid) die de continuïteit of de leeromgeving in "
        "gevaar brengen",
        "condition.eligible_mentor": "erkenningsvoorwaarde 4: de onderneming heeft minstens één mentor die aan de "
        "mentorvoorwaarden voldoet",
        "condition.mentor_criminal_record_extract": "mentorvoorwaarde uittreksel uit het strafregister: voor elke "
        "mentor is een uittreksel uit het strafregister model 596.2 bezorgd",
        "condition.mentor_age": "mentorvoorwaarde leeftijd: de mentor is minstens 25 jaar oud (23 jaar met een "
        "afwijking op grond van vooropleiding)",
        "condition.mentor_experience": "mentorvoorwaarde ervaring: de mentor heeft minstens 5 jaar praktijkervaring "
        "in het beroep (of een afwijking op grond van vooropleiding)",
    },
    "en": {
        "reason.deadline_passed": "The appeal was lodged after the appeal term had ended ({days} {day_kind} "
        "after receipt of the notice of the contested decision).",
        "reason.not_motivated": "The appeal states no grounds: it does not say why the contested decision would "
        "be wrong, while an appeal must state its grounds.",
        "reason.not_the_company": "The appeal was not lodged by the company the contested decision concerns; "
        "only that company may appeal.",
        "reason.other": "Another reason, recorded in the appeal file.",
        "measure.guidance": "guidance action",
        "measure.mentor_ban": "mentor ban",
        "measure.revocation": "revocation of the recognition",
        "measure.exclusion": "exclusion",
        "outcome.upheld": "well-founded",
        "outcome.dismissed": "unfounded",
        "decision.approved": "recognition",
        "decision.refused": "refusal of the recognition",
        "scope.enterprise": "the whole enterprise (all its establishment units)",
        "scope.establishment": "establishment unit {establishment}",
        "day_kind.calendar": "calendar days",
        "day_kind.working": "working days",
        "act.refusal": "the decision of {body} of {decided_on} refusing the recognition as a workplace learning site",
        "act.mentor_ban": "the decision of {body} of {decided_on} imposing a mentor ban",
        "act.revocation": "the decision of {body} of {decided_on} revoking the recognition as a workplace "
        "learning site",
        "act.exclusion": "the decision of {body} of {decided_on} excluding the company as a workplace learning site",
        "act.unknown": "the contested decision",
        "condition.organisation_and_equipment": "condition 1: the company's organisation and equipment make "
        "training according to the training plan possible",
        "condition.financial_capacity": "condition 2: the company has enough financial capacity to guarantee "
        "continuity until the learner finishes the training",
        "condition.no_disqualifying_convictions": "condition 3: there are no convictions (for instance under labour "
        "or social security law) that endanger continuity or the learning environment",
        "condition.eligible_mentor": "condition 4: the company has at least one mentor who meets the mentor "
        "conditions",
        "condition.mentor_criminal_record_extract": "mentor condition criminal record: a criminal-record extract "
        "model 596.2 was provided for every mentor",
        "condition.mentor_age": "mentor condition age: the mentor is at least 25 years old (23 with a derogation "
        "based on prior education)",
        "condition.mentor_experience": "mentor condition experience: the mentor has at least 5 years of practical "
        "experience in the occupation (or a derogation based on prior education)",
    },
}

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "label.our_reference": "Ons kenmerk",
        "label.your_reference": "Uw kenmerk",
        "label.dispatch": "Datum van verzending",
        "label.decided_on": "Datum van de beslissing",
        "label.decided_by": "Beslissende instantie",
        "label.issued_by": "Afzender",
        "label.enterprise": "Ondernemingsnummer",
        "label.establishment": "Vestigingseenheidsnummer",
        "label.training": "Opleiding",
        "label.contact": "Contact",
        "label.phone": "Tel.",
        "label.page": "Pagina {page} van {pages}",
        "section.decision": "Beslissing",
        "section.content": "Inhoud",
        "section.consequences": "Gevolgen",
        "section.motivation": "Motivering",
        "section.legal": "Rechtsgrond",
        "section.remedy": "Beroepsmogelijkheid",
        "section.further_remedy": "Verdere rechtsmiddelen",
        "section.receipt": "Ontvangst van deze kennisgeving",
        "section.mentors": "Mentoren",
        "your_reference.application": "uw aanvraag van {submitted_on}",
        "your_reference.appeal": "uw beroep van {lodged_on}",
        "title.acknowledgement": "Ontvangstbevestiging van uw aanvraag tot erkenning als leerwerkplek",
        "title.approval": "Beslissing: erkenning als leerwerkplek",
        "title.refusal": "Beslissing: weigering van de erkenning als leerwerkplek",
        "title.guidance": "Beslissing: begeleidingsactie",
        "title.mentor_ban": "Beslissing: sanctie mentorverbod",
        "title.revocation": "Beslissing: sanctie opheffing van de erkenning als leerwerkplek",
        "title.exclusion": "Beslissing: sanctie uitsluiting als leerwerkplek",
        "title.appeal_acknowledgement.admissible": "Ontvangstbevestiging van uw beroep: ontvankelijk",
        "title.appeal_acknowledgement.inadmissible": "Ontvangstbevestiging van uw beroep: niet ontvankelijk",
        "title.appeal_decision": "Beslissing van de beroepscommissie over uw beroep",
        "title.recognition": "Beslissing: erkenning als leerwerkplek na uw beroep",
        "title.expiry": "Mededeling: einde van de geldigheid van uw erkenning als leerwerkplek",
        "title.restoration": "Mededeling: herstel van uw erkenning als leerwerkplek na uw beroep",
        "company": "{company} (ondernemingsnummer {enterprise})",
        "establishment_clause": ", vestigingseenheid {establishment},",
        "appeal_committee": "de beroepscommissie van het Vlaams Partnerschap Duaal Leren",
        "appeal_coordinator": "de beroepscoördinator van het Vlaams Partnerschap Duaal Leren",
        "body.acknowledgement": "{body} bevestigt dat de aanvraag tot erkenning van {company}{establishment} als "
        "leerwerkplek voor de opleiding {training} op {submitted_on} werd ontvangen. {body_cap} is bevoegd voor "
        "deze aanvraag en beslist uiterlijk op {decision_due}.",
        "body.acknowledgement.note": "Dit is een ontvangstbevestiging, geen beslissing; er staat geen beroep tegen "
        "open.",
        "body.approval": "{body_cap} erkent {company}{establishment} als leerwerkplek voor de opleiding "
        "{training}. De erkenning geldt van {valid_from} tot en met {valid_until}.",
        "body.approval.agreements": "Vanaf {valid_from} mag de onderneming voor deze opleiding overeenkomsten met "
        "lerenden sluiten (een overeenkomst alternerende opleiding of een stageovereenkomst).",
        "body.approval.mentor_training": "Elke mentor volgt de verplichte mentoropleiding, uiterlijk op {due_on}.",
        "body.recognition": "Ingevolge de beslissing van de beroepscommissie van het Vlaams Partnerschap Duaal "
        "Leren van {appeal_decided_on} (kenmerk {appeal_reference}) wordt {company}{establishment} door {body} "
        "erkend als leerwerkplek voor de opleiding {training}. De erkenning geldt van {valid_from} tot en met "
        "{valid_until}.",
        "body.refusal": "{body_cap} weigert de erkenning van {company}{establishment} als leerwerkplek voor de "
        "opleiding {training}. De onderneming mag voor deze opleiding geen overeenkomsten met lerenden sluiten.",
        "motivation.refusal": "Een onderneming wordt erkend als leerwerkplek wanneer ze aan alle "
        "erkenningsvoorwaarden voldoet: (1) haar organisatie en uitrusting maken de opleiding volgens het "
        "opleidingsplan mogelijk; (2) ze heeft voldoende financiële draagkracht om de continuïteit te waarborgen "
        "tot de lerende de opleiding beëindigt; (3) er zijn geen veroordelingen die de continuïteit of de "
        "leeromgeving in gevaar brengen; (4) ze heeft minstens één mentor die aan de mentorvoorwaarden voldoet "
        "(minstens 25 jaar oud, minstens 5 jaar praktijkervaring in het beroep, een uittreksel uit het "
        "strafregister model 596.2). {body_cap} stelt vast dat niet aan deze voorwaarden is voldaan, om de "
        "volgende redenen:",
        "motivation.refusal.conditions": "Een onderneming wordt erkend als leerwerkplek wanneer ze aan alle "
        "erkenningsvoorwaarden voldoet, met inbegrip van de mentorvoorwaarden. {body_cap} stelt vast dat "
        "daaraan niet is voldaan. Niet voldaan is aan de volgende erkenningsvoorwaarden:",
        "condition_line": "- {condition} (rechtsgrond: {basis}).",
        "condition_basis": "decreet van 10 juni 2016 betreffende het alternerend leren en zijn uitvoeringsbesluiten",
        "motivation.refusal.facts": "{body_cap} steunt dit op de volgende vaststellingen:",
        "body.guidance": "{body_cap} legt {company} een begeleidingsactie op voor de erkenning als leerwerkplek "
        "voor de opleiding {training}{establishment_tail}.",
        "guidance.plan": "Begeleidingsplan: {plan}",
        "guidance.due": "De begeleidingsactie moet uitgevoerd zijn uiterlijk op {due_on}.",
        "guidance.warning": "Een begeleidingsactie is geen sanctie en er staat geen beroep tegen open. Blijft de "
        "onderneming niet voldoen aan de erkenningsvoorwaarden of aan haar verplichtingen, dan kan het "
        "partnerschap een sanctie opleggen: een mentorverbod, de opheffing van de erkenning of de uitsluiting.",
        "body.mentor_ban": "{body_cap} verbiedt {mentor} nog als mentor op te treden bij {company}, voor "
        "{trainings}. Het verbod geldt vanaf {from_on}, zonder einddatum: het eindigt alleen "
        "wanneer het wordt opgeheven of in beroep vernietigd.",
        "mentor_ban.mentor": "de mentor {name}",
        "mentor_ban.someone": "de betrokken mentor",
        "mentor_ban.recognitions": "Het verbod geldt voor de volgende erkenningen van de onderneming:",
        "mentor_ban.no_mentor": "Daardoor heeft de erkenning voor {training} geen mentor meer die aan de "
        "voorwaarden voldoet (erkenningsvoorwaarde 4). Wijs een andere mentor aan die aan de voorwaarden voldoet.",
        "body.revocation": "{body_cap} heft de erkenning van {company}{establishment} als leerwerkplek voor de "
        "opleiding {training} op, met ingang van {effective_on}.",
        "revocation.consequences": "Vanaf {effective_on} mag de onderneming voor deze opleiding geen nieuwe "
        "overeenkomsten met lerenden meer sluiten. Lopende overeenkomsten eindigen vervroegd.",
        "body.exclusion": "{body_cap} sluit {company} uit als leerwerkplek, voor {scope}, van {starts_on} {until}.",
        "exclusion.until": "tot en met {until}",
        "exclusion.indefinite": "voor onbepaalde duur",
        "exclusion.reach": "De uitsluiting geldt voor de erkenningen waarvoor {body} bevoegd is.",
        "exclusion.ends": "Met ingang van {starts_on} worden daardoor de volgende erkenningen opgeheven:",
        "exclusion.ends_none": "Op de datum van deze beslissing had de onderneming binnen deze reikwijdte geen "
        "lopende erkenning.",
        "exclusion.bar": "Zolang de uitsluiting loopt, kan binnen deze reikwijdte geen nieuwe erkenning worden "
        "verleend en kunnen geen nieuwe overeenkomsten met lerenden worden gesloten; lopende overeenkomsten "
        "eindigen vervroegd.",
        "recognition_line": "- {training}, vestigingseenheid {establishment}, geldig tot en met {valid_until}",
        "motivation.guidance": "Een begeleidingsactie wordt opgelegd wanneer een onderneming niet langer voldoet "
        "aan de erkenningsvoorwaarden of aan haar verplichtingen als leerwerkplek. {body_cap} stelt vast:",
        "motivation.sanction": "Een sanctie wordt opgelegd wanneer een onderneming niet langer voldoet aan de "
        "erkenningsvoorwaarden of aan haar verplichtingen als leerwerkplek en begeleiding geen resultaat heeft "
        "gehad. {body_cap} stelt vast:",
        "motivation.exclusion": "Een sanctie wordt opgelegd wanneer een onderneming niet langer voldoet aan de "
        "erkenningsvoorwaarden of aan haar verplichtingen als leerwerkplek en begeleiding geen resultaat heeft "
        "gehad; een uitsluiting is voorbehouden aan ernstige gevallen. {body_cap} stelt vast:",
        "trainings.one": "de opleiding {names}",
        "trainings.many": "de opleidingen {names}",
        "and": "en",
        "body.appeal_acknowledgement": "{body_cap} bevestigt dat het beroep van {company} tegen {contested} "
        "(kenmerk {contested_reference}) werd ontvangen{lodged}.",
        "appeal.lodged_on": " op {lodged_on}",
        "appeal_acknowledgement.admissible": "Het beroep is ontvankelijk. De beroepscommissie van het Vlaams "
        "Partnerschap Duaal Leren behandelt het en deelt haar beslissing schriftelijk mee.",
        "appeal_acknowledgement.inadmissible": "Het beroep is niet ontvankelijk. De beroepscommissie behandelt het "
        "daarom niet ten gronde; de bestreden beslissing blijft gelden.",
        "motivation.inadmissible": "Het beroep is niet ontvankelijk om de volgende redenen:",
        "body.appeal_decision": "De beroepscommissie van het Vlaams Partnerschap Duaal Leren verklaart het beroep "
        "van {company} tegen {contested} (kenmerk {contested_reference}) {outcome}.",
        "appeal_decision.upheld.refusal": "De weigering wordt vernietigd. De onderneming wordt erkend als "
        "leerwerkplek; u ontvangt daarvan een afzonderlijke kennisgeving met de opleiding, de vestigingseenheid "
        "en de geldigheid.",
        "appeal_decision.upheld.mentor_ban": "Het mentorverbod wordt vernietigd; de mentor mag opnieuw als mentor "
        "optreden.",
        "appeal_decision.upheld.revocation": "De opheffing wordt vernietigd. De erkenning wordt hersteld; u "
        "ontvangt daarvan een afzonderlijke kennisgeving.",
        "appeal_decision.upheld.exclusion": "De uitsluiting wordt vernietigd en opgeheven. De erkenningen die ze "
        "ophief, worden hersteld; u ontvangt per herstelde erkenning een afzonderlijke kennisgeving.",
        "appeal_decision.upheld.unknown": "De bestreden beslissing wordt vernietigd.",
        "appeal_decision.dismissed": "De bestreden beslissing blijft gelden.",
        "motivation.appeal_decision": "De beroepscommissie steunt haar beslissing op de volgende overwegingen:",
        "body.expiry": "De erkenning van {company}{establishment} als leerwerkplek voor de opleiding {training} "
        "was geldig tot en met {valid_until}. Vanaf {expired_on} is ze niet meer geldig: de onderneming mag voor "
        "deze opleiding geen nieuwe overeenkomsten met lerenden meer sluiten.",
        "expiry.renew": "Wilt u opnieuw lerenden opleiden, vraag dan een nieuwe erkenning aan in het digitale "
        "loket. Dit is een mededeling, geen beslissing; er staat geen beroep tegen open.",
        "body.restoration": "Ingevolge de beslissing van de beroepscommissie van het Vlaams Partnerschap Duaal "
        "Leren van {appeal_decided_on} (kenmerk {appeal_reference}) wordt de erkenning van "
        "{company}{establishment} als leerwerkplek voor de opleiding {training} hersteld. Ze is opnieuw geldig, "
        "tot en met {valid_until}.",
        "restoration.note": "Dit is een mededeling van de gevolgen van die beslissing; er staat geen afzonderlijk "
        "beroep tegen open.",
        "legal": "Decreet van 10 juni 2016 houdende regeling van een aantal aspecten van het alternerend leren, "
        "en de uitvoeringsbesluiten van de Vlaamse Regering van 8 juli 2016 en 20 november 2020.",
        "legal.appeal": "De beroepsprocedure voor leerwerkplekken bij de beroepscommissie van het Vlaams "
        "Partnerschap Duaal Leren, op grond van dezelfde regelgeving.",
        "remedy.who": "Tegen deze beslissing kan de onderneming op wie ze betrekking heeft beroep instellen bij de "
        "beroepscommissie van het Vlaams Partnerschap Duaal Leren, via de beroepscoördinator.",
        "remedy.form": "Het beroep is gemotiveerd: het zegt waarom de beslissing volgens u onjuist is. Het wordt "
        "ingediend door de onderneming zelf (of namens haar). Vermeld het kenmerk {reference}.",
        "remedy.how": "U kunt het beroep indienen: online in het digitale loket ({portal}) of via de API "
        "(POST /appeals, met dit kenmerk als onderwerp); per e-mail aan {email}; of met een aangetekende brief aan "
        "{postal}.",
        "remedy.term": "Het beroep moet worden ingediend binnen {days} {day_kind} na ontvangst van deze "
        "kennisgeving; de termijn begint de dag na de ontvangst. De laatste dag om beroep in te stellen is "
        "{deadline}.",
        "remedy.term_open": "Het beroep moet worden ingediend binnen {days} {day_kind} na ontvangst van deze "
        "kennisgeving; de termijn begint de dag na de ontvangst (zie hieronder: de ontvangst wordt niet "
        "verondersteld).",
        "remedy.holiday_rule": "Valt de laatste dag op een zaterdag, zondag of wettelijke feestdag, dan schuift "
        "hij op naar de eerstvolgende werkdag (artikel 53 van het Gerechtelijk Wetboek).",
        "remedy.moved": "De termijn eindigt hier op {natural}, geen werkdag; de laatste dag is daarom {deadline}.",
        "remedy.suspends_not": "Het beroep schorst de sanctie niet: ze geldt vanaf de datum hierboven, tot de "
        "beroepscommissie ze eventueel vernietigt.",
        "remedy.suspends": "Het beroep schorst de sanctie tot de beroepscommissie heeft beslist.",
        "remedy.refusal_stands": "Zolang de beroepscommissie niet heeft beslist, is de onderneming voor deze "
        "opleiding niet erkend.",
        "council": "Deze beslissing is definitief in het administratief beroep. Tegen deze beslissing kan een "
        "beroep tot nietigverklaring worden ingesteld bij de Raad van State, afdeling Bestuursrechtspraak, "
        "binnen {days} dagen na de kennisgeving ervan. Het verzoekschrift wordt ondertekend en ingediend met een "
        "aangetekende brief aan de {address}, of elektronisch via de e-procedure van de Raad van State.",
        "receipt.mailed": "Deze kennisgeving wordt op {dispatch} per e-mail verzonden naar {email}. Ze geldt als "
        "ontvangen op {received_on}{offset}. Kan de e-mail niet worden bezorgd, dan wordt de ontvangst niet "
        "verondersteld: {told} wordt verwittigd en neemt contact met u op.",
        "receipt.same_day": " (de dag van verzending)",
        "receipt.offset": " ({days} dagen na de verzending)",
        "receipt.unmailed": "Voor deze kennisgeving is geen e-mailadres bekend. Ze staat in het digitale loket en "
        "geldt pas als ontvangen wanneer u er kennis van neemt; de ontvangst wordt niet verondersteld. Het "
        "partnerschap is verwittigd.",
        "signature": "Met vriendelijke groeten,",
        "signature.note": "Deze kennisgeving werd elektronisch opgemaakt en verzonden; ze draagt geen "
        "handgeschreven handtekening.",
        "contact": "Vragen over deze kennisgeving: {sender}, {email}. Vermeld het kenmerk {reference}.",
        "contact.no_email": "Vragen over deze kennisgeving: {sender}, via het digitale loket. Vermeld het "
        "kenmerk {reference}.",
        "footer": "{reference} - {sender}",
        "translation": "",
        "unknown_company": "uw onderneming",
        "unknown_training": "de aangevraagde opleiding",
    },
    "en": {
        "label.our_reference": "Our reference",
        "label.your_reference": "Your reference",
        "label.dispatch": "Date of dispatch",
        "label.decided_on": "Date of the decision",
        "label.decided_by": "Deciding body",
        "label.issued_by": "Sender",
        "label.enterprise": "Enterprise number",
        "label.establishment": "Establishment unit number",
        "label.training": "Training",
        "label.contact": "Contact",
        "label.phone": "Phone",
        "label.page": "Page {page} of {pages}",
        "section.decision": "Decision",
        "section.content": "Content",
        "section.consequences": "Consequences",
        "section.motivation": "Reasons",
        "section.legal": "Legal basis",
        "section.remedy": "Appeal",
        "section.further_remedy": "Further remedies",
        "section.receipt": "Receipt of this notice",
        "section.mentors": "Mentors",
        "your_reference.application": "your application of {submitted_on}",
        "your_reference.appeal": "your appeal of {lodged_on}",
        "title.acknowledgement": "Acknowledgement of receipt of your application for recognition as a workplace "
        "learning site",
        "title.approval": "Decision: recognition as a workplace learning site",
        "title.refusal": "Decision: refusal of the recognition as a workplace learning site",
        "title.guidance": "Decision: guidance action",
        "title.mentor_ban": "Decision: sanction of a mentor ban",
        "title.revocation": "Decision: sanction of revocation of the recognition as a workplace learning site",
        "title.exclusion": "Decision: sanction of exclusion as a workplace learning site",
        "title.appeal_acknowledgement.admissible": "Acknowledgement of your appeal: admissible",
        "title.appeal_acknowledgement.inadmissible": "Acknowledgement of your appeal: inadmissible",
        "title.appeal_decision": "Decision of the appeal committee on your appeal",
        "title.recognition": "Decision: recognition as a workplace learning site after your appeal",
        "title.expiry": "Information: end of the validity of your recognition as a workplace learning site",
        "title.restoration": "Information: restoration of your recognition as a workplace learning site after your "
        "appeal",
        "company": "{company} (enterprise number {enterprise})",
        "establishment_clause": ", establishment unit {establishment},",
        "appeal_committee": "the appeal committee of the Vlaams Partnerschap Duaal Leren",
        "appeal_coordinator": "the appeal coordinator of the Vlaams Partnerschap Duaal Leren",
        "body.acknowledgement": "{body_cap} confirms that the application for recognition of "
        "{company}{establishment} as a workplace learning site for the training {training} was received on "
        "{submitted_on}. {body_cap} is competent for this application and decides by {decision_due}.",
        "body.acknowledgement.note": "This is an acknowledgement of receipt, not a decision; it cannot be "
        "appealed.",
        "body.approval": "{body_cap} recognises {company}{establishment} as a workplace learning site for the "
        "training {training}. The recognition is valid from {valid_from} up to and including {valid_until}.",
        "body.approval.agreements": "From {valid_from} the company may conclude agreements with learners for this "
        "training (an alternating training agreement or an internship agreement).",
        "body.approval.mentor_training": "Every mentor must complete the compulsory mentor training by {due_on}.",
        "body.recognition": "Following the decision of the appeal committee of the Vlaams Partnerschap Duaal "
        "Leren of {appeal_decided_on} (reference {appeal_reference}), {company}{establishment} is recognised by "
        "{body} as a workplace learning site for the training {training}. The recognition is valid from "
        "{valid_from} up to and including {valid_until}.",
        "body.refusal": "{body_cap} refuses the recognition of {company}{establishment} as a workplace learning "
        "site for the training {training}. The company may not conclude agreements with learners for this "
        "training.",
        "motivation.refusal": "A company is recognised as a workplace learning site when it meets every condition: "
        "(1) its organisation and equipment make training according to the training plan possible; (2) it has "
        "enough financial capacity to guarantee continuity until the learner finishes; (3) there are no "
        "convictions that endanger continuity or the learning environment; (4) it has at least one mentor who "
        "meets the mentor conditions (at least 25 years old, at least 5 years of practical experience in the "
        "occupation, a criminal-record extract model 596.2). {body_cap} finds that these conditions are not met, "
        "for the following reasons:",
        "motivation.refusal.conditions": "A company is recognised as a workplace learning site when it meets every "
        "condition of recognition, the mentor conditions included. {body_cap} finds that they are not met. The "
        "following conditions of recognition are not met:",
        "condition_line": "- {condition} (legal basis: {basis}).",
        "condition_basis": "decree of 10 June 2016 on alternating training and its implementing orders",
        "motivation.refusal.facts": "{body_cap} bases this on the following findings:",
        "body.guidance": "{body_cap} imposes a guidance action on {company} for its recognition as a workplace "
        "learning site for the training {training}{establishment_tail}.",
        "guidance.plan": "Guidance plan: {plan}",
        "guidance.due": "The guidance action is to be completed by {due_on}.",
        "guidance.warning": "A guidance action is not a sanction and cannot be appealed. If the company still does "
        "not meet the conditions or its duties, the partnership may impose a sanction: a mentor ban, revocation of "
        "the recognition or exclusion.",
        "body.mentor_ban": "{body_cap} forbids {mentor} to act as a mentor at {company} for "
        "{trainings}. The ban applies from {from_on}, without an end date: it ends only when it is lifted or "
        "annulled on appeal.",
        "mentor_ban.mentor": "the mentor {name}",
        "mentor_ban.someone": "the mentor concerned",
        "mentor_ban.recognitions": "The ban applies to the following recognitions of the company:",
        "mentor_ban.no_mentor": "As a result the recognition for {training} has no mentor left who meets the "
        "conditions (condition 4). Appoint another mentor who meets the conditions.",
        "body.revocation": "{body_cap} revokes the recognition of {company}{establishment} as a workplace learning "
        "site for the training {training}, with effect from {effective_on}.",
        "revocation.consequences": "From {effective_on} the company may not conclude new agreements with learners "
        "for this training. Running agreements end early.",
        "body.exclusion": "{body_cap} excludes {company} as a workplace learning site, for {scope}, from "
        "{starts_on} {until}.",
        "exclusion.until": "up to and including {until}",
        "exclusion.indefinite": "for an indefinite period",
        "exclusion.reach": "The exclusion covers the recognitions {body} is competent for.",
        "exclusion.ends": "With effect from {starts_on} it therefore revokes the following recognitions:",
        "exclusion.ends_none": "On the date of this decision the company had no running recognition within this "
        "scope.",
        "exclusion.bar": "While the exclusion runs, no new recognition can be granted within this scope and no new "
        "agreements with learners can be concluded; running agreements end early.",
        "recognition_line": "- {training}, establishment unit {establishment}, valid up to and including "
        "{valid_until}",
        "motivation.guidance": "A guidance action is imposed when a company no longer meets the conditions of "
        "recognition or its duties as a workplace learning site. {body_cap} finds:",
        "motivation.sanction": "A sanction is imposed when a company no longer meets the conditions of recognition "
        "or its duties as a workplace learning site and guidance has not succeeded. {body_cap} finds:",
        "motivation.exclusion": "A sanction is imposed when a company no longer meets the conditions of recognition "
        "or its duties as a workplace learning site and guidance has not succeeded; exclusion is reserved for "
        "serious cases. {body_cap} finds:",
        "trainings.one": "the training {names}",
        "trainings.many": "the trainings {names}",
        "and": "and",
        "body.appeal_acknowledgement": "{body_cap} confirms that the appeal of {company} against {contested} "
        "(reference {contested_reference}) was received{lodged}.",
        "appeal.lodged_on": " on {lodged_on}",
        "appeal_acknowledgement.admissible": "The appeal is admissible. The appeal committee of the Vlaams "
        "Partnerschap Duaal Leren will hear it and give its decision in writing.",
        "appeal_acknowledgement.inadmissible": "The appeal is inadmissible. The appeal committee therefore does "
        "not hear it on its merits; the contested decision stands.",
        "motivation.inadmissible": "The appeal is inadmissible for the following reasons:",
        "body.appeal_decision": "The appeal committee of the Vlaams Partnerschap Duaal Leren declares the appeal "
        "of {company} against {contested} (reference {contested_reference}) {outcome}.",
        "appeal_decision.upheld.refusal": "The refusal is annulled. The company is recognised as a workplace "
        "learning site; a separate notice gives the training, the establishment unit and the validity.",
        "appeal_decision.upheld.mentor_ban": "The mentor ban is annulled; the mentor may act as a mentor again.",
        "appeal_decision.upheld.revocation": "The revocation is annulled. The recognition is restored; a separate "
        "notice follows.",
        "appeal_decision.upheld.exclusion": "The exclusion is annulled and lifted. The recognitions it revoked are "
        "restored; a separate notice follows for each restored recognition.",
        "appeal_decision.upheld.unknown": "The contested decision is annulled.",
        "appeal_decision.dismissed": "The contested decision stands.",
        "motivation.appeal_decision": "The appeal committee bases its decision on the following grounds:",
        "body.expiry": "The recognition of {company}{establishment} as a workplace learning site for the training "
        "{training} was valid up to and including {valid_until}. From {expired_on} it is no longer valid: the "
        "company may not conclude new agreements with learners for this training.",
        "expiry.renew": "To train learners again, apply for a new recognition in the digital counter. This is "
        "information, not a decision; it cannot be appealed.",
        "body.restoration": "Following the decision of the appeal committee of the Vlaams Partnerschap Duaal Leren "
        "of {appeal_decided_on} (reference {appeal_reference}), the recognition of {company}{establishment} as a "
        "workplace learning site for the training {training} is restored. It is valid again, up to and including "
        "{valid_until}.",
        "restoration.note": "This notice states a consequence of that decision; it cannot be appealed separately.",
        "legal": "Decree of 10 June 2016 on alternating training (decreet houdende regeling van een aantal "
        "aspecten van het alternerend leren) and the implementing orders of the Flemish Government of "
        "8 July 2016 and 20 November 2020.",
        "legal.appeal": "The appeal procedure for workplace learning sites before the appeal committee of the "
        "Vlaams Partnerschap Duaal Leren, under the same rules.",
        "remedy.who": "The company this decision concerns may appeal against it to the appeal committee of the "
        "Vlaams Partnerschap Duaal Leren, via the appeal coordinator.",
        "remedy.form": "The appeal states its grounds: why the decision is wrong in your view. It is lodged by the "
        "company itself (or on its behalf). Quote the reference {reference}.",
        "remedy.how": "You can lodge the appeal online in the digital counter ({portal}) or through the API "
        "(POST /appeals, with this reference as its subject); by e-mail to {email}; or by registered letter to {postal}.",
        "remedy.term": "The appeal must be lodged within {days} {day_kind} after receipt of this notice; the term "
        "starts the day after receipt. The last day to appeal is {deadline}.",
        "remedy.term_open": "The appeal must be lodged within {days} {day_kind} after receipt of this notice; the "
        "term starts the day after receipt (see below: receipt is not assumed).",
        "remedy.holiday_rule": "If the last day is a Saturday, a Sunday or a public holiday, it moves to the next "
        "working day (article 53 of the Judicial Code).",
        "remedy.moved": "Here the term ends on {natural}, which is not a working day; the last day is therefore "
        "{deadline}.",
        "remedy.suspends_not": "An appeal does not suspend the sanction: it applies from the date above until the "
        "appeal committee annuls it, if it does.",
        "remedy.suspends": "An appeal suspends the sanction until the appeal committee has decided.",
        "remedy.refusal_stands": "Until the appeal committee has decided, the company is not recognised for this "
        "training.",
        "council": "This decision is final in the administrative appeal. An application for annulment of this "
        "decision may be lodged with the Council of State (Raad van State), administrative litigation section, "
        "within {days} days after its notification. The application is signed and sent by registered letter to "
        "the {address}, or electronically through the Council of State's e-procedure.",
        "receipt.mailed": "This notice is sent by e-mail to {email} on {dispatch}. It counts as received on "
        "{received_on}{offset}. If the e-mail cannot be delivered, receipt is not assumed: {told} is told and "
        "contacts you.",
        "receipt.same_day": " (the day it is sent)",
        "receipt.offset": " ({days} days after it is sent)",
        "receipt.unmailed": "No e-mail address is known for this notice. It is in the digital counter and counts "
        "as received only when you take note of it; receipt is not assumed. The partnership has been told.",
        "signature": "Yours faithfully,",
        "signature.note": "This notice was drawn up and sent electronically; it bears no handwritten signature.",
        "contact": "Questions about this notice: {sender}, {email}. Quote the reference {reference}.",
        "contact.no_email": "Questions about this notice: {sender}, through the digital counter. Quote the "
        "reference {reference}.",
        "footer": "{reference} - {sender}",
        "translation": "English translation. The authentic text of this notice is the Dutch one (Dutch is the "
        "language of the procedure), which prevails; it follows this translation.",
        "unknown_company": "your company",
        "unknown_training": "the training applied for",
    },
}

_CODE_LIKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")


def format_enterprise_number(value: str) -> str:
    """'0403170701' -> '0403.170.701', the way it is printed on notices."""
    return f"{value[:4]}.{value[4:7]}.{value[7:]}" if len(value) == 10 else value


def language_of(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def text(language: str, key: str, **values: object) -> str:
    """The template ``key`` in ``language`` (Dutch when the language is unknown), filled in."""
    table = TEXTS[language_of(language)]
    return table[key].format(**values) if values else table[key]


def code_text(language: str, group: str, code: str, **values: object) -> str | None:
    """The words for ``group.code`` (a reason, measure type, outcome...), None when there are none."""
    template = CODES[language_of(language)].get(f"{group}.{code}")
    return template.format(**values) if template is not None else None


def reason_text(language: str, reason: str, **values: object) -> str:
    """An inadmissibility reason in words: a known code by its text, a code-like word nobody
    described as the generic 'another reason' (never the code), free text as it was written."""
    known = code_text(language, "reason", reason, **values)
    if known is not None:
        return known
    if _CODE_LIKE.match(reason):
        return CODES[language_of(language)]["reason.other"]
    return reason


def long_date(language: str, day: object) -> str:
    """'12 maart 2027' / '12 March 2027'; anything that is not a date is printed as it is."""
    if not isinstance(day, date):
        return str(day)
    months = MONTHS[language_of(language)]
    return f"{day.day} {months[day.month - 1]} {day.year}"


def day_with_weekday(language: str, day: date) -> str:
    """'zaterdag 13 maart 2027' / 'Saturday 13 March 2027'."""
    weekdays = WEEKDAYS[language_of(language)]
    return f"{weekdays[day.weekday()]} {long_date(language, day)}"


def capitalised(value: str) -> str:
    return value[:1].upper() + value[1:]
