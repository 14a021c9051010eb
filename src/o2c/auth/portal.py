"""Customers' own identity: portal access, one revocable token per customer contact.

A customer talks to o2c as themselves with a portal token (``o2cp_...``) that is bound to one
customer: everything said with it is about that customer's documents only, and there is no field in
which it could name another customer. The token is shown once and stored as a SHA-256 hash, like an
API token. Granting and revoking are audited with who did it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from o2c.auth.passwords import PORTAL_TOKEN_PREFIX, new_token, token_hash
from o2c.auth.tables import portal_access
from o2c.bootstrap import App
from o2c.domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class CustomerIdentity:
    """Who is talking: a contact of one customer, through one portal access."""

    access_id: str
    customer_id: str
    contact: str

    @property
    def actor(self) -> str:
        """The name this contact's actions carry in proposals and the audit trail."""
        return f"portal:{self.access_id}"


@dataclass(frozen=True, slots=True)
class PortalAccess:
    id: str
    customer_id: str
    contact: str
    created_by: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def _identity(conn: Connection, digest: str) -> CustomerIdentity | None:
    row = conn.execute(
        select(portal_access.c.id, portal_access.c.customer_id, portal_access.c.contact).where(
            portal_access.c.token_hash == digest, portal_access.c.revoked_at.is_(None)
        )
    ).first()
    return None if row is None else CustomerIdentity(row.id, row.customer_id, row.contact)


def grant(app: App, customer_id: str, contact: str, actor: str) -> tuple[PortalAccess, str]:
    """A new portal access for a contact of ``customer_id``; the token is returned once."""
    contact = contact.strip()
    if not contact or len(contact) > 200:
        raise DomainError("a portal contact needs 1 to 200 characters (a name or an e-mail address)")
    token, access_id = new_token(PORTAL_TOKEN_PREFIX), "PA-" + secrets.token_hex(6)
    with app.uow() as uow:
        if uow.customers.get(customer_id) is None:
            raise DomainError(f"unknown customer {customer_id!r}")
        now = uow.clock.now()
        uow.conn.execute(
            insert(portal_access).values(
                id=access_id,
                token_hash=token_hash(token),
                customer_id=customer_id,
                contact=contact,
                created_by=actor,
                created_at=now,
            )
        )
        uow.audit.append(
            now,
            actor,
            "portal_access_granted",
            f"customer:{customer_id}",
            f"portal access for {contact}",
            {"access": access_id, "contact": contact},
        )
        uow.commit()
    return PortalAccess(access_id, customer_id, contact, actor, now, None, None), token


def revoke(app: App, access_id: str, actor: str) -> None:
    with app.uow() as uow:
        row = uow.conn.execute(select(portal_access).where(portal_access.c.id == access_id)).first()
        if row is None:
            raise DomainError(f"no portal access {access_id!r}")
        now = uow.clock.now()
        uow.conn.execute(
            update(portal_access)
            .where(portal_access.c.id == access_id, portal_access.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        uow.audit.append(
            now,
            actor,
            "portal_access_revoked",
            f"customer:{row.customer_id}",
            f"portal access of {row.contact} revoked",
            {"access": access_id},
        )
        uow.commit()


def accesses(app: App, customer_id: str | None = None) -> list[PortalAccess]:
    query = select(portal_access).order_by(portal_access.c.customer_id, portal_access.c.created_at)
    if customer_id:
        query = query.where(portal_access.c.customer_id == customer_id)
    with app.uow() as uow:
        return [
            PortalAccess(
                r.id, r.customer_id, r.contact, r.created_by, r.created_at, r.last_used_at, r.revoked_at
            )
            for r in uow.conn.execute(query)
        ]


def customer_for_token(app: App, token: str) -> CustomerIdentity | None:
    """The contact a portal token speaks for, while it is not revoked."""
    if not token.startswith(PORTAL_TOKEN_PREFIX):
        return None
    digest = token_hash(token)
    with app.uow() as uow:
        identity = _identity(uow.conn, digest)
        if identity is not None:
            uow.conn.execute(
                update(portal_access)
                .where(portal_access.c.token_hash == digest)
                .values(last_used_at=uow.clock.now())
            )
            uow.commit()
    return identity
