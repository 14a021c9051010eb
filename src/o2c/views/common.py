"""Helpers shared by the read models: the business date the views report at, and money formatting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Engine, func, select, text

from o2c.adapters.store import tables as t
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain.money import minor_units


def business_date(uow: UnitOfWork) -> date:
    """The last day with activity in the books, or today when nothing was posted yet.

    A database built by the simulation reads as it did on its last simulated day; a live one reads
    as of its latest posting, which is today's date in normal running.
    """
    latest = uow.conn.execute(select(func.max(t.journal_entries.c.posted_on))).scalar()
    if latest is None:
        return uow.clock.today()
    return as_day(latest)


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
