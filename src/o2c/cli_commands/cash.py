"""``o2c cash ...``: the cash-application queue, a person's match, and the cash benchmark."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from o2c.cli_commands.common import DbOption, open_app, print_table
from o2c.cli_commands.master_data import other_receipt

console = Console()


def _app(db: str | None, *, create: bool = False) -> Any:
    return open_app(db, create=create)


def register(app: typer.Typer) -> None:
    """Add the ``cash`` command group to the ``o2c`` application."""
    cash = typer.Typer(help="Cash application: the queue of payments a person must look at.")
    cash.command("queue")(queue)
    cash.command("match")(match)
    cash.command("import")(import_file)
    cash.command("other-receipt")(other_receipt)
    app.add_typer(cash, name="cash")


def queue(db: DbOption = None, json_out: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Payments not applied yet, with their best candidates and why they were not posted."""
    from o2c.services.cash import cash_queue

    application = _app(db)
    try:
        with application.uow() as uow:
            items = cash_queue(uow)
    finally:
        application.close()
    if json_out:
        from o2c.domain.codec import encode

        console.print_json(json.dumps(encode(items)))
        return
    table = Table(title=f"Cash-application queue ({len(items)})")
    for column in ("payment", "date", "amount", "payer", "reference", "best candidate", "why not automatic"):
        table.add_column(column)
    for item in items:
        best = item.candidates[0] if item.candidates else None
        table.add_row(item.payment_id, item.received_on.isoformat(), item.amount, item.payer_name,
                      item.reference[:40], f"{best.customer_id} {', '.join(best.documents)} ({best.confidence:.2f})"
                      if best else "-", item.not_automatic_because)
    print_table(console, table, "cash-application queue")


def match(payment: Annotated[str, typer.Argument(help="Payment id, e.g. PAY-000012")],
          invoice: Annotated[list[str], typer.Option("--invoice", help="Invoice number (repeat for several)")],
          customer: Annotated[str | None, typer.Option(help="Paying customer (default: the invoices' owner)")] = None,
          user: Annotated[str, typer.Option(help="Who confirms the match")] = "clerk",
          db: DbOption = None) -> None:
    """Apply a payment to invoices by hand; o2c learns the payer's name and account for next time."""
    from o2c.domain.errors import DomainError
    from o2c.services.cash import confirm_match

    application = _app(db)
    try:
        console.print(confirm_match(application, payment, customer, tuple(invoice), user))
    except DomainError as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    finally:
        application.close()


def import_file(file: Annotated[Path, typer.Argument(help="Bank statement or remittance file", exists=True,
                                                     dir_okay=False)],
                db: DbOption = None,
                dry_run: Annotated[bool, typer.Option("--dry-run", help="Only read and show; touch no database")]
                = False,
                json_out: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Import a bank statement or remittance file (camt, MT940, BAI2, OFX, X12 820); exit 0 clean,
    1 imported with findings for a person, 2 refused (as ``o2c import``)."""
    from o2c.adapters.formats.bank import summary_exit_code
    from o2c.services.cash import import_bank_file, preview_bank_file

    data = file.read_bytes()
    if dry_run:
        summary = preview_bank_file(data, file.name)
        console.print_json(json.dumps(summary)) if json_out else console.print(summary)
        raise typer.Exit(summary_exit_code(summary))
    application = _app(db, create=True)
    try:
        report = import_bank_file(application, data, file.name)
    finally:
        application.close()
    if json_out:
        console.print_json(json.dumps(report.as_json(), default=str))
    else:
        console.print(f"{file.name}: {report.format}, {report.payments_recorded} payments recorded, "
                      f"{report.already_known} already known, {len(report.conflicts)} conflicts, "
                      f"{report.remittances} advices, {report.linked} linked, tasks {', '.join(report.tasks) or '-'}"
                      + (f"; refused: {'; '.join(report.errors)}" if report.refused else ""))
    raise typer.Exit(report.exit_code)


def bench_cash(json_out: Path | None, payments: int, open_items: int, noise: Path | None = None,
               noise_schema: bool = False, db: str | None = None) -> dict[str, Any]:
    """Run the cash benchmark (o2c against a configured ERP's rules), print a table, write JSON."""
    from o2c.bench.cash import run_bench
    from o2c.bench.cash_noise import ProfileError, load_profile, profile_schema

    if noise_schema:
        print(profile_schema())
        return {}
    try:
        profile = load_profile(noise)
    except ProfileError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("Matching and posting (baseline, then o2c)", total=2 * payments)
        report = run_bench(payments, open_items, advance=lambda n: progress.update(task, advance=n),
                           profile=profile, db_url=db)
    table = Table(title=f"Cash application, profile {report['profile']} on {report['database']}: "
                        f"{report['payments']:,} payments, {report['open_items']:,} open items")
    for column in ("matcher", "auto-applied", "wrong", "residual differs", "left for a person",
                   "money misapplied", "payments/s"):
        table.add_column(column, justify="right")
    for name in ("baseline", "o2c"):
        f = report[name]
        table.add_row(name, f"{f['auto_rate']:.1%}", f"{f['wrong_rate']:.2%}", f"{f['residual_rate']:.1%}",
                      f"{f['manual_rate']:.1%}", f"{f['money_misapplied_share']:.3%}",
                      f"{f['payments_per_second']:.0f}")
    console.print(table)
    if json_out:
        json_out.write_text(json.dumps(report, indent=2))
        console.print(f"Written to {json_out}")
    return report
