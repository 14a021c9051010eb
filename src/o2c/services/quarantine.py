"""The quarantine, from a person's side: what was refused and why, what was kept, and closing an entry.

A quarantined file stays ``open`` until it is imported on a retry (``resolved``, see
``IntakeService.retry_quarantined``) or a person dismisses it with a reason (``dismissed``, audited
with that reason). Nothing is deleted: the kept content stays for the audit.

``shown_content`` turns the kept bytes into text that is safe to show anywhere (control characters
escaped, undecodable bytes replaced): all of a small file, the first and last page of a large one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from o2c.adapters.store.intake_store import IntakeStore, QuarantinedBody
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain.errors import DomainError
from o2c.domain.partners import parse_sender

if TYPE_CHECKING:
    from o2c.services.handlers import Company

SENDER_HINT = "EDI sender "


@dataclass(frozen=True, slots=True)
class ShownContent:
    head: str
    tail: str
    truncated: bool
    size: int
    sha256: str


def shown_content(body: QuarantinedBody) -> ShownContent:
    return ShownContent(_text(body.head), _text(body.tail), body.truncated, body.size, body.sha256)


def _text(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    return "".join(ch if ch in "\n\t" or ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def senders_named(reason: str) -> list[str]:
    """The EDI sender ids a quarantine reason names (``EDI sender ZZ:ACME``), for "map this sender"."""
    found: list[str] = []
    for part in reason.split(SENDER_HINT)[1:]:
        words = part.split()
        token = words[0].rstrip(":,;).") if words else ""
        if token and parse_sender(token) is not None and token not in found:
            found.append(token)
    return found


def entries(uow: UnitOfWork, status: str | None = "open", limit: int = 200) -> list[dict[str, Any]]:
    """Quarantine entries (newest first) with the EDI senders their reason names."""
    return [
        e | {"senders": senders_named(e["reason"])}
        for e in IntakeStore(uow.conn).quarantine.entries(status, limit)
    ]


def entry(uow: UnitOfWork, entry_id: int) -> tuple[dict[str, Any], ShownContent] | None:
    store = IntakeStore(uow.conn).quarantine
    found, body = store.entry(entry_id), store.body(entry_id)
    if found is None or body is None:
        return None
    return found | {"senders": senders_named(found["reason"])}, shown_content(body)


def dismiss_quarantined(uow: UnitOfWork, cmd: c.DismissQuarantined, company: Company) -> str:
    if not cmd.reason.strip():
        raise DomainError("dismissing a quarantined file needs a reason")
    store = IntakeStore(uow.conn).quarantine
    entry = store.entry(cmd.entry_id)
    if entry is None:
        raise DomainError(f"no quarantined file #{cmd.entry_id}")
    if entry["status"] != "open":
        raise DomainError(f"quarantined file #{cmd.entry_id} is {entry['status']} already")
    store.close(cmd.entry_id, "dismissed")
    return f"quarantined file #{cmd.entry_id} ({entry['filename']}) dismissed: {cmd.reason.strip()}"


HANDLERS: dict[type, Any] = {c.DismissQuarantined: dismiss_quarantined}
