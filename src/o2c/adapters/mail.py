"""The mail port: ``Mailer.send`` hands one outgoing e-mail to a transport.

- ``SmtpMailer``: a real SMTP client (``smtplib``; STARTTLS and login when configured). The message's
  ``Message-ID`` is derived from its dedupe key, so a resend after a crash is recognisable downstream;
- ``OutboxMailer``: keeps what it was given (the messages stay in the database's ``customer_messages``
  as the record of what was sent): the embedded default and the fake for tests.
Settings come from the environment (``O2C_SMTP_HOST``, ``O2C_SMTP_PORT``, ``O2C_SMTP_USER``,
``O2C_SMTP_PASSWORD``, ``O2C_SMTP_STARTTLS``); the password is never logged.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    message_id: str
    sender: str
    to: str
    subject: str
    body: str
    language: str = "en"
    dedupe_key: str | None = None
    attachments: tuple[tuple[str, bytes, str], ...] = ()

    def header_id(self, domain: str = "o2c.invalid") -> str:
        token = hashlib.sha256((self.dedupe_key or self.message_id).encode()).hexdigest()[:32]
        return f"<{token}@{domain}>"


class Mailer(Protocol):
    def send(self, mail: OutgoingMail) -> str:
        """Hand ``mail`` to the transport; return the transport's reference for it."""
        ...


def to_email(mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = mail.sender, mail.to, mail.subject
    message["Message-ID"] = mail.header_id()
    message["Date"] = formatdate(localtime=False)
    message.set_content(mail.body)
    message["Content-Language"] = mail.language
    for name, content, mime in mail.attachments:
        main, _, sub = mime.partition("/")
        message.add_attachment(content, maintype=main, subtype=sub or "octet-stream", filename=name)
    return message


@dataclass
class SmtpMailer:
    host: str
    port: int = 25
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False
    timeout: float = 10.0

    @classmethod
    def from_env(cls) -> SmtpMailer:
        return cls(os.environ.get("O2C_SMTP_HOST", "127.0.0.1"), int(os.environ.get("O2C_SMTP_PORT", "25")),
                   os.environ.get("O2C_SMTP_USER"), os.environ.get("O2C_SMTP_PASSWORD"),
                   os.environ.get("O2C_SMTP_STARTTLS", "").lower() in ("1", "true", "yes"))

    def send(self, mail: OutgoingMail) -> str:
        message = to_email(mail)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)
        return str(message["Message-ID"])


@dataclass
class OutboxMailer:
    """Records what would be sent; the customer_messages table is the durable outbox."""

    sent: list[OutgoingMail] = field(default_factory=list)

    def send(self, mail: OutgoingMail) -> str:
        self.sent.append(mail)
        return mail.header_id()
