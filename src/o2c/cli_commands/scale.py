"""``o2c bench scale``: one day of work with 1, 2, 4, ... worker processes on one PostgreSQL; table + JSON."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from o2c.bench.scale import Day, Run, as_json, run_scale

console = Console()


def worker_counts(text: str) -> list[int]:
    """``"1,2,4"`` -> ``[1, 2, 4]``; a clear error for anything else."""
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        counts = []
    if not counts or any(count < 1 for count in counts):
        raise typer.BadParameter(f"--workers takes worker counts like 1,2,4, got {text!r}")
    return counts


def bench_scale(
    db: str, workers: str, json_out: Path | None, payments: int, orders: int, deliveries: int
) -> None:
    counts = worker_counts(workers)
    day = Day(payments=payments, orders=orders, deliveries=deliveries)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("seeding the day", total=1)

        def report(count: int, phase: str, done: int, total: int) -> None:
            label = phase if not count else f"{count} worker{'s' if count > 1 else ''}: {phase}"
            progress.update(task, description=label, completed=done, total=max(total, 1))

        try:
            runs = run_scale(db, counts, day, report)
        except ValueError as exc:
            console.print(f"[red]refused:[/] {exc}")
            raise typer.Exit(2) from exc
    console.print(_table(runs, day))
    for run in runs:
        for problem in run.not_once:
            console.print(f"[red]{run.workers} workers, not done exactly once:[/] {problem}")
    if json_out:
        json_out.write_text(json.dumps(as_json(runs), indent=2))
        console.print(f"Figures written to {json_out}")
    if not all(run.dispatches_done_once and run.ledger_problems == 0 and run.audit_verified for run in runs):
        raise typer.Exit(1)


def _table(runs: list[Run], day: Day) -> Table:
    table = Table(
        title=f"One day on one PostgreSQL: {day.payments} payments, {day.orders} orders, "
        f"{day.deliveries} deliveries to bill"
    )
    for column in (
        "workers",
        "s",
        "events",
        "events/s",
        "payments/s",
        "p95 s",
        "CPU workers s",
        "CPU pg s",
        "CPU driver s",
        "load",
        "once",
        "ledger",
        "audit",
    ):
        table.add_column(column, justify="right")
    base = runs[0].events_per_second if runs else 0
    for run in runs:
        speedup = f" (x{run.events_per_second / base:.2f})" if base else ""
        table.add_row(
            str(run.workers),
            f"{run.seconds:.1f}",
            str(run.events),
            f"{run.events_per_second}{speedup}",
            str(run.payments_per_second),
            str(run.p95_latency_s),
            str(run.cpu_workers_s),
            str(run.cpu_postgres_s),
            str(run.cpu_driver_s),
            str(run.load_average),
            _mark(run.dispatches_done_once),
            str(run.ledger_problems),
            _mark(run.audit_verified),
        )
    return table


def _mark(ok: bool) -> str:
    return "[green]yes[/]" if ok else "[red]NO[/]"
