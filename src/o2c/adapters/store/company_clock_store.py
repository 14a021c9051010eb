"""Where the company's "today" is kept: one optional row (``company_clock``), none meaning the wall clock."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Engine, delete, insert, select

from o2c.adapters.store import tables as t


def stored_today(conn: Connection) -> date | None:
    """The books' date a person or the demo set, or None when the company runs on the wall clock."""
    return conn.execute(select(t.company_clock.c.today).where(t.company_clock.c.id == 1)).scalar()


def read_stored_today(engine: Engine) -> date | None:
    """The same, read outside any unit of work: on the driver connection, so that on SQLite it takes no
    write lock (the clock is read while a unit of work holds one)."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT today FROM company_clock WHERE id = 1")
        row = cursor.fetchone()
        cursor.close()
    finally:
        connection.close()
    return None if row is None or row[0] is None else date.fromisoformat(str(row[0]))


def set_stored_today(conn: Connection, day: date | None, set_by: str) -> None:
    """Set the company's today (None: back to the wall clock)."""
    conn.execute(delete(t.company_clock))
    if day is not None:
        conn.execute(insert(t.company_clock).values(id=1, today=day, set_by=set_by))
