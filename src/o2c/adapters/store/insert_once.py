"""Insert a row unless its key is already taken: the safe way to create a row two writers may both create.

``INSERT ... ON CONFLICT (key) DO NOTHING`` on PostgreSQL and SQLite. On PostgreSQL a concurrent
transaction that inserted the same key and has not committed yet is waited for: if it commits, this
insert does nothing; if it rolls back, this one inserts. Neither fails on the key, as a plain insert
after a "does it exist?" read would (the read cannot see the other's uncommitted row).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Insert, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert


def insert_once(table: Table, key: Sequence[str]) -> dict[str, Insert]:
    """The statement per dialect name (build it once, at class or module level)."""
    returned = table.c[key[0]]
    return {
        name: make(table).on_conflict_do_nothing(index_elements=list(key)).returning(returned)
        for name, make in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
    }


def inserted(conn: Connection, statement: dict[str, Insert], values: dict[str, Any]) -> bool:
    """Run the insert built by ``insert_once``; True if the row was inserted, False if the key was taken."""
    return conn.execute(statement[conn.dialect.name], values).first() is not None
