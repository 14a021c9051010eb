"""Prepared statements: SQLAlchemy's work of each execute done once, for the statements on hot paths.

``conn.execute(statement)`` recomputes the statement's cache key, looks its compiled form up, binds and
processes parameters and wraps the cursor in a result, some 20-40 µs a call before the database does
anything. Cash application runs a dozen statements per payment, so that alone was a fifth of its time.

A ``Prepared`` statement is compiled once per dialect. Each run binds the parameters through the
column types' own bind processors (what SQLAlchemy would do), runs on the driver's cursor of the
connection's current transaction, and converts result columns with the types' own result processors.
It begins the SQLAlchemy transaction first when none is open, so SQLite's ``BEGIN IMMEDIATE`` and the
unit of work's commit and rollback work exactly as for any other statement.

Not for statements with expanding (``IN``-list) parameters: build one per list length instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    compiled: Any
    positions: tuple[str, ...] | None  # parameter names in order (positional paramstyles), else None
    names: frozenset[str]  # every parameter of the statement
    binds: tuple[tuple[str, Callable[[Any], Any]], ...]  # the parameters whose type converts them
    results: tuple[tuple[int, Callable[[Any], Any]], ...]  # the result columns whose type converts them


class Prepared:
    """One statement, compiled once per dialect and run straight on the driver's cursor."""

    def __init__(self, statement: ClauseElement, columns: Sequence[str] | None = None) -> None:
        """``columns``: for an insert or update, the columns it writes (each run gives them all).

        An insert also writes the scalar defaults of the table's other columns, as SQLAlchemy would.
        """
        self.statement = statement
        self.defaults: dict[str, Any] = {}
        if columns is not None and isinstance(statement, Insert):
            for column in statement.table.columns:
                if column.name in columns or column.default is None:
                    continue
                if not column.default.is_scalar:
                    raise ValueError(f"{column} has a default only SQLAlchemy can compute: insert it that way")
                self.defaults[column.name] = column.default.arg  # type: ignore[attr-defined]
        self.columns = [*columns, *self.defaults] if columns is not None else None
        self._plans: dict[str, _Plan] = {}

    def _plan(self, dialect: Dialect) -> _Plan:
        plan = self._plans.get(dialect.name)
        if plan is None:
            compiled: Any = self.statement.compile(dialect=dialect, column_keys=self.columns)
            if expanding := [name for name, bind in compiled.binds.items() if bind.expanding]:
                raise ValueError(f"{expanding} expand into lists: prepare one statement per list length")
            binds = tuple((name, process) for name, bind in compiled.binds.items()
                          if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None)
            columns = getattr(self.statement, "selected_columns", None) or ()
            results = tuple((n, process) for n, c in enumerate(columns)
                            if (process := c.type.dialect_impl(dialect).result_processor(dialect, None)) is not None)
            positions = tuple(compiled.positiontup) if compiled.positional else None
            plan = self._plans[dialect.name] = _Plan(compiled.string, compiled, positions,
                                                     frozenset(compiled.binds), binds, results)
        return plan

    def _parameters(self, plan: _Plan, params: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        if unknown := params.keys() - plan.names:  # a value the statement would silently drop
            raise ValueError(f"{sorted(unknown)} are not parameters of: {plan.sql}")
        values = plan.compiled.construct_params({**self.defaults, **params} if self.defaults else params)
        for name, process in plan.binds:
            if values.get(name) is not None:
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
        bound = self._parameters(plan, params or {})
        try:
            cursor.execute(plan.sql, bound)
            fetched = cursor.fetchall()
        except conn.dialect.loaded_dbapi.Error as error:
            raise _wrapped(plan, bound, error, conn) from error
        finally:
            cursor.close()
        convert = plan.results
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
        bound: Any = None
        try:
            if isinstance(params, Mapping):
                bound = self._parameters(plan, params)
                cursor.execute(plan.sql, bound)
            elif params:
                bound = [self._parameters(plan, p) for p in params]
                cursor.executemany(plan.sql, bound)
        except conn.dialect.loaded_dbapi.Error as error:
            raise _wrapped(plan, bound, error, conn) from error
        finally:
            cursor.close()


def _wrapped(plan: _Plan, bound: Any, error: Exception, conn: Connection) -> Exception:
    """The driver's error as SQLAlchemy raises it for any statement (``IntegrityError`` and the like)."""
    return DBAPIError.instance(plan.sql, bound, error, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect)
