"""Where the company profile and the trading-partner directory are kept (``company_profile``,
``trading_partners``)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, delete, insert, inspect, select, update

from o2c.adapters.store import tables as t
from o2c.domain.codec import decode, encode
from o2c.domain.company import CompanyProfile
from o2c.domain.partners import PartnerDirectory, TradingPartner


class CompanyProfiles:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self) -> CompanyProfile | None:
        body = self.conn.execute(select(t.company_profile.c.body).where(t.company_profile.c.id == 1)).scalar()
        return None if body is None else decode(CompanyProfile, body)

    def add(self, profile: CompanyProfile) -> None:
        self.conn.execute(
            insert(t.company_profile).values(
                id=1,
                name=profile.name,
                country=profile.country,
                currency=profile.currency,
                body=encode(profile),
            )
        )


def read_company_profile(engine: Engine) -> CompanyProfile | None:
    """The stored company, read before the application is built; None on a database without one."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("company_profile"):
            return None
        return CompanyProfiles(conn).get()


class TradingPartners:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def all(self) -> list[TradingPartner]:
        rows = self.conn.execute(
            select(t.trading_partners).order_by(
                t.trading_partners.c.customer_id,
                t.trading_partners.c.qualifier,
                t.trading_partners.c.sender_id,
            )
        )
        return [TradingPartner(r.sender_id, r.customer_id, r.qualifier) for r in rows]

    def directory(self) -> PartnerDirectory:
        return PartnerDirectory(self.all())

    def get(self, qualifier: str, sender_id: str) -> TradingPartner | None:
        row = self.conn.execute(
            select(t.trading_partners).where(
                t.trading_partners.c.qualifier == qualifier, t.trading_partners.c.sender_id == sender_id
            )
        ).first()
        return None if row is None else TradingPartner(row.sender_id, row.customer_id, row.qualifier)

    def put(self, partner: TradingPartner) -> str:
        """Add or re-point one mapping; 'added', 'updated' or 'unchanged'."""
        existing = self.get(partner.qualifier, partner.sender_id)
        if existing == partner:
            return "unchanged"
        if existing is not None:
            self.conn.execute(
                update(t.trading_partners)
                .where(
                    t.trading_partners.c.qualifier == partner.qualifier,
                    t.trading_partners.c.sender_id == partner.sender_id,
                )
                .values(customer_id=partner.customer_id)
            )
            return "updated"
        self.conn.execute(
            insert(t.trading_partners).values(
                qualifier=partner.qualifier, sender_id=partner.sender_id, customer_id=partner.customer_id
            )
        )
        return "added"

    def remove(self, qualifier: str, sender_id: str) -> bool:
        result = self.conn.execute(
            delete(t.trading_partners).where(
                t.trading_partners.c.qualifier == qualifier, t.trading_partners.c.sender_id == sender_id
            )
        )
        return bool(result.rowcount)
