"""Engine creation for SQLite (embedded default) and PostgreSQL.

On SQLite every transaction starts with ``BEGIN IMMEDIATE`` (WAL mode, 30 s busy timeout): writers
queue instead of failing half-way, and a unit of work never acts on a read another process changed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event

from o2c.config import normalise_database_url


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    url = normalise_database_url(database_url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy, not the driver, begins transactions
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages per connection instead of 2 MiB
    cursor.close()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _begin_immediate(connection: Any) -> None:
    """Take SQLite's write lock at the start of every unit of work, so what it read stays true
    until it commits (several processes — worker, web, CLI — share one file)."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")
