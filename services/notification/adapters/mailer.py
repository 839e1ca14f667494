"""Sending e-mail through SES: a raw MIME message so that the PDF notice travels as an attachment."""

from __future__ import annotations

from email.message import EmailMessage

from kernel import aws
from notification.domain.mails import Mail


def mime_message(mail: Mail, sender: str, attachment: bytes | None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    if attachment is not None:
        message.add_attachment(
            attachment, maintype="application", subtype="pdf", filename=mail.attachment_name or "notice.pdf"
        )
    return message


class SesMailer:
    def __init__(self, sender: str, configuration_set: str | None = None) -> None:
        self._sender = sender
        # The set's event destination counts sends, deliveries, bounces and complaints (the operator's
        # dashboard and alarms); a mail sent outside it would be invisible there.
        self._configuration_set = configuration_set

    def send(self, mail: Mail, attachment: bytes | None = None) -> str:
        message = mime_message(mail, self._sender, attachment)
        extra = {"ConfigurationSetName": self._configuration_set} if self._configuration_set else {}
        response = aws.client("ses").send_raw_email(
            Source=self._sender, Destinations=[mail.to], RawMessage={"Data": message.as_bytes()}, **extra
        )
        return response["MessageId"]
