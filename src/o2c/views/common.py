"""Helpers shared by the read models: the business date the views report at, and money formatting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Engine, text

from o2c.adapters.store.uow import UnitOfWork
from o2c.domain.money import minor_units


def business_date(uow: UnitOfWork) -> date:
    """The company's today: the books' date when one is set (the demo's last simulated day), else the
    wall clock. Every view, command and page reports at this date, so their day counts agree."""
    return uow.clock.today()


def from_minor(minor: int | None, currency: str) -> Decimal:
    return Decimal(int(minor or 0)).scaleb(-minor_units(currency))


def as_day(value: object) -> date:
    """A date from whatever the database driver returns for a date expression (SQLite gives text)."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def database_answers(engine: Engine) -> str:
    """The database dialect's name once a trivial query succeeded (a liveness probe)."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return engine.dialect.name
