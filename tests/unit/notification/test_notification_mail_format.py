"""The raw message SES sends (RFC 5322): parsed back with the standard library, every header is what
the mail said, lines end in CRLF, and a long or accented subject folds without a leading space."""

import email
from email import policy

import pytest

from notification.adapters.mailer import mime_message
from notification.domain.mails import Mail

SUBJECTS = [
    "Beslissing: sanctie opheffing van de erkenning als leerwerkplek (DL-2027-3F9A0C12BE)",
    "Ontvangstbevestiging van uw beroep: niet ontvankelijk (DL-2027-3F9A0C12BE)",
    "Vraag om ondersteuning: een verkennend gesprek vóór een aanvraag (0403.170.701)",
    "Herinnering: uw erkenning als leerwerkplek voor 'Elektromechanische technieken duaal' loopt af op 29 "
    "februari 2032",
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_the_subject_parses_back_exactly(subject):
    mail = Mail(to="jan@bouwbedrijf.example", subject=subject, body="Geachte Jan,\n\nTekst.\n",
                attachment_name="DL-2027-3F9A0C12BE.pdf", reply_to="bouw@example.be")
    raw = mime_message(mail, "noreply@duaal-leren.example.be", b"%PDF-1.7 test").as_bytes()
    for strict in (policy.default, policy.SMTP):
        parsed = email.message_from_bytes(raw, policy=strict)
        assert parsed["Subject"] == subject and not str(parsed["Subject"]).startswith(" ")
        assert parsed["Reply-To"] == "bouw@example.be" and parsed["To"] == "jan@bouwbedrijf.example"
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert b"Subject:\r\n" not in headers  # never folded right after the colon
    assert all(line.endswith(b"\r") or not line for line in raw.split(b"\n")[:-1])  # CRLF throughout
    assert max(len(line) for line in headers.split(b"\r\n")) <= 78
    (attachment,) = list(email.message_from_bytes(raw, policy=policy.default).iter_attachments())
    assert attachment.get_filename() == "DL-2027-3F9A0C12BE.pdf"
