"""CLI for collections: ``o2c collections worklist|kpis|run|eval``, ``o2c statement CUSTOMER``, and the
``bench_collections`` function the lead wires as ``o2c bench collections``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from o2c.cli_commands.common import CliError, DbOption, open_app, parse_day, print_table, writable_file

console = Console()
collections_app = typer.Typer(help="Collections: worklists, KPIs, the daily run, reply evaluation.",
                              no_args_is_help=True)
AsOf = Annotated[date | None, typer.Option("--as-of", help="Date (YYYY-MM-DD); default: the company's today",
                                           parser=parse_day, metavar="DATE")]


def register(app: typer.Typer) -> None:
    """Add ``collections`` and ``statement`` to the ``o2c`` app."""
    app.add_typer(collections_app, name="collections")
    app.command("statement")(statement)


def _app(db: str | None):  # type: ignore[no-untyped-def]
    return open_app(db)


def _as_of(uow: Any, as_of: date | None) -> date:
    from o2c.views.common import business_date

    return as_of or business_date(uow)


@collections_app.command("worklist")
def worklist(db: DbOption = None, as_of: AsOf = None,
             collector: Annotated[str | None, typer.Option(help="Only this collector's worklist")] = None,
             json_out: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Each collector's customers, ranked by expected cash impact (amount x risk x age)."""
    from o2c.services.collections import collectors
    from o2c.views.collections import worklists

    application = _app(db)
    with application.uow() as uow:
        lists = worklists(uow, _as_of(uow, as_of), collectors())
    if collector is not None and collector not in lists:
        raise CliError(f"no collector {collector!r}: choose one of {', '.join(lists) or 'none'}")
    lists = {k: v for k, v in lists.items() if collector in (None, k)}
    if json_out:
        typer.echo(json.dumps({k: [_row(i) for i in v] for k, v in lists.items()}, indent=2, default=str))
        return
    for name, items in lists.items():
        table = Table(title=f"Worklist of {name}")
        for column in ("customer", "invoices", "open", "days overdue", "risk", "expected impact", "held"):
            table.add_column(column)
        for i in items[:25]:
            table.add_row(f"{i.customer_id} {i.customer_name}", str(len(i.documents)), str(i.open),
                          str(i.days_overdue), f"{i.risk:.2f}", str(i.expected_cash_impact), i.held or "")
        print_table(console, table, f"worklist of {name}")
    if not lists:
        console.print(f"worklists{' of ' + collector if collector else ''}: none")


def _row(item: Any) -> dict[str, Any]:
    return {name: getattr(item, name) for name in item.__slots__}


@collections_app.command("kpis")
def kpis(db: DbOption = None, as_of: AsOf = None,
         by: Annotated[Literal["customer", "segment", "currency"],
                       typer.Option(help="Aging per customer, segment or currency")] = "segment") -> None:
    """DSO (standard, countback), best-possible DSO, CEI and aging at a date."""
    from o2c.views.collections import aging_by, dispute_root_causes
    from o2c.views.collections import kpis as compute

    application = _app(db)
    with application.uow() as uow:
        day = _as_of(uow, as_of)
        k = compute(uow.conn, day, application.company.currency)
        aging = aging_by(uow.conn, day, application.company.currency, by)
        causes = dispute_root_causes(uow.conn)
    table = Table(title=f"Receivables KPIs at {day}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for name in ("receivables", "current", "overdue", "dso_standard", "dso_countback", "best_possible_dso", "cei",
                 "overdue_share"):
        table.add_row(name.replace("_", " "), str(getattr(k, name)))
    console.print(table)
    aging_table = Table(title=f"Aging by {by}")
    aging_table.add_column(by)
    buckets = next(iter(aging.values()), {})
    for b in buckets:
        aging_table.add_column(b, justify="right")
    for key, values in aging.items():
        aging_table.add_row(key, *(str(v) for v in values.values()))
    print_table(console, aging_table, f"aging by {by}")
    console.print({"dispute root causes": causes})


@collections_app.command("run")
def run_day(db: DbOption = None) -> None:
    """Start today's collections run (promises, announcements, reminders, credit review) and dispatch it."""
    from o2c.services.collections import start_day

    application = _app(db)
    start_day(application)
    handled = application.dispatcher.drain()
    console.print(f"Collections run dispatched ({handled} agent deliveries).")


@collections_app.command("eval")
def evaluate(json_out: Annotated[Path | None, typer.Option("--json", help="Write the scores as JSON here",
                                                           dir_okay=False, callback=writable_file)] = None
             ) -> None:
    """Reply and dispute-reason classification on the labelled set in eval/replies/ (accuracy per class)."""
    from o2c.services.replies import evaluate_reasons, evaluate_replies

    scores = {"replies": evaluate_replies(), "dispute_reasons": evaluate_reasons()}
    for name, result in scores.items():
        table = Table(title=f"{name}: {result['examples']} examples, accuracy {result['accuracy']}")
        table.add_column("class")
        table.add_column("accuracy", justify="right")
        for label, value in result["per_class"].items():
            table.add_row(label, f"{value:.3f}")
        console.print(table)
    if json_out:
        json_out.write_text(json.dumps(scores, indent=2))


def statement(customer: Annotated[str, typer.Argument(help="Customer id")], db: DbOption = None) -> None:
    """Send (queue) a statement of account to the customer and print it."""
    from o2c.domain.commands import SendStatement
    from o2c.domain.errors import DomainError

    application = _app(db)
    try:
        result = application.execute(SendStatement(customer, "requested from the CLI"), "cli", "statement requested")
    except DomainError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    with application.uow() as uow:
        sent = [m for m in uow.messages.for_customer(customer) if m.kind == "statement"]
    console.print(result)
    if sent:
        console.print(sent[-1].body)


def bench_collections(json_out: Path | None, days: int = 90, seed: int = 7, scale: float = 0.15) -> dict[str, Any]:
    """``o2c bench collections``: the baseline and the agents over the same demo quarter; table and JSON."""
    from o2c.bench.collections import run_bench

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[day]}"), TimeElapsedColumn(), console=console) as progress:
        tasks = {name: progress.add_task(name, total=days, day="") for name in ("baseline", "o2c")}
        result = run_bench(days, seed, scale,
                           lambda name, d: progress.update(tasks[name], advance=1, day=d.isoformat()))
    table = Table(title=f"Collections over {days} days ({result['customers']} customers, seed {seed})")
    table.add_column("measure")
    table.add_column("baseline (fixed-day reminders)", justify="right")
    table.add_column("o2c agents", justify="right")
    for key in ("dso", "best_possible_dso", "cei", "overdue_share", "on_time_share", "reminders_sent",
                "reminders_to_disputed_or_paid", "reminders_under_promise", "broken_promises",
                "broken_promises_unfollowed", "disputes_open", "replies", "manual_hours"):
        table.add_row(key.replace("_", " "), str(result["baseline"].get(key)), str(result["o2c"].get(key)))
    console.print(table)
    o2c = result["o2c"]
    console.print(f"Payment-date model MAE: {o2c.get('payment_date_mae_days')} days; baselines: "
                  f"{o2c.get('baseline_mae_days')} ({o2c.get('model_test_invoices')} held-out invoices)")
    if json_out:
        json_out.write_text(json.dumps(result, indent=2, default=str))
        console.print(f"Written to {json_out}")
    return result
