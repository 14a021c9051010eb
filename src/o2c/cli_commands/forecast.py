"""CLI: ``o2c forecast``: the receipts expected per week for the next weeks, with a range, and how the
same forecast did when made 13 weeks ago (the back-test)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from o2c.cli_commands.common import DbOption, open_app, parse_day, print_table, writable_file

console = Console()


def register(app: typer.Typer) -> None:
    """Add ``forecast`` to the ``o2c`` app."""
    app.command("forecast")(forecast)


def forecast(
    weeks: Annotated[int, typer.Option(help="Weeks ahead (1 to 52)", min=1, max=52)] = 13,
    as_of: Annotated[
        date | None,
        typer.Option(
            "--as-of",
            help="Forecast day (YYYY-MM-DD); default: the company's today",
            parser=parse_day,
            metavar="DATE",
        ),
    ] = None,
    db: DbOption = None,
    json_out: Annotated[
        Path | None,
        typer.Option(
            "--json", help="Write the forecast as JSON here", dir_okay=False, callback=writable_file
        ),
    ] = None,
    backtest_weeks: Annotated[
        int,
        typer.Option("--backtest-weeks", min=0, max=52, help="Back-test over this many past weeks (0: none)"),
    ] = 13,
) -> None:
    """Expected receipts per ISO week (functional currency and per currency) from the payment-date model:
    open invoices, open orders and the sales run rate, with a low-high range and a back-test."""
    from o2c.adapters.store.receivables_history import ReceivablesHistory
    from o2c.services import cash_forecast as cf
    from o2c.views.common import business_date

    application = open_app(db)
    with application.uow(read_only=True) as uow:
        day = as_of or business_date(uow)
        history = ReceivablesHistory(uow.conn)
        made = cf.forecast(history, day, uow.functional_ccy, weeks)
        test = cf.backtest(history, day, uow.functional_ccy, backtest_weeks) if backtest_weeks else None
    result = cf.to_json(made, test)
    if json_out is not None:
        json_out.write_text(json.dumps(result, indent=2))
    ccy = made.functional_ccy
    table = Table(title=f"Expected receipts from {day.isoformat()} ({ccy}; range {cf.LOW:.0%}-{cf.HIGH:.0%})")
    for column in ("week", "low", "expected", "high", "all paid on due date", *result["by_currency"]):
        table.add_column(column, justify="left" if column == "week" else "right")
    for w in made.weeks:
        table.add_row(
            w.week,
            f"{w.functional.low:,.2f}",
            f"{w.functional.expected:,.2f}",
            f"{w.functional.high:,.2f}",
            f"{w.functional.due_date:,.2f}",
            *(
                f"{w.by_currency[c].expected:,.2f}" if c in w.by_currency else ""
                for c in result["by_currency"]
            ),
        )
    print_table(console, table, "forecast")
    if test is not None and test.weeks:
        console.print(
            f"Back-test: forecast made on {test.as_of.isoformat()} against the cash of the next "
            f"{len(test.weeks)} weeks: MAE {test.mae:,.2f} {ccy} (every invoice paid on its due date: "
            f"{test.due_date_mae:,.2f}); actual within the range in {test.within_range_share:.0%} of weeks"
        )
