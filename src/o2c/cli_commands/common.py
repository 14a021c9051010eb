"""What every ``o2c`` command shares: the ``--db`` option (a file path or a URL), opening the database
with a one-line reason when it cannot be used, validated option types, and the error handler.

Invariants: whatever a person types, the command ends with one line on stderr and a non-zero exit, or
does its work; a traceback is shown only with ``o2c --debug`` or ``O2C_DEBUG=1``. A command that only
reads never creates a database: a mistyped file name is reported, not created empty.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from typer.core import TyperGroup, TyperOption

from o2c import __version__
from o2c.config import Settings, normalise_database_url
from o2c.domain.errors import DomainError

INTERNAL_ERROR = 70
EXTRAS = {
    "facturx": ("einvoice", "Factur-X"),
    "saxonche": ("einvoice", "e-invoice validation"),
    "pydantic_ai": ("llm", "the LLM"),
    "openai": ("llm", "the LLM"),
}


class CliError(Exception):
    """A problem the person can fix, said in one line; ``exit_code`` is what the command returns."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# --- the database option -------------------------------------------------------------------------------


def database_url(value: str | None) -> str:
    """A ``--db`` value (a file path or a URL; None: O2C_DATABASE_URL or ./o2c.db) as a checked URL."""
    raw = value or Settings().database_url
    if "://" not in raw:
        return _sqlite_url(Path(raw).expanduser())
    try:
        url = make_url(normalise_database_url(raw))
    except ArgumentError as exc:
        raise CliError(f"{raw!r} is neither a database file nor a database URL") from exc
    if url.get_backend_name() == "sqlite":
        return raw if url.database in (None, "", ":memory:") else _sqlite_url(Path(url.database or ""))
    if url.get_backend_name() != "postgresql":
        raise CliError(f"{url.get_backend_name()} is not supported: use a SQLite file or a postgresql:// URL")
    return raw


def _sqlite_url(path: Path) -> str:
    if path.is_dir():
        raise CliError(f"{path} is a folder, not a database file")
    if not path.parent.is_dir():
        raise CliError(f"folder {path.parent} does not exist (for database file {path.name})")
    return f"sqlite:///{path.resolve()}"


def _db_option(value: str | None) -> str:
    try:
        return database_url(value)
    except CliError as exc:
        raise typer.BadParameter(str(exc)) from None


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database file or URL, e.g. books.db or postgresql://user@host/db "
        "(default: O2C_DATABASE_URL or ./o2c.db)",
        metavar="FILE|URL",
        callback=_db_option,
    ),
]


def postgresql_server(url: str | None, what: str) -> str | None:
    """``url`` when it names a PostgreSQL server (benchmarks that make and drop databases beside it)."""
    if url is not None and not url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        raise CliError(f"{what} --db needs a PostgreSQL URL (postgresql://HOST/DB), got {url!r}")
    return url


def shown(url: str) -> str:
    """The URL as it may be printed: a file's path, or the URL without its password."""
    parsed = make_url(normalise_database_url(url))
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def check_database(url: str, *, create: bool) -> None:
    """Raise CliError when the database cannot be reached, or (unless ``create``) holds no o2c schema."""
    parsed = make_url(normalise_database_url(url))
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_file(parsed.database, create)
    else:
        _check_server(url, create)


def _check_sqlite_file(database: str | None, create: bool) -> None:
    if database in (None, "", ":memory:"):
        return
    path = Path(database or "")
    if not path.exists():
        if create:
            return
        raise CliError(f"no o2c database at {path} (o2c demo or o2c db upgrade --db {path} creates one)")
    tables = sqlite_tables(path)
    if "alembic_version" not in tables and (tables or not create):
        raise CliError(f"{path} is not an o2c database" + (" (it is empty)" if not tables else ""))


def sqlite_tables(path: Path) -> set[str]:
    """The tables of a SQLite file, read without creating or changing anything."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise CliError(f"{path} is not an o2c database ({exc})") from None


def server_tables(url: str) -> set[str]:
    """The tables in the default schema of a database server; CliError when it cannot be reached."""
    engine = create_engine(normalise_database_url(url), connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise CliError(f"cannot reach the database {shown(url)}: {reason}") from None
    finally:
        engine.dispose()


def _check_server(url: str, create: bool) -> None:
    if "alembic_version" not in server_tables(url) and not create:
        raise CliError(f"no o2c database at {shown(url)} (o2c demo or o2c db upgrade creates one)")


def settings_for(db: str | None) -> Settings:
    return Settings().model_copy(update={"database_url": database_url(db)})


def open_app(db: str | None, *, create: bool = False) -> Any:
    """The application on the ``--db`` database; only commands that write pass ``create=True``."""
    from o2c.bootstrap import bootstrap

    settings = settings_for(db)
    check_database(settings.database_url, create=create)
    return bootstrap(settings)


# --- validated option types ------------------------------------------------------------------------------


def parse_day(value: str | date) -> date:
    """A date typed as YYYY-MM-DD."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def writable_file(path: Path | None) -> Path | None:
    """An output file whose folder exists (checked before the work, not after it)."""
    if path is not None and not path.parent.is_dir():
        raise typer.BadParameter(f"folder {path.parent} does not exist")
    return path


def _no_type_for_flags(option: TyperOption, ctx: Any) -> str | None:
    """Help shows no ``<bool>`` after a flag (``--json``, ``--help``): a flag takes no value."""
    return None if option.is_flag else _typer_display_type(option, ctx)


_typer_display_type = TyperOption.display_type_rich
TyperOption.display_type_rich = _no_type_for_flags  # type: ignore[method-assign,assignment]


ID_LIKE = re.compile(r"^(?=\S*\d)\S{1,40}$")


def keep_ids_whole(table: Table) -> None:
    """Columns of ids (one word with a digit: ``PR-000012``, ``payment:PAY-000012``, dates, numbers) never
    wrap or get cut with an ellipsis, so an id can be copied from a narrow terminal; the text columns wrap
    around them instead (at word boundaries, at least 5 characters wide)."""
    for column in table.columns:
        cells = [str(c) for c in column._cells]
        if cells and all(ID_LIKE.match(c) for c in cells):
            column.no_wrap = True
            column.overflow = "fold"
            column.min_width = max(len(c) for c in cells)
        else:
            column.overflow = "fold"
            column.min_width = max(column.min_width or 0, min(5, max((len(c) for c in cells), default=0)))


def print_table(console: Console, table: Table, what: str) -> None:
    """Print a table (ids kept whole, text wrapped), or say "none" when it has no rows."""
    if table.row_count:
        keep_ids_whole(table)
        console.print(table)
    else:
        console.print(f"{what}: none")


# --- global options and the error handler ----------------------------------------------------------------

_debug = {"on": False}


def debugging() -> bool:
    return _debug["on"] or os.environ.get("O2C_DEBUG", "") not in ("", "0")


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"o2c {__version__}")
        raise typer.Exit()


def global_options(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print o2c's version and exit", is_eager=True, callback=_show_version),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an error (also O2C_DEBUG=1)")
    ] = False,
) -> None:
    """o2c: an agentic Order-to-Cash layer."""
    _debug["on"] = debug


class O2cGroup(TyperGroup):
    """The top-level command group: runs the command and turns every error into one line on stderr."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        _debug["on"] = False
        code = run_guarded(
            lambda: super(O2cGroup, self).main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        )
        if standalone_mode:
            sys.exit(code)
        return code


def run_guarded(command: Callable[[], Any]) -> int:
    """Run a command; return its exit code, having said in one line on stderr what went wrong."""
    try:
        result = command()
        return result if isinstance(result, int) and not isinstance(result, bool) else 0
    except typer.Exit as exc:
        return exc.exit_code
    except typer.TyperException as exc:  # typer's usage errors: bad options, missing arguments, no command
        return _usage_error(exc)
    except (typer.Abort, KeyboardInterrupt):
        return _say("o2c: stopped", 130)
    except Exception as exc:
        if debugging():
            raise
        message, code = explain(exc)
        return _say(message, code)


def _usage_error(exc: Exception) -> int:
    context = getattr(exc, "ctx", None)
    code = int(getattr(exc, "exit_code", 2))
    if type(exc).__name__ == "NoArgsIsHelpError" and context is not None:
        typer.echo(context.get_help())
        return code
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    where = f"{context.command_path}: " if context is not None else "o2c: "
    return _say(where + message.replace("Value error, ", ""), code)


def explain(exc: BaseException) -> tuple[str, int]:
    """One line (and an exit code) for an error, naming what the person can do about it."""
    if isinstance(exc, CliError):
        return f"o2c: {exc}", exc.exit_code
    if isinstance(exc, DomainError):
        return f"o2c: refused: {exc}", 2
    if isinstance(exc, ModuleNotFoundError):
        return _missing_module(exc.name or ""), 2
    if isinstance(exc, OSError) and exc.filename:
        return f"o2c: {exc.filename}: {exc.strerror or exc}", 2
    if isinstance(exc, SQLAlchemyError):
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return f"o2c: the database refused: {reason}", 2
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return (
        f"o2c: internal error {type(exc).__name__}: {first} (o2c --debug or O2C_DEBUG=1 shows where)",
        INTERNAL_ERROR,
    )


def _missing_module(name: str) -> str:
    root = name.split(".")[0]
    if root in EXTRAS:
        extra, what = EXTRAS[root]
        return f"o2c: {what} needs the optional extra {extra!r}: pip install 'o2c[{extra}]'"
    return f"o2c: the Python package {root!r} is missing: reinstall o2c (pip install o2c)"


def _say(message: str, code: int) -> int:
    typer.echo(" ".join(message.split()), err=True)
    return code
