"""CLI for billing: ``o2c export invoices``, ``o2c fx import`` and the ``bench billing`` function the lead wires.

``o2c export invoices --format ubl --out DIR`` writes one file per issued invoice and credit note
(``ubl``, ``cii``, ``facturx``, ``x12``, ``edifact`` or ``pdf``); a UBL, CII or Factur-X document is
validated first and, when it fails, held (not written) with a billing task naming the failed rule ids
(``services.einvoice_gate``); ``o2c fx import FILE`` stores the rates
of an ECB reference-rate CSV file (daily or history) in the rate table, idempotently.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from o2c.cli_commands.common import DbOption, open_app

console = Console()
Format = Literal["ubl", "cii", "facturx", "x12", "edifact", "pdf"]


def register(app: typer.Typer) -> None:
    """Add ``export invoices`` and ``fx import`` to the ``o2c`` app."""
    export = typer.Typer(help="Export documents in the formats customers' systems read.", no_args_is_help=True)
    export.command("invoices")(export_invoices)
    fx = typer.Typer(help="Foreign-exchange reference rates.", no_args_is_help=True)
    fx.command("import")(import_fx)
    app.add_typer(export, name="export")
    app.add_typer(fx, name="fx")


def _app(db: str | None, *, create: bool = False):  # type: ignore[no-untyped-def]
    return open_app(db, create=create)


def export_invoices(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the files to", file_okay=False)],
    fmt: Annotated[Format, typer.Option("--format", help="Document format")] = "ubl",
    db: DbOption = None,
) -> None:
    """Write one file per issued invoice and credit note; a document that cannot be written in the
    format, or (UBL, CII, Factur-X) fails XSD / EN 16931 / Peppol validation, is reported and skipped (the
    invalid ones held with a task naming the rule ids), the others are still written (exit 2 when any was
    skipped)."""
    from o2c.adapters.formats.einvoice import FORMATS, EInvoiceError
    from o2c.services.billing import render_document
    from o2c.services.einvoice_gate import ValidationRequired, hold_if_invalid

    if fmt not in FORMATS:
        console.print(f"[red]unknown format {fmt!r}[/]: choose one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    application = _app(db)
    company = application.company
    try:
        with application.uow() as uow:
            documents = uow.invoices.all()
            customers = {cu.id: cu for cu in uow.customers.all()}
            out.mkdir(parents=True, exist_ok=True)
            with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), console=console) as progress:
                task = progress.add_task(f"Rendering and validating {fmt}", total=len(documents))
                skipped: list[str] = []
                for doc in documents:
                    try:
                        name, content = render_document(doc, customers[doc.customer_id], company, fmt)
                        failed = hold_if_invalid(uow, doc.number, doc.customer_id, fmt, name, content, company)
                    except EInvoiceError as error:
                        skipped.append(str(error))
                        progress.console.print(f"[red]skipped[/] {doc.number}: {error.reason}")
                    except ValidationRequired as error:
                        console.print(f"[red]refused[/] {error}")
                        raise typer.Exit(2) from None
                    else:
                        if failed:
                            skipped.append(doc.number)
                            progress.console.print(f"[red]held[/] {doc.number}: fails {', '.join(failed)}")
                        else:
                            (out / name).write_bytes(content)
                    progress.advance(task)
            uow.commit()
    finally:
        application.close()
    console.print(f"{len(documents) - len(skipped)} document(s) written to {out}")
    if skipped:
        console.print(f"[red]{len(skipped)} document(s) could not be written as {fmt}[/] (listed above; "
                      f"held ones wait as billing tasks in the inbox)")
        raise typer.Exit(2)


def import_fx(
    file: Annotated[Path, typer.Argument(help="ECB reference-rate CSV (eurofxref.csv or eurofxref-hist.csv)",
                                         exists=True, dir_okay=False)],
    db: DbOption = None,
) -> None:
    """Import an ECB reference-rate CSV file into the rate table (a rate already stored is kept)."""
    from o2c.adapters.fx_ecb import EcbFormatError, import_ecb

    application = _app(db, create=True)
    try:
        with application.uow() as uow:
            try:
                report = import_ecb(uow, file.read_bytes(), file.name)
            except EcbFormatError as exc:
                console.print(f"[red]refused[/] {exc}")
                raise typer.Exit(2) from None
            uow.audit.append(application.clock.now(), "cli", "import_fx_rates", f"file:{file.name}",
                             "ECB reference rates", {"stored": report.stored, "unchanged": report.unchanged,
                                                     "conflicts": len(report.conflicts)})
            uow.commit()
    finally:
        application.close()
    console.print(f"{report.stored} rate(s) stored, {report.unchanged} already there, "
                  f"{report.days} day(s), currencies {', '.join(report.currencies)}")
    for conflict in report.conflicts[:20]:
        console.print(f"  [yellow]kept the stored rate[/] {conflict}")


def bench_billing(json_out: Path | None, invoices: int) -> dict[str, Any]:
    """Run the billing benchmark (o2c's pre-issue validation against an ERP's pre-billing checks), print a
    table, write JSON."""
    from o2c.bench.billing import run_bench

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("Invoicing, rendering, validating (baseline, then o2c)", total=4 * invoices)
        report = run_bench(invoices, advance=lambda n: progress.update(task, advance=n))
        progress.update(task, completed=4 * invoices)
    table = Table(title=f"Billing: {report['deliveries']:,} deliveries, {report['injected_errors']} with "
                        f"injected master-data errors")
    for column in ("biller", "issued", "invoices/s", "invalid documents", "disputes prevented",
                   "held for another reason", "disputes", "clean held"):
        table.add_column(column, justify="right")
    for name in ("baseline", "o2c"):
        f = report[name]
        table.add_row(name, str(f["issued"]), f"{f['invoices_per_second']:.1f}", str(f["invalid_documents"]),
                      str(f["disputes_prevented"]), str(f["held_for_another_reason"]), str(f["disputes"]),
                      str(f["clean_deliveries_held"]))
    console.print(table)
    if json_out:
        json_out.write_text(json.dumps(report, indent=2))
        console.print(f"Written to {json_out}")
    return report
