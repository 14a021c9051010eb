"""The ``o2c`` command line: demo, approvals, audit, events, database and worker."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from o2c.config import DEFAULT_SQLITE_FILE, Settings

app = typer.Typer(help="o2c: an agentic Order-to-Cash layer.", no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False)
approvals_app = typer.Typer(help="The approvals queue: proposals waiting for a person.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
events_app = typer.Typer(help="Event dispatch: dead letters and retries.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(approvals_app, name="approvals")
app.add_typer(audit_app, name="audit")
app.add_typer(events_app, name="events")
app.add_typer(db_app, name="db")
console = Console()

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: O2C_DATABASE_URL or ./o2c.db)")]


def _settings(db: str | None) -> Settings:
    settings = Settings()
    return settings.model_copy(update={"database_url": db}) if db else settings


def _app(db: str | None):  # type: ignore[no-untyped-def]
    from o2c.bootstrap import bootstrap
    return bootstrap(_settings(db))


@app.command()
def demo(
    days: Annotated[int, typer.Option(help="Simulated days to run")] = 30,
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the scenario's)")] = None,
    scenario: Annotated[Path | None, typer.Option(help="Scenario YAML (default: the shipped one)")] = None,
    db: DbOption = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the summary as JSON here")] = None,
) -> None:
    """Build the demo company in a fresh database, run it, and show what the agents did."""
    from o2c.sim.demo import reset_database, run_demo

    settings = _settings(db)
    reset_database(settings.database_url)
    started = time.perf_counter()
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[day]}"), TimeElapsedColumn(), console=console,
                  disable=not console.is_terminal and False) as progress:
        task = progress.add_task("Simulating", total=days, day="")
        summary = run_demo(settings, days=days, seed=seed, scenario_path=scenario,
                           on_day=lambda d: progress.update(task, advance=1, day=d.isoformat()))
    summary["elapsed_s"] = round(time.perf_counter() - started, 1)
    _print_summary(summary)
    if json_out:
        json_out.write_text(json.dumps(summary, indent=2))
        console.print(f"Summary written to {json_out}")
    where = "" if settings.database_url == f"sqlite:///{DEFAULT_SQLITE_FILE}" else f" --db {settings.database_url}"
    console.print(f"\nNext: [bold]o2c approvals list{where}[/] to see what waits for a person, "
                  f"[bold]o2c audit verify{where}[/] to check the audit chain.\n"
                  f"Web UI: [bold]o2c users add alice --role approver{where}[/] (prints a password), then "
                  f"[bold]o2c serve{where}[/] and open http://127.0.0.1:8000")
    if not summary["ledger_balanced"]:
        raise typer.Exit(1)


def _print_summary(s: dict[str, Any]) -> None:
    counts = Table(title=f"Demo company after {s['days']} days (seed {s['seed']}, as of {s['as_of']})")
    counts.add_column("what")
    counts.add_column("count", justify="right")
    for key in ("customers", "products", "orders", "deliveries", "invoices", "credit_notes", "payments",
                "journal_entries", "audit_records", "awaiting_approval", "dead_letters"):
        counts.add_row(key.replace("_", " "), str(s[key]))
    console.print(counts)
    money = Table(title="Receivables")
    money.add_column("measure")
    money.add_column("value", justify="right")
    for ccy, amount in s["open_ar"].items():
        money.add_row(f"open AR {ccy}", amount)
    for bucket, amount in s["aging"].items():
        money.add_row(f"aging {bucket} ({s['aging_currency']})", amount)
    money.add_row("DSO (days, last 30 days' sales)", str(s["dso"]))
    console.print(money)
    agents = Table(title="What the agents did")
    agents.add_column("agent.action")
    agents.add_column("executed", justify="right")
    agents.add_column("awaiting approval", justify="right")
    agents.add_column("refused", justify="right")
    for action, by_status in s["agent_actions"].items():
        agents.add_row(action, str(by_status.get("executed", 0)), str(by_status.get("pending", 0)),
                       str(by_status.get("refused", 0)))
    console.print(agents)
    if intake := s.get("intake"):
        reasons = ", ".join(f"{k} {v}" for k, v in intake["discrepancies_by_reason"].items()) or "none"
        console.print(f"Order intake: {intake['orders_received']} orders, touchless {intake['touchless_rate']:.1%}, "
                      f"substitutes proposed {intake['substitutes_proposed']}; discrepancies caught: {reasons}")
    if disruptions := s.get("disruptions"):
        console.print(f"Disruptions: {disruptions['disruptions_injected']} injected, "
                      f"{disruptions['disruptions_detected']} detected; {disruptions['affected_customers']} customers "
                      f"affected, told in time {disruptions['told_in_time_share']:.1%}, "
                      f"{disruptions['remedied_orders']} orders remedied, {disruptions['complaints']} complaints")
    ok = "[green]balanced[/]" if s["ledger_balanced"] else "[red]NOT balanced[/]: " + "; ".join(s["ledger_problems"])
    console.print(f"Ledger invariants: {ok}.  Audit chain: "
                  f"{'[green]verified[/]' if s['audit_verified'] else '[red]broken[/]'}.  "
                  f"Elapsed: {s.get('elapsed_s', '?')} s")


@audit_app.command("verify")
def audit_verify(db: DbOption = None) -> None:
    """Recompute the audit hash chain; exit 1 naming each altered, deleted or inserted record."""
    application = _app(db)
    with application.uow() as uow:
        problems = uow.audit.verify()
        count = len(uow.audit.records(limit=1))
    if problems:
        for p in problems:
            console.print(f"[red]FAIL[/] {p}")
        raise typer.Exit(1)
    console.print(f"[green]OK[/] audit chain intact{'' if count else ' (empty)'}")


@audit_app.command("show")
def audit_show(db: DbOption = None, subject: str | None = None, actor: str | None = None,
               limit: int = 30) -> None:
    """The latest audit records, optionally for one subject (e.g. order:SO-000012) or actor."""
    application = _app(db)
    with application.uow() as uow:
        records = uow.audit.records(subject=subject, actor=actor, limit=limit)
    table = Table("seq", "at", "actor", "action", "subject", "reason")
    for r in records:
        table.add_row(str(r.seq), r.at.isoformat(sep=" "), r.actor, r.action, r.subject, r.reason[:90])
    console.print(table)


@approvals_app.command("list")
def approvals_list(db: DbOption = None, status: str = "pending",
                   json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Proposals waiting for a person (or with another --status)."""
    application = _app(db)
    with application.uow() as uow:
        rows = uow.proposals.list(status=status)
    if json_out:
        typer.echo(json.dumps([{"id": r.id, "agent": r.agent, "action": r.action, "subject": r.subject,
                                "reason": r.reason, "policy": r.policy_rule, "evidence": r.evidence,
                                "confidence": r.confidence, "status": r.status} for r in rows], indent=2))
        return
    table = Table("id", "agent", "action", "subject", "amount", "why it waits", "reason", title=f"{status} proposals")
    for r in rows:
        amount = f"{r.amount_minor / 100:,.2f} {r.currency}" if r.amount_minor is not None else ""
        table.add_row(r.id, r.agent, r.action, r.subject, amount, r.policy_rule, r.reason[:80])
    console.print(table)


@approvals_app.command("approve")
def approvals_approve(proposal_id: str, user: Annotated[str, typer.Option(help="Who approves")],
                      comment: str = "", db: DbOption = None) -> None:
    """Approve a pending proposal and execute its command."""
    from o2c.domain.errors import DomainError
    from o2c.services.proposals import approve

    application = _app(db)
    try:
        with application.uow() as uow:
            result = approve(uow, proposal_id, user, comment, application.company)
            uow.commit()
    except DomainError as exc:
        console.print(f"[red]refused:[/] {exc}")
        raise typer.Exit(2) from exc
    console.print(f"[green]approved[/] {proposal_id}: {result}")


@approvals_app.command("reject")
def approvals_reject(proposal_id: str, user: Annotated[str, typer.Option(help="Who rejects")],
                     comment: Annotated[str, typer.Option(help="Why")], db: DbOption = None) -> None:
    """Reject a pending proposal, saying why."""
    from o2c.domain.errors import DomainError
    from o2c.services.proposals import reject

    application = _app(db)
    try:
        with application.uow() as uow:
            reject(uow, proposal_id, user, comment)
            uow.commit()
    except DomainError as exc:
        console.print(f"[red]refused:[/] {exc}")
        raise typer.Exit(2) from exc
    console.print(f"rejected {proposal_id}")


@events_app.command("dead")
def events_dead(db: DbOption = None) -> None:
    """Events an agent failed on after every retry."""
    application = _app(db)
    with application.uow() as uow:
        rows = uow.outbox.dead_letters()
    table = Table("event", "type", "agent", "attempts", "last error", title="dead letters")
    for r in rows:
        table.add_row(str(r["event_id"]), r["event_type"], r["subscriber"], str(r["attempts"]),
                      (r["last_error"] or "")[:100])
    console.print(table)


@events_app.command("retry")
def events_retry(event_id: int, agent: str, db: DbOption = None) -> None:
    """Put a dead letter back in the queue."""
    application = _app(db)
    with application.uow() as uow:
        uow.outbox.retry_dead(event_id, agent)
        uow.commit()
    console.print(f"event {event_id} for {agent} queued again")


@events_app.command("dispatch")
def events_dispatch(db: DbOption = None) -> None:
    """Deliver every pending event to its agents now."""
    application = _app(db)
    console.print(f"handled {application.dispatcher.drain()} dispatches")


@app.command()
def worker(
    db: DbOption = None,
    executor_id: Annotated[str | None, typer.Option(help="Stable id of this worker (default: O2C_EXECUTOR_ID or the host name)")] = None,
    poll: Annotated[float, typer.Option(help="Seconds between outbox polls")] = 1.0,
    worker_concurrency: Annotated[int, typer.Option(min=1, help="Durable flows this worker runs at once")] = 8,
    take_over: Annotated[list[str] | None, typer.Option(
        "--take-over", metavar="EXECUTOR_ID",
        help="Requeue the pending flows of a worker that will never come back (repeatable)")] = None,
    stop_after: Annotated[float | None, typer.Option(help="Stop after this many seconds (drills, benchmarks)")] = None,
) -> None:
    """Run durable flows (DBOS queue o2c-work) and deliver outbox events to the agents until stopped.

    Run one per process with its own stable --executor-id (see src/o2c/runtime/README-durable.md); a
    failed outbox round is logged and retried with back-off, it never ends the worker.
    """
    import os
    import signal
    import socket
    import threading

    from o2c.runtime import business_flows
    from o2c.runtime.durable import start_runtime
    from o2c.runtime.event_delivery import deliver_events_until_stopped

    application = _app(db)
    business_flows.register_flows(application.settings)
    business_flows.configure(application.company, application.clock)
    ident = executor_id or os.environ.get("O2C_EXECUTOR_ID") or socket.gethostname()
    runtime = start_runtime(application.settings.database_url, ident, worker_concurrency=worker_concurrency,
                            take_over=take_over or ())
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if stop_after is not None:
        timer = threading.Timer(stop_after, stop.set)
        timer.daemon = True
        timer.start()
    taken = f"; took over {', '.join(take_over)}" if take_over else ""
    console.print(f"o2c worker {ident} ready (flows: {business_flows.DELIVER_AND_BILL}, {worker_concurrency} at once; "
                  f"outbox every {poll}s{taken})")
    try:
        deliver_events_until_stopped(application.dispatcher.drain, stop, poll_s=poll)
    finally:
        runtime.shutdown()
        application.close()


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the schema to the latest version."""
    _app(db)
    console.print("schema up to date")


bench_app = typer.Typer(help="Benchmarks: o2c against a named baseline in the same run; table + JSON.",
                        no_args_is_help=True)
app.add_typer(bench_app, name="bench")
JsonOut = Annotated[Path | None, typer.Option("--json", help="Write {baseline, o2c} figures here")]


@bench_app.command("orders")
def bench_orders(json_out: JsonOut = None, orders: int = 10_000) -> None:
    """Order intake vs a plain ERP import: recall/precision per error type, touchless rate, orders/s."""
    from o2c.cli_commands.intake import bench_orders as run
    run(json_out, orders)


@bench_app.command("cash")
def bench_cash(json_out: JsonOut = None, payments: int = 20_000, open_items: int = 200_000) -> None:
    """Cash application vs ERP matching rules: auto, wrong and manual rates, payments/s."""
    from o2c.cli_commands.cash import bench_cash as run
    run(json_out, payments, open_items)


@bench_app.command("billing")
def bench_billing(json_out: JsonOut = None, invoices: int = 500) -> None:
    """Billing with pre-issue validation vs issuing as ordered: invoices/s, invalid documents, disputes prevented."""
    from o2c.cli_commands.billing import bench_billing as run
    run(json_out, invoices)


@bench_app.command("collections")
def bench_collections(json_out: JsonOut = None, days: int = 90) -> None:
    """A demo quarter with reactive reminders vs the collections agents: DSO, overdue, reminders, manual hours."""
    from o2c.cli_commands.collections import bench_collections as run
    run(json_out, days)


@bench_app.command("proactive")
def bench_proactive(json_out: JsonOut = None, open_orders: int = 10_000) -> None:
    """A disrupted month with and without the sentinel: told in time, latency, complaints, value saved."""
    from o2c.cli_commands.operations import bench_proactive as run
    run(json_out, open_orders)


@bench_app.command("knowledge")
def bench_knowledge(json_out: JsonOut = None) -> None:
    """Knowledge base retrieval: hit@3 per split and the share of correct "I don't know"."""
    from o2c.cli_commands.knowledge import bench_knowledge as run
    run(json_out)


@bench_app.command("nlu")
def bench_nlu(json_out: JsonOut = None) -> None:
    """Intent classification on held-out paraphrase families: macro F1, per intent, median ms."""
    from o2c.cli_commands.nlu import bench_nlu as run
    run(json_out)


@bench_app.command("scale")
def bench_scale(
    db: Annotated[str, typer.Option("--db", help="PostgreSQL server URL; each run gets its own scratch database")],
    workers: Annotated[str, typer.Option(help="Worker process counts to run, e.g. 1,2,4")] = "1,2,4",
    json_out: Annotated[Path | None, typer.Option("--json", help="Write {runs: [...]} here")] = None,
    payments: Annotated[int, typer.Option(min=1, help="Payments in the day's bank file")] = 5000,
    orders: Annotated[int, typer.Option(min=0, help="New orders during the day")] = 200,
    deliveries: Annotated[int, typer.Option(min=0, help="Deliveries to bill (deliver-and-bill flows)")] = 200,
) -> None:
    """The same day of work with 1, 2, 4 worker processes on one PostgreSQL: events/s, payments/s, p95 latency."""
    from o2c.cli_commands.scale import bench_scale as run
    run(db, workers, json_out, payments, orders, deliveries)


COMMAND_MODULES = ("intake", "cash", "billing", "collections", "operations", "knowledge", "nlu", "web")


def _register_commands() -> None:
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(f"o2c.cli_commands.{name}").register(app)


def main() -> None:
    _register_commands()
    app()


if __name__ == "__main__":
    main()
