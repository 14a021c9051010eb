"""``o2c events in FILE`` (operational events from a file drop), ``o2c events incidents``, and the
proactive benchmark (``bench_proactive``, wired as ``o2c bench proactive``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from o2c.cli_commands.common import DbOption, open_app, print_table

console = Console()


def _app(db: str | None, *, create: bool = False) -> Any:
    return open_app(db, create=create)


def register(app: typer.Typer) -> None:
    """Add ``in`` and ``incidents`` to the ``events`` group (created if the application has none)."""
    group = next((g.typer_instance for g in app.registered_groups if g.name == "events" and g.typer_instance), None)
    if group is None:
        group = typer.Typer(help="Events: operational events in, incidents, dispatch.")
        app.add_typer(group, name="events")
    group.command("in")(events_in)
    group.command("incidents")(incidents)


def events_in(file: Annotated[Path, typer.Argument(help="JSON list or CSV with a 'kind' column", exists=True,
                                                   dir_okay=False)],
              db: DbOption = None) -> None:
    """Take in operational events from a file drop; the agents then act on what they touch."""
    from o2c.domain.errors import DomainError
    from o2c.services.operations import parse_file, receive

    try:
        parsed = parse_file(file)
    except (DomainError, ValueError, OSError) as exc:
        console.print(f"[red]{file}: {exc}[/]")
        raise typer.Exit(2) from exc
    application = _app(db, create=True)
    try:
        table = Table(title=f"Operational events from {file.name}")
        for column in ("ref", "kind", "outcome", "incident", "affected orders"):
            table.add_column(column)
        with application.uow() as uow:
            for ref, event in parsed:
                got = receive(uow, event, source="file", source_ref=ref)
                table.add_row(ref, event.kind, got.outcome, got.incident_id or "-", str(got.affected))
            uow.commit()
        handled = application.dispatcher.drain()
    finally:
        application.close()
    console.print(table)
    console.print(f"agents handled {handled} dispatches")


def incidents(db: DbOption = None,
              status: Annotated[Literal["open", "resolved"] | None, typer.Option(help="Only open or resolved ones "
                                                                                      "(default: both)")] = None
              ) -> None:
    """Incidents with their affected orders, customers told and remedies."""
    from o2c.adapters.store.operations_store import OperationsStore

    application = _app(db)
    try:
        with application.uow() as uow:
            store = OperationsStore(uow.conn)
            rows = [(i, store.affected(i.id)) for i in store.incidents(status)]
    finally:
        application.close()
    table = Table(title=f"Incidents ({len(rows)})")
    for column in ("incident", "status", "team", "what", "orders", "told", "remedied"):
        table.add_column(column)
    for incident, affected in rows:
        table.add_row(incident.id, incident.status, incident.team, incident.title[:60], str(len(affected)),
                      str(sum(1 for r in affected if r.told_at)), str(sum(1 for r in affected if r.remedy)))
    print_table(console, table, "incidents")


def bench_proactive(json_out: Path | None, open_orders: int) -> dict[str, Any]:
    """Run the proactive benchmark (the month without and with the sentinel, then latency at scale)."""
    from o2c.bench.proactive import run_bench

    events = 40
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("Month without, month with the sentinel, then latency", total=2 + events)
        report = run_bench(open_orders=open_orders, events=events, advance=lambda n: progress.update(task, advance=n))
    _print(report)
    if json_out:
        json_out.write_text(json.dumps(report, indent=2))
        console.print(f"Written to {json_out}")
    return report


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _print(report: dict[str, Any]) -> None:
    setup = report["setup"]
    table = Table(title=f"Proactive: {setup['days']} days, {setup['customers']} customers (seed {setup['seed']}); "
                        f"latency with {setup['open_orders']:,} open orders")
    for column in ("run", "told in time", "event->told p50 s", "p95 s", "complaints", "emergency deliveries",
                   "value saved EUR"):
        table.add_column(column, justify="right")
    for name in ("baseline", "o2c"):
        f = report[name]
        table.add_row(name, f"{f['told_in_time_share']:.1%} of {f['affected_orders']}", _seconds(f["latency_p50_s"]),
                      _seconds(f["latency_p95_s"]), str(f["complaints"]), str(f["emergency_deliveries"]),
                      f"{f['value_saved']:,.2f}")
    console.print(table)
    console.print("baseline latency: simulated time until the customer calls; o2c: wall-clock processing, "
                  "event in -> notices stored. complaints: orders whose promised date passed with neither the "
                  "delivery nor a warning to the customer.")
