"""The mail port, both directions: ``Mailer`` sends an e-mail, ``Mailbox`` reads the ones that came in.

An ``IncomingMail`` is one message as a mailbox holds it: where it sits (folder, UIDVALIDITY, UID), who
sent it, its headers that thread it (Message-ID, In-Reply-To, References), its text and its attachments.
``key`` is what makes a message processed once: its Message-ID when it has one, else a hash of its content
(a message re-delivered under a new UID is then still the same message).
A mailbox hands out what is waiting (``waiting``), files a message away when o2c is done with it (``file``:
into a folder, or flagged where it cannot be moved), and waits for news (``wait``: IMAP IDLE where the
server offers it, else a plain sleep before the next poll).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class IncomingMail:
    """One message in a mailbox; ``uid`` and ``uid_validity`` say where, ``key`` says which."""

    folder: str
    uid_validity: int
    uid: int
    message_id: str
    sender: str
    subject: str
    text: str
    in_reply_to: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    raw_sha256: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        message_id = self.message_id.strip().strip("<>").strip()
        if message_id:
            return "mid:" + (
                message_id if len(message_id) <= 180 else hashlib.sha256(message_id.encode()).hexdigest()
            )
        return f"sha256:{self.raw_sha256}"


class Mailbox(Protocol):
    name: str

    def waiting(self) -> Iterator[IncomingMail]:
        """The messages in the watched folder, oldest first."""
        ...

    def file(self, mail: IncomingMail, outcome: str) -> None:
        """Move ``mail`` out of the watched folder into the one for ``outcome`` ("done", "quarantine")."""
        ...

    def wait(self, timeout_s: float) -> None:
        """Return when new mail may have arrived, or after ``timeout_s``."""
        ...
