"""Prepared statements: SQLAlchemy's work of each execute done once, for the statements on hot paths.

``conn.execute(statement)`` recomputes the statement's cache key, looks its compiled form up, binds and
processes parameters and wraps the cursor in a result, some 20-40 µs a call before the database does
anything. Cash application runs a dozen statements per payment, so that alone was a fifth of its time.

A ``Prepared`` statement is compiled once per dialect. Each run binds the parameters through the
column types' own bind processors (what SQLAlchemy would do), runs on the driver's cursor of the
connection's current transaction, and converts result columns with the types' own result processors.
It begins the SQLAlchemy transaction first when none is open, so SQLite's ``BEGIN IMMEDIATE`` and the
unit of work's commit and rollback work exactly as for any other statement.

Not for statements with expanding (``IN``-list) parameters: build one per list length instead
(``Prepared.for_each``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    compiled: Any
    positions: tuple[str, ...] | None  # parameter names in order (positional paramstyles), else None
    binds: dict[str, Processor]
    results: tuple[Processor, ...]


class Prepared:
    """One statement, compiled once per dialect and run straight on the driver's cursor."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._plans: dict[str, _Plan] = {}

    @staticmethod
    def for_each(sizes: range, build: Callable[[int], ClauseElement]) -> dict[int, Prepared]:
        """One prepared statement per size, for a statement whose shape depends on a list's length."""
        return {n: Prepared(build(n)) for n in sizes}

    def _plan(self, dialect: Dialect) -> _Plan:
        plan = self._plans.get(dialect.name)
        if plan is None:
            compiled = self.statement.compile(dialect=dialect)
            binds = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                     for name, bind in compiled.binds.items()}
            columns = getattr(self.statement, "selected_columns", None)
            results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns or ())
            positions = tuple(compiled.positiontup) if compiled.positional else None
            plan = self._plans[dialect.name] = _Plan(compiled.string, compiled, positions, binds, results)
        return plan

    def _parameters(self, plan: _Plan, params: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        values = plan.compiled.construct_params(params)
        for name, process in plan.binds.items():
            if process is not None and values.get(name) is not None:
                values[name] = process(values[name])
        return [values[n] for n in plan.positions] if plan.positions is not None else values

    def _cursor(self, conn: Connection) -> Any:
        if not conn.in_transaction():
            conn.begin()  # as the first SQLAlchemy statement would (SQLite: BEGIN IMMEDIATE)
        return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]

    def rows(self, conn: Connection, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Every result row, as tuples of converted values."""
        plan = self._plan(conn.dialect)
        cursor = self._cursor(conn)
        try:
            cursor.execute(plan.sql, self._parameters(plan, params or {}))
            fetched = cursor.fetchall()
        finally:
            cursor.close()
        convert = [(n, p) for n, p in enumerate(plan.results) if p is not None]
        if not convert:
            return [tuple(r) for r in fetched]
        found = []
        for row in fetched:
            values = list(row)
            for n, process in convert:
                values[n] = process(values[n])
            found.append(tuple(values))
        return found

    def first(self, conn: Connection, params: Mapping[str, Any] | None = None) -> tuple[Any, ...] | None:
        found = self.rows(conn, params)
        return found[0] if found else None

    def scalar(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Any:
        row = self.first(conn, params)
        return None if row is None else row[0]

    def run(self, conn: Connection, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> None:
        """Run an insert, update or delete, once or (for a list of parameter sets) for each of them."""
        plan = self._plan(conn.dialect)
        cursor = self._cursor(conn)
        try:
            if isinstance(params, Mapping):
                cursor.execute(plan.sql, self._parameters(plan, params))
            elif params:
                cursor.executemany(plan.sql, [self._parameters(plan, p) for p in params])
        finally:
            cursor.close()
