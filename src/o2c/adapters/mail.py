"""Outgoing mail (the ``Mailer`` side of ``o2c.ports.mail``): one e-mail handed to a transport.

- ``SmtpMailer``: a real SMTP client (``smtplib``) with TLS and login. The message's ``Message-ID`` is
  derived from its dedupe key, so a resend after a crash is recognisable downstream (and a customer's
  reply to a reminder is threaded back to it by ``In-Reply-To``);
- ``OutboxMailer``: keeps what it was given (the messages stay in the database's ``customer_messages``
  as the record of what was sent): the embedded default and the fake for tests.
Settings come from the environment: ``O2C_SMTP_URL`` (``smtps://user@host:465`` for TLS from the first
byte, ``smtp+starttls://user@host:587`` or ``smtp://user@host:587?starttls=true`` for STARTTLS, plain
``smtp://host:25`` for a relay on loopback) with ``O2C_SMTP_PASSWORD`` and ``O2C_SMTP_CA_FILE`` (a
private CA to trust; certificates are always verified), or the older ``O2C_SMTP_HOST``, ``O2C_SMTP_PORT``,
``O2C_SMTP_USER``, ``O2C_SMTP_STARTTLS``. The password is never logged nor shown in ``repr``.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from o2c.ports.mail import Mailer, OutgoingMail

__all__ = ["Mailer", "OutboxMailer", "OutgoingMail", "SmtpMailer", "to_email"]
TlsMode = Literal["none", "starttls", "ssl"]
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


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
    tls: TlsMode | None = None
    ca_file: str | None = None

    @classmethod
    def from_env(cls) -> SmtpMailer:
        if url := os.environ.get("O2C_SMTP_URL"):
            return cls.from_url(url, os.environ.get("O2C_SMTP_PASSWORD"), os.environ.get("O2C_SMTP_CA_FILE"))
        return cls(
            os.environ.get("O2C_SMTP_HOST", "127.0.0.1"),
            int(os.environ.get("O2C_SMTP_PORT", "25")),
            os.environ.get("O2C_SMTP_USER"),
            os.environ.get("O2C_SMTP_PASSWORD"),
            os.environ.get("O2C_SMTP_STARTTLS", "").lower() in ("1", "true", "yes"),
        )

    @classmethod
    def from_url(cls, url: str, password: str | None = None, ca_file: str | None = None) -> SmtpMailer:
        """``smtps://``, ``smtp+starttls://`` or ``smtp://[?starttls=true]``; a password in the URL is refused."""
        parts = urlsplit(url)
        if parts.password:
            raise ValueError("O2C_SMTP_URL must not hold the password: put it in O2C_SMTP_PASSWORD")
        query = parse_qs(parts.query)
        tls: TlsMode = {"smtps": "ssl", "smtp+starttls": "starttls"}.get(parts.scheme, "none")  # type: ignore[assignment]
        if parts.scheme not in ("smtp", "smtps", "smtp+starttls"):
            raise ValueError(f"O2C_SMTP_URL: unknown scheme {parts.scheme!r} (smtp, smtps or smtp+starttls)")
        if query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes"):
            tls = "starttls"
        return cls(
            parts.hostname or "127.0.0.1",
            parts.port or DEFAULT_PORTS[tls],
            unquote(parts.username) if parts.username else None,
            password,
            tls == "starttls",
            tls=tls,
            ca_file=ca_file,
        )

    @property
    def tls_mode(self) -> TlsMode:
        return self.tls or ("starttls" if self.starttls else "none")

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def _connect(self) -> smtplib.SMTP:
        if self.tls_mode == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._context())
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.tls_mode == "starttls":
            smtp.starttls(context=self._context())
        return smtp

    def send(self, mail: OutgoingMail) -> str:
        message = to_email(mail)
        with self._connect() as smtp:
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
