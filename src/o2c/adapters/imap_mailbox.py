"""A real mailbox over IMAP (``imap-tools``): the ``Mailbox`` side of ``o2c.ports.mail``.

``O2C_IMAP_URL`` names it: ``imaps://user@host[:993]/INBOX`` (TLS from the first byte, certificates
verified; ``O2C_IMAP_CA_FILE`` adds a private CA), ``imap+starttls://user@host[:143]/INBOX`` or
``imap://...?starttls=true`` (STARTTLS), plain ``imap://user@host:port/INBOX`` (for a server on loopback).
The password comes from ``O2C_IMAP_PASSWORD`` only; a URL that carries one is refused.
Messages are read without marking them seen; one that o2c is done with is moved to ``o2c/done`` or
``o2c/quarantine`` (created when missing, with the server's hierarchy separator), or only flagged
(``\\Flagged`` plus the ``$o2c-done`` keyword) when the server refuses folders. ``wait`` uses IDLE
when the server offers it (bounded by the timeout) and sleeps otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessage
from imap_tools.errors import MailboxFolderCreateError, MailboxMoveError
from lxml import html as lxml_html

from o2c.ports.mail import Attachment, IncomingMail

TlsMode = Literal["none", "starttls", "ssl"]
DEFAULT_PORTS = {"none": 143, "starttls": 143, "ssl": 993}
FOLDERS = {"done": "o2c/done", "quarantine": "o2c/quarantine"}
DONE_KEYWORD = "$o2c-done"
IDLE_LIMIT_S = 25 * 60  # servers may end an IDLE after 30 minutes (RFC 2177)


@dataclass
class ImapSettings:
    host: str
    username: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    port: int = 993
    tls: TlsMode = "ssl"
    ca_file: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_url(cls, url: str, password: str | None, ca_file: str | None = None) -> ImapSettings:
        parts = urlsplit(url)
        if parts.scheme not in ("imap", "imaps", "imap+starttls"):
            raise ValueError(f"O2C_IMAP_URL: unknown scheme {parts.scheme!r} (imaps, imap+starttls or imap)")
        if parts.password:
            raise ValueError("O2C_IMAP_URL must not hold the password: put it in O2C_IMAP_PASSWORD")
        if not parts.username or not parts.hostname:
            raise ValueError("O2C_IMAP_URL needs a user and a host: imaps://user@host/INBOX")
        if password is None:
            raise ValueError("O2C_IMAP_PASSWORD is not set")
        tls: TlsMode = (
            "ssl" if parts.scheme == "imaps" else "starttls" if parts.scheme == "imap+starttls" else "none"
        )
        if parse_qs(parts.query).get("starttls", ["false"])[0].lower() in ("1", "true", "yes"):
            tls = "starttls"
        return cls(
            parts.hostname,
            unquote(parts.username),
            password,
            unquote(parts.path.strip("/")) or "INBOX",
            parts.port or DEFAULT_PORTS[tls],
            tls,
            ca_file,
        )

    @property
    def name(self) -> str:
        return f"{self.username}@{self.host}:{self.port}/{self.folder}"


def _connect(settings: ImapSettings) -> BaseMailBox:
    context = ssl.create_default_context(cafile=settings.ca_file)
    if settings.tls == "ssl":
        box: BaseMailBox = MailBox(settings.host, settings.port, settings.timeout, ssl_context=context)
    elif settings.tls == "starttls":
        box = MailBoxStartTls(settings.host, settings.port, settings.timeout, ssl_context=context)
    else:
        box = MailBoxUnencrypted(settings.host, settings.port, settings.timeout)
    return box.login(settings.username, settings.password, settings.folder)


def incoming(message: MailMessage, folder: str, uid_validity: int) -> IncomingMail:
    """An imap-tools message as the port's ``IncomingMail``."""
    headers = {k: v[0] for k, v in message.headers.items() if v}
    threading = " ".join(headers.get("in-reply-to", "").split() + headers.get("references", "").split())
    text = message.text or _plain(message.html)
    return IncomingMail(
        folder,
        uid_validity,
        int(message.uid or 0),
        headers.get("message-id", "").strip(),
        parseaddr(message.from_)[1].lower() or message.from_.lower(),
        message.subject,
        text,
        tuple(dict.fromkeys(part for part in threading.split() if part)),
        tuple(
            Attachment(a.filename or "attachment", a.content_type, a.payload)
            for a in message.attachments
            if a.content_disposition != "inline" or a.filename
        ),
        hashlib.sha256(message.obj.as_bytes()).hexdigest(),
        headers,
    )


def _plain(html: str) -> str:
    return lxml_html.fromstring(html).text_content() if html.strip() else ""


class ImapMailbox:
    """One watched IMAP folder. Use as a context manager (it logs in and out)."""

    def __init__(self, settings: ImapSettings) -> None:
        self.settings = settings
        self.name = settings.name
        self._box: BaseMailBox | None = None
        self._folders: dict[str, str] = {}

    def __enter__(self) -> ImapMailbox:
        self._box = _connect(self.settings)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._box is not None:
            with contextlib.suppress(OSError, ssl.SSLError):
                self._box.logout()
            self._box = None

    @property
    def box(self) -> BaseMailBox:
        if self._box is None:
            raise RuntimeError("the mailbox is not open: use it in a with block")
        return self._box

    @property
    def offers_idle(self) -> bool:
        return "IDLE" in self.box.client.capabilities

    def waiting(self) -> Iterator[IncomingMail]:
        folder = self.settings.folder
        validity = int(self.box.folder.status(folder, ["UIDVALIDITY"])["UIDVALIDITY"])
        self.box.folder.set(folder)
        for message in self.box.fetch(f"NOT KEYWORD {DONE_KEYWORD}", mark_seen=False, bulk=False):
            yield incoming(message, folder, validity)

    def file(self, mail: IncomingMail, outcome: str) -> None:
        try:
            self.box.move(str(mail.uid), self._folder(outcome))
        except (MailboxMoveError, MailboxFolderCreateError):
            self.box.flag(str(mail.uid), ("\\Flagged", DONE_KEYWORD), True)

    def _folder(self, outcome: str) -> str:
        if outcome not in self._folders:
            delimiter = next((f.delim for f in self.box.folder.list() if f.delim), "/")
            name = FOLDERS.get(outcome, FOLDERS["done"]).replace("/", delimiter)
            if not self.box.folder.exists(name):
                self.box.folder.create(name)
            self._folders[outcome] = name
        return self._folders[outcome]

    def wait(self, timeout_s: float) -> None:
        if not self.offers_idle:
            time.sleep(timeout_s)
            return
        self.box.idle.wait(timeout=min(timeout_s, IDLE_LIMIT_S))
