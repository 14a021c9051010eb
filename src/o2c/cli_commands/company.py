"""``o2c today [--set DATE | --wall-clock]``: the company's one "today" that every command, page and agent uses.

The demo sets it to its last simulated day; a live company runs on the wall clock (no date set).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from o2c.cli_commands.common import CliError, DbOption, open_app, parse_day

console = Console()


def register(app: typer.Typer) -> None:
    """Add ``today`` to the ``o2c`` app."""
    app.command("today")(today)


def today(
    set_day: Annotated[
        date | None,
        typer.Option(
            "--set", help="Make DATE (YYYY-MM-DD) the books' today", parser=parse_day, metavar="DATE"
        ),
    ] = None,
    wall_clock: Annotated[
        bool, typer.Option("--wall-clock", help="Follow the wall clock again (production)")
    ] = False,
    db: DbOption = None,
) -> None:
    """Show (or set) the company's today: the books' date every command, page and agent uses."""
    from o2c.adapters.store.company_clock_store import stored_today
    from o2c.services.company_today import set_company_today

    if set_day and wall_clock:
        raise CliError("--set and --wall-clock exclude each other")
    application = open_app(db)
    try:
        if set_day or wall_clock:
            with application.uow() as uow:
                set_company_today(uow, set_day, "cli")
                uow.commit()
            application.clock.forget()
        with application.uow() as uow:
            stored = stored_today(uow.conn)
        console.print(
            f"today is {application.clock.today().isoformat()} "
            f"({'the books date, set' if stored else 'the wall clock'})"
        )
    finally:
        application.close()
