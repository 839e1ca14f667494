"""Sending e-mail through SES: a raw MIME message so that the PDF notice travels as an attachment."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import EmailPolicy
from typing import Any

from kernel import aws
from notification.domain.mails import Mail


class _FoldingPolicy(EmailPolicy):
    """policy.SMTP, except that an ASCII Subject too long for one line folds after as many words
    as fit on the first line. The standard folder moves the whole value to a continuation line
    when it fits there ("Subject:" CRLF SP value), which unfolds with a leading space (RFC 5322
    section 2.2.3: unfolding only removes the CRLF)."""

    def fold_binary(self, name: str, value: Any) -> bytes:
        text, width = str(value), self.max_line_length or 78
        if name.lower() == "subject" and text.isascii() and "\r" not in text and "\n" not in text \
                and len(name) + 2 + len(text) > width:
            return _folded(name, text, width).encode("ascii")
        return super().fold_binary(name, value)


def _folded(name: str, text: str, width: int) -> str:
    lines, line = [], f"{name}:"
    for word in text.split(" "):
        if len(line) + 1 + len(word) > width and line != f"{name}:":
            lines.append(line)
            line = ""
        line = f"{line} {word}"
    lines.append(line)
    return "\r\n".join(lines) + "\r\n"


_POLICY = _FoldingPolicy(linesep="\r\n")


def mime_message(mail: Mail, sender: str, attachment: bytes | None) -> EmailMessage:
    """RFC 5322 with CRLF line ends; a long subject folds at whitespace, so that a reader
    unfolding it gets the subject back exactly."""
    message = EmailMessage(policy=_POLICY)
    message["From"] = sender
    message["To"] = mail.to
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to  # the sender is a no-reply; answers go to the partnership
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
        extra: dict[str, Any] = {"ConfigurationSetName": self._configuration_set} if self._configuration_set else {}
        if mail.tags:
            extra["Tags"] = [{"Name": name, "Value": value} for name, value in mail.tags]
        response = aws.client("ses").send_raw_email(
            Source=self._sender, Destinations=[mail.to], RawMessage={"Data": message.as_bytes()}, **extra
        )
        return response["MessageId"]
