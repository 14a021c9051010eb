"""Engine creation for SQLite (embedded default) and PostgreSQL.

On SQLite every transaction starts with ``BEGIN IMMEDIATE`` (WAL mode, 30 s busy timeout): writers
queue instead of failing half-way, and a unit of work never acts on a read another process changed.
A connection given ``read_only_options`` instead begins a read transaction that takes no lock and
refuses writes: plain ``BEGIN`` with ``PRAGMA query_only`` on SQLite (WAL readers see one snapshot
and never block the writer), ``BEGIN READ ONLY`` on PostgreSQL.
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
        event.listen(engine, "begin", _begin)
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


READ_ONLY = "o2c_read_only"


def read_only_options(engine: Engine) -> dict[str, Any]:
    """Execution options that make a connection's transactions read-only on this engine's database."""
    return {READ_ONLY: True} if is_sqlite(engine) else {"postgresql_readonly": True}


def _begin(connection: Any) -> None:
    """Take SQLite's write lock at the start of every unit of work, so what it read stays true
    until it commits (several processes — worker, web, CLI — share one file); a read-only one takes
    none, and ``query_only`` (switched only when it changes for this driver connection) refuses writes."""
    read_only = bool(connection.get_execution_options().get(READ_ONLY))
    info = connection.connection.info
    if info.get(READ_ONLY, False) != read_only:
        connection.exec_driver_sql(f"PRAGMA query_only = {int(read_only)}")
        info[READ_ONLY] = read_only
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
