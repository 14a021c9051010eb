"""``o2c init``, ``o2c load`` and ``o2c partners``: a company of your own, from your own files.

``init`` sets up the company in a new database (refusing one that holds a company); ``load KIND FILE``
loads master data or opening balances from CSV or XLSX, all rows or none (``--partial`` loads the good
ones and writes the refused ones, with their problem, to a file to correct); ``--template KIND`` writes
the layout to fill in; ``partners`` maps EDI sender ids to customers.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from o2c.adapters.formats.masterdata import KINDS, SheetError, template_csv, template_xlsx
from o2c.adapters.formats.masterdata.fields import RowReader
from o2c.cli_commands.common import CliError, DbOption, open_app, print_table, writable_file
from o2c.domain import commands as c
from o2c.domain.company import BankAccount, CompanyProfile
from o2c.domain.partners import TradingPartner, parse_sender
from o2c.services.onboarding import LoadReport, load_file

console = Console()
partners_app = typer.Typer(help="EDI trading partners: sender ids mapped to customers.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("load")(load)
    app.add_typer(partners_app, name="partners")


def init(
    name: Annotated[str, typer.Option(help="The company's legal name")],
    country: Annotated[str, typer.Option(help="ISO 3166 country code, e.g. NL")],
    currency: Annotated[str, typer.Option(help="Functional currency (ISO 4217), e.g. EUR")],
    vat_id: Annotated[str | None, typer.Option("--vat-id", help="The company's VAT id")] = None,
    iban: Annotated[
        list[str] | None, typer.Option("--iban", help="A bank account customers pay into (repeat)")
    ] = None,
    bic: Annotated[
        list[str] | None, typer.Option("--bic", help="The BIC of each --iban, in the same order")
    ] = None,
    fiscal_year_start: Annotated[
        int, typer.Option(help="Month the fiscal year starts (1-12)", min=1, max=12)
    ] = 1,
    db: DbOption = None,
) -> None:
    """Set up your company in a new database (refused when the database already holds a company)."""
    profile = _profile(name, country, currency, vat_id, iban or [], bic or [], fiscal_year_start)
    application = open_app(db, create=True)
    try:
        result = application.execute(c.SetUpCompany(profile), "cli", "o2c init")
    finally:
        application.close()
    console.print(f"{result}. Next: o2c load --template customers")


def _profile(
    name: str,
    country: str,
    currency: str,
    vat_id: str | None,
    ibans: list[str],
    bics: list[str],
    fiscal_year_start: int,
) -> CompanyProfile:
    if len(bics) > len(ibans):
        raise CliError("more --bic than --iban: give each --bic after its --iban")
    values = {
        "name": name,
        "country": country,
        "currency": currency,
        "vat_id": vat_id or "",
        "iban": ";".join(ibans),
    }
    reader = RowReader(0, values)
    checked = (reader.text("name", required=True), reader.country("country"), reader.currency("currency"))
    tax_id = reader.vat_id("vat_id", checked[1])
    accounts = [
        BankAccount(i, _bic(b)) for i, b in zip(reader.ibans("iban"), bics + [""] * len(ibans), strict=False)
    ]
    if reader.problems:
        raise CliError("; ".join(f"--{p.column.replace('_', '-')}: {p.message}" for p in reader.problems))
    return CompanyProfile(
        checked[0] or "", checked[1] or "", checked[2] or "", tax_id, tuple(accounts), fiscal_year_start
    )


def _bic(value: str) -> str | None:
    reader = RowReader(0, {"bic": value})
    bic = reader.bic("bic")
    if reader.problems:
        raise CliError(f"--bic: {reader.problems[0].message}")
    return bic


def load(
    kind: Annotated[str | None, typer.Argument(help=f"What the file holds: {', '.join(KINDS)}")] = None,
    file: Annotated[Path | None, typer.Argument(help="CSV or XLSX file", exists=True, dir_okay=False)] = None,
    template: Annotated[
        str | None, typer.Option("--template", help="Write the layout of KIND instead", metavar="KIND")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Template file (.csv or .xlsx; default: print CSV)", callback=writable_file
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report; write nothing")] = False,
    partial: Annotated[
        bool, typer.Option("--partial", help="Load the good rows; refused ones go to a file")
    ] = False,
    refused_out: Annotated[
        Path | None,
        typer.Option(
            "--refused",
            help="Where --partial writes refused rows (default: FILE.refused.csv)",
            callback=writable_file,
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
    db: DbOption = None,
) -> None:
    """Load customers, ship-tos, products, prices, promotions, open items or payment terms from a file."""
    if template is not None:
        _write_template(template, out)
        return
    if kind is None or file is None:
        raise CliError("o2c load KIND FILE (or o2c load --template KIND)")
    _known_kind(kind)
    application = open_app(db)
    try:
        report = load_file(
            application, kind, file.read_bytes(), file.name, dry_run=dry_run, partial=partial, actor="cli"
        )
    except SheetError as exc:
        raise CliError(str(exc)) from None
    finally:
        application.close()
    refused_path = None
    if partial and report.refused and report.written:
        refused_path = refused_out or file.with_name(file.name + ".refused.csv")
        refused_path.write_text(_refused_csv(report), encoding="utf-8")
    if json_out:
        typer.echo(
            json.dumps(
                report.as_dict() | {"refused_file": str(refused_path) if refused_path else None}, indent=2
            )
        )
    else:
        _print_report(report, refused_path)
    if report.refused:
        raise typer.Exit(1)


def _known_kind(kind: str) -> None:
    if kind not in KINDS:
        raise CliError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")


def _write_template(kind: str, out: Path | None) -> None:
    _known_kind(kind)
    if out is None:
        typer.echo(template_csv(kind).decode(), nl=False)
        return
    out.write_bytes(template_xlsx(kind) if out.suffix.lower() == ".xlsx" else template_csv(kind))
    console.print(f"template for {kind} written to {out}")


def _refused_csv(report: LoadReport) -> str:
    """The refused rows as they were, with a ``problem`` column saying what to correct."""
    buffer = io.StringIO()
    header = [h for h in report.header if h] + ["problem"]
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in report.refused:
        problems = "; ".join(f"{p.column}: {p.message}" for p in row.problems)
        writer.writerow([row.values.get(h, "") for h in header[:-1]] + [problems])
    return buffer.getvalue()


def _print_report(report: LoadReport, refused_path: Path | None) -> None:
    table = Table("row", "column", "problem", title=f"problems in {report.filename}")
    for p in report.problems:
        table.add_row(str(p.row), p.column, p.message)
    print_table(console, table, "problems")
    verb = "would load" if report.dry_run else "loaded"
    console.print(
        f"{report.kind}: {report.rows} rows, {verb} "
        f"{report.loaded}, refused {len(report.refused)}. "
        f"{report.result}" + (" (dry run: nothing written)" if report.dry_run else "")
    )
    if refused_path:
        console.print(f"refused rows, with their problem, written to {refused_path}")


@partners_app.command("map")
def partners_map(
    sender: Annotated[
        str, typer.Argument(help="EDI sender id: ID, or QUALIFIER:ID (ZZ:ACME, 14:4012345000009)")
    ],
    customer: Annotated[str, typer.Option("--customer", help="Customer number the sender orders for")],
    qualifier: Annotated[
        str | None, typer.Option(help="ISA/UNB id qualifier (ZZ, 01, 14...); default: any")
    ] = None,
    db: DbOption = None,
) -> None:
    """Map an EDI sender id (ISA/GS id, UNB party id, GLN) to a customer; its orders then find the customer."""
    parsed = parse_sender(sender if qualifier is None else f"{qualifier}:{sender}")
    if parsed is None or len(parsed.sender_id) > 64 or len(parsed.qualifier) > 8:
        raise CliError(f"{sender!r} is not an EDI sender id")
    application = open_app(db)
    try:
        result = application.execute(
            c.MapTradingPartner(TradingPartner(parsed.sender_id, customer, parsed.qualifier)),
            "cli",
            "o2c partners map",
        )
    finally:
        application.close()
    console.print(result)


@partners_app.command("list")
def partners_list(
    db: DbOption = None, json_out: Annotated[bool, typer.Option("--json", help="Print JSON")] = False
) -> None:
    """EDI sender ids and the customer each one is."""
    application = open_app(db)
    try:
        with application.uow(read_only=True) as uow:
            partners = uow.partners.all()
    finally:
        application.close()
    if json_out:
        typer.echo(
            json.dumps(
                [
                    {"qualifier": p.qualifier or None, "sender": p.sender_id, "customer": p.customer_id}
                    for p in partners
                ],
                indent=2,
            )
        )
        return
    table = Table("qualifier", "sender id", "customer", title="trading partners")
    for p in partners:
        table.add_row(p.qualifier or "(any)", p.sender_id, p.customer_id)
    print_table(console, table, "trading partners")
