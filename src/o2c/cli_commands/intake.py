"""CLI for order intake: ``o2c import FILE…`` and the ``bench orders`` function the lead wires.

``o2c import FILE --dry-run --json`` reads any supported order file (X12 850, EDIFACT ORDERS, order
CSV) or bank/remittance file (camt, also zipped or in UTF-16, MT940/942, BAI2, OFX, X12 820, bank
CSV) without a database and prints its summary. Without ``--dry-run`` order files are imported
through intake (checked, decided, booked, acknowledged), bank files through the bank import, and
the agents' work is dispatched; ``--json`` prints, for a bank file, the dry-run shape plus what was
recorded (``payments_recorded``, ``already_known``, ``conflicts``, ``skipped``, ``tasks``; per
statement ``balanced``, ``difference``, ``chain_break``, ``warnings``, ``reconciled``).

Exit status, the same for a dry run and an import: 0 read or imported cleanly, 1 with findings for
a person (a statement that does not add up or breaks its chain, a conflicting resend, a statement
that could not be read), 2 refused (the ``errors`` say why, in one line).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from o2c.cli_commands.common import DbOption, open_app
from o2c.cli_commands.master_data import quarantine_app

console = Console()


def register(app: typer.Typer) -> None:
    """Add ``import`` to the ``o2c`` app."""
    app.command("import")(import_files)
    app.add_typer(quarantine_app, name="quarantine")


def import_files(
    files: Annotated[list[Path], typer.Argument(help="Order or bank files", exists=True, dir_okay=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only read and show; touch no database")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    db: DbOption = None,
) -> None:
    """Import order files through intake, or preview any supported file with --dry-run."""
    if dry_run:
        raise typer.Exit(_preview(files, json_out))
    raise typer.Exit(_import(files, json_out, db))


def _preview(files: list[Path], json_out: bool) -> int:
    from o2c.adapters.formats.bank import summary_exit_code
    from o2c.services.intake import preview_file

    code = 0
    summaries = []
    for path in files:
        summary, readable = preview_file(path.read_bytes(), path.name)
        is_bank = "statements" in summary or "payments" in summary
        code = max(code, summary_exit_code(summary, not readable) if is_bank else 0 if readable else 2)
        summaries.append(summary)
    if json_out:
        typer.echo(json.dumps(summaries[0] if len(summaries) == 1 else summaries, indent=2, default=str))
    else:
        for path, summary in zip(files, summaries, strict=True):
            _print_preview(path, summary)
    return code


def _print_preview(path: Path, summary: dict[str, Any]) -> None:
    console.print(f"[bold]{path.name}[/]: {summary.get('format') or 'unknown format'}")
    for order in summary.get("orders", []) or []:
        console.print(f"  PO {order['po']} from {order['buyer']}: {len(order['lines'])} lines")
    if statements := summary.get("statements"):
        _print_statements(statements)
        console.print(f"  {len(summary.get('payments') or [])} entries")
    for error in summary.get("errors", []) or []:
        console.print(f"  [red]error[/] {error}")


def _print_statements(statements: list[dict[str, Any]]) -> None:
    table = Table("account", "currency", "opening", "closing", "entries", "balances", "follows on", box=None,
                  padding=(0, 2))
    for st in statements:
        table.add_row(st["account"], st["currency"], st["opening"], st["closing"], str(st["entries"]),
                      "yes" if st["balanced"] else f"[red]no, differs by {st['difference']}[/]",
                      f"[red]no, break of {st['chain_break']}[/]" if st.get("chain_break") else "yes")
    console.print(table)
    for st in statements:
        for warning in st.get("warnings") or []:
            console.print(f"  [yellow]check[/] {warning}")


def _import(files: list[Path], json_out: bool, db: str | None) -> int:
    from o2c.services import bank_import
    from o2c.services.documents import import_document

    app = open_app(db, create=True)
    try:
        done = [import_document(app, path.read_bytes(), path.name, match=False) for path in files]
        app.dispatcher.drain()
    finally:
        app.close()
    reports = [r for r in done if not isinstance(r, bank_import.ImportReport)]
    bank_reports = [r for r in done if isinstance(r, bank_import.ImportReport)]
    if json_out:
        shown = [_report_dict(r) for r in reports] + [r.as_json() for r in bank_reports]
        typer.echo(json.dumps(shown[0] if len(shown) == 1 else shown, indent=2, default=str))
    else:
        if reports:
            _print_reports(reports)
        if bank_reports:
            _print_bank_reports(bank_reports)
    order_code = 2 if any(r.status == "quarantined" for r in reports) else 0
    return max([order_code, *(r.exit_code for r in bank_reports)])


def _report_dict(report: object) -> dict[str, object]:
    from dataclasses import asdict, is_dataclass

    return asdict(report) if is_dataclass(report) and not isinstance(report, type) else {}


def _print_reports(reports: list) -> None:  # type: ignore[type-arg]
    table = Table("file", "format", "status", "order", "decision", "reasons")
    for report in reports:
        table.add_row(report.filename, report.format or "?", report.status, "", "", "; ".join(report.errors)[:80])
        for order in report.orders:
            table.add_row("", "", order.status, order.order_id or order.source_ref, order.action,
                          ", ".join(order.reasons))
    console.print(table)


def _print_bank_reports(reports: list) -> None:  # type: ignore[type-arg]
    """Bank and remittance files: what each recorded; the cash agent has matched them by now."""
    table = Table("file", "format", "result", "statements", "recorded", "known", "conflicts", "debits", "advices",
                  "linked", "tasks",
                  caption="recorded: new payments; known: entries imported before; conflicts: entries sent again "
                          "with other figures (nothing changed); debits: outgoing entries, not for cash "
                          "application; linked: advices matched to their payment; tasks: raised for treasury")
    for r in reports:
        result = "[red]refused[/]" if r.refused else "imported" if r.exit_code == 0 else "[yellow]imported, check[/]"
        table.add_row(r.filename, r.format or "?", result, str(r.statements), str(r.payments_recorded),
                      str(r.already_known), str(len(r.conflicts)), str(r.debits_skipped), str(r.remittances),
                      str(r.linked), ", ".join(r.tasks) or "-")
    console.print(table)
    for r in reports:
        if r.summary.get("statements"):
            console.print(f"[bold]{r.filename}[/]")
            _print_statements(r.summary["statements"])
        for rejected in r.summary.get("rejected") or []:
            console.print(f"[red]not read[/] {rejected}")
        for conflict in r.conflicts:
            console.print(f"[red]conflict[/] {conflict['statement']}: {conflict['reason']}")
    for r in reports:  # a refused file's errors say why; an imported one's are for a person to look at
        for error in r.errors:
            console.print(f"[red]error[/] {error}" if r.refused else f"[yellow]check[/] {error}")
    if any(r.payments_recorded for r in reports):
        console.print("Payments the agent could not post wait in the cash queue: o2c cash queue")


def bench_orders(json_out: Path | None, n: int = 10_000, noise: Path | None = None, noise_schema: bool = False,
                 db: str | None = None) -> None:
    """Run the order intake benchmark, print the comparison table and optionally write JSON."""
    from o2c.bench.order_noise import ProfileError, load_profile, profile_schema
    from o2c.bench.orders import run_bench

    if noise_schema:
        print(profile_schema())
        return
    try:
        profile = load_profile(noise)
    except ProfileError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as progress:
        def start(label: str, total: int):  # type: ignore[no-untyped-def]
            task = progress.add_task(label, total=total)
            return lambda done: progress.update(task, advance=done)

        results = run_bench(n, progress=start, profile=profile, db_url=db)
    _print_bench(results)
    if json_out:
        json_out.write_text(json.dumps(results, indent=2))
        console.print(f"Results written to {json_out}")


def _rate(value: object) -> str:
    return "-" if value is None else f"{value:.3f}"


def _print_bench(results: dict[str, dict[str, object]]) -> None:
    base, o2c, setup = results["baseline"], results["o2c"], results["setup"]
    table = Table(title=f"Order intake, profile {setup['profile']} on {setup['database']}: {o2c['orders']} orders, "
                        f"{setup['bad_orders']} with {setup['mistakes']} mistakes, "
                        f"{setup['unusual_clean_orders']} unusual but right")
    for column in ("error kind", "injected", "ERP R", "ERP P", "o2c R", "o2c P"):
        table.add_column(column, justify="left" if column == "error kind" else "right",
                         no_wrap=column == "error kind")
    for kind, count in o2c["errors_by_kind"].items():  # type: ignore[attr-defined]
        table.add_row(kind, str(count), _rate(base["recall_by_error"][kind]),  # type: ignore[index]
                      _rate(base["precision_by_error"][kind]), _rate(o2c["recall_by_error"][kind]),  # type: ignore[index]
                      _rate(o2c["precision_by_error"][kind]))  # type: ignore[index]
    table.add_row("touchless, clean", "", _rate(base["touchless_rate"]), "", _rate(o2c["touchless_rate"]), "")
    table.add_row("EDI orders/s (parse + validate)", "", f"{base['orders_per_second']:,.0f}", "",
                  f"{o2c['orders_per_second']:,.0f}", "")
    table.add_row("orders/s, whole path", "", f"{base['pipeline_orders_per_second']:,.0f}", "",
                  f"{o2c['pipeline_orders_per_second']:,.0f}", "")
    console.print(table)
