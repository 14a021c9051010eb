"""``o2c erp sync|holds|release``: o2c on a system of record (Tryton): read it, check both books agree,
and lift a books hold once a person has looked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from o2c.cli_commands.common import CliError, DbOption, open_app, print_table, writable_file

console = Console()
erp_app = typer.Typer(help="The system of record o2c sits on (O2C_ERP=tryton).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``erp`` to the ``o2c`` app."""
    app.add_typer(erp_app, name="erp")


@erp_app.command("sync")
def erp_sync(
    db: DbOption = None,
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Write the report as JSON here", dir_okay=False, callback=writable_file),
    ] = None,
) -> None:
    """Read what changed in the books, map it into o2c, and compare open items per customer."""
    from o2c.adapters.erp.tryton.client import TrytonUnavailable
    from o2c.services.erp_sync import sync

    application = open_app(db, create=True)
    try:
        if application.books.name == "o2c":
            raise CliError("o2c keeps its own books here: set O2C_ERP=tryton (and O2C_TRYTON_URL...) to sync")
        try:
            report = sync(application.uow, application.books, application.company)
        except TrytonUnavailable as exc:
            raise CliError(str(exc)) from exc
    finally:
        application.close()
    for what, text in report.changes.items():
        console.print(f"{what}: {text}")
    console.print(
        f"{report.customers} customers, {report.invoices} invoices, "
        f"{report.open_items} open receivable lines in the books"
    )
    table = Table("customer", "currency", "o2c", "books", "documents", title="books that disagree")
    for d in report.differences:
        table.add_row(d.customer_id, d.currency, str(d.o2c), str(d.books), ", ".join(d.documents[:6]))
    print_table(console, table, "books that disagree")
    if json_out:
        json_out.write_text(json.dumps(report.as_dict(), indent=2))


@erp_app.command("holds")
def erp_holds(db: DbOption = None) -> None:
    """Customers on a books hold: their proposals wait for a person."""
    from o2c.services.books_hold import held_customers

    application = open_app(db)
    with application.uow(read_only=True) as uow:
        held = held_customers(uow)
    table = Table("customer", "since", "o2c", "books", "task", title="books holds")
    for customer, body in held.items():
        difference = body["difference"]
        table.add_row(customer, body["since"], difference["o2c"], difference["books"], body.get("task") or "")
    print_table(console, table, "books holds")


@erp_app.command("release")
def erp_release(
    customer: Annotated[str, typer.Argument(help="Customer number")],
    by: Annotated[str, typer.Option(help="Who looked at the books")],
    reason: Annotated[str, typer.Option(help="What they found")],
    db: DbOption = None,
) -> None:
    """Lift a books hold after a person has looked at both books."""
    from o2c.services.books_hold import release

    application = open_app(db)
    with application.uow() as uow:
        if not release(uow, customer, by, reason):
            raise CliError(f"customer {customer} is not on a books hold (o2c erp holds lists them)")
        uow.commit()
    console.print(f"books hold on {customer} lifted by {by}")
