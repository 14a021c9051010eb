"""The ``o2c`` command line: demo, approvals, audit, events, database and worker."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.engine import make_url

from o2c.cli_commands.common import (
    CliError,
    DbOption,
    O2cGroup,
    global_options,
    open_app,
    postgresql_server,
    print_table,
    server_tables,
    settings_for,
    shown,
    sqlite_tables,
    writable_file,
)
from o2c.config import DEFAULT_SQLITE_FILE, Settings, normalise_database_url
from o2c.domain.money import Money

app = typer.Typer(
    cls=O2cGroup,
    help="o2c: an agentic Order-to-Cash layer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.callback()(global_options)
approvals_app = typer.Typer(help="The approvals queue: proposals waiting for a person.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
events_app = typer.Typer(help="Event dispatch: dead letters and retries.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(approvals_app, name="approvals")
app.add_typer(audit_app, name="audit")
app.add_typer(events_app, name="events")
app.add_typer(db_app, name="db")
console = Console()

ProposalStatus = Literal["pending", "approved", "rejected", "executed", "refused", "resolved"]
AgentName = Literal[
    "credit",
    "cash_application",
    "fulfilment",
    "sentinel",
    "collections",
    "disputes",
    "credit_review",
    "billing",
    "erp",
]


def _app(db: str | None, *, create: bool = False):  # type: ignore[no-untyped-def]
    return open_app(db, create=create)


@app.command()
def demo(
    days: Annotated[int, typer.Option(help="Simulated days to run (1 to 3650)", min=1, max=3650)] = 30,
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the scenario's)", min=0)] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(help="Scenario YAML (default: the shipped one)", exists=True, dir_okay=False),
    ] = None,
    db: DbOption = None,
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Write the summary as JSON here", dir_okay=False, callback=writable_file),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Erase a database that holds more than an earlier demo")
    ] = False,
    erp: Annotated[
        str | None,
        typer.Option(
            help="The books: o2c (its own ledger) or tryton (O2C_TRYTON_URL, else a local trytond; "
            "a smaller, euro-only company)"
        ),
    ] = None,
) -> None:
    """Build the demo company in a fresh database, run it, and show what the agents did."""
    from o2c.sim.demo import reset_database, run_demo
    from o2c.sim.demo_books import books_for_demo

    if erp not in (None, "o2c", "tryton"):
        raise CliError(f"--erp {erp!r}: use o2c or tryton")
    settings = settings_for(db)
    _refuse_to_erase(settings.database_url, force)
    reset_database(settings.database_url)
    _forget_checkpoints(settings)
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[day]}"),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal and False,
    ) as progress:
        task = progress.add_task("Simulating", total=days, day="")
        with books_for_demo(settings, erp) as on_books:
            summary = run_demo(
                on_books,
                days=days,
                seed=seed,
                scenario_path=scenario,
                on_day=lambda d: progress.update(task, advance=1, day=d.isoformat()),
            )
    summary["elapsed_s"] = round(time.perf_counter() - started, 1)
    _print_summary(summary)
    if "books" in summary:
        _print_books(summary["books"])
    if json_out:
        json_out.write_text(json.dumps(summary, indent=2))
        console.print(f"Summary written to {json_out}")
    default = settings_for(DEFAULT_SQLITE_FILE).database_url
    where = "" if settings.database_url == default else f" --db {shown(settings.database_url)}"
    console.print(
        f"\nNext: [bold]o2c approvals list{where}[/] to see what waits for a person, "
        f"[bold]o2c audit verify{where}[/] to check the audit chain.\n"
        f"Web UI: [bold]o2c users add alice --role approver{where}[/] (prints a password), then "
        f"[bold]o2c serve{where}[/] and open http://127.0.0.1:8000"
    )
    if not summary["ledger_balanced"]:
        raise typer.Exit(1)


def _print_books(books: dict[str, Any]) -> None:
    table = Table(title=f"Reconciliation check against {books['erp']}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key in ("customers", "invoices", "open_items"):
        table.add_row(key.replace("_", " "), str(books[key]))
    table.add_row("differences", str(len(books["differences"])))
    console.print(table)
    for difference in books["differences"][:20]:
        console.print(f"  {difference['customer']} {difference['currency']}: o2c {difference['o2c']}, "
                      f"books {difference['books']} ({', '.join(difference['documents'][:5])})")


def _refuse_to_erase(url: str, force: bool) -> None:
    """``o2c demo`` rebuilds its database: refuse when it holds anything but an earlier demo, unless --force."""
    held = None if force else _what_it_holds(url)
    if held:
        raise CliError(
            f"{shown(url)} holds {held}; o2c demo would erase it: add --force, or choose another --db"
        )


def _what_it_holds(url: str) -> str | None:
    """None when the database is absent, empty or an earlier demo; else what erasing it would lose."""
    from sqlalchemy import func, select

    from o2c.adapters.store import tables as t
    from o2c.adapters.store.engine import make_engine
    from o2c.auth.tables import users

    path = make_url(normalise_database_url(url)).database if url.startswith("sqlite") else None
    if path is not None and not Path(path).exists():
        return None
    tables = sqlite_tables(Path(path)) if path is not None else server_tables(url)
    if not tables:
        return None
    if "alembic_version" not in tables or "company_clock" not in tables:
        return "tables that are not an o2c demo's"
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            company = (conn.execute(select(t.company_profile.c.name)).scalar()
                       if "company_profile" in tables else None)
            demo = conn.execute(select(t.company_clock.c.set_by)).scalar() == "demo"
            customers = conn.execute(select(func.count()).select_from(t.customers)).scalar_one()
            people = conn.execute(select(func.count()).select_from(users)).scalar_one()
    finally:
        engine.dispose()
    if company:
        return f"the books of {company} (set up with o2c init)"
    if demo:
        return f"an earlier demo and {people} user(s) added since" if people else None
    if not customers and not people:
        return None
    return f"an o2c database that is not a demo ({customers} customers, {people} users)"


def _forget_checkpoints(settings: Settings) -> None:
    """A rebuilt demo database starts a new audit log: the old log's checkpoints no longer apply."""
    from o2c.adapters.audit_seal import checkpoints_file

    checkpoints_file(settings).unlink(missing_ok=True)


def _print_summary(s: dict[str, Any]) -> None:
    counts = Table(title=f"Demo company after {s['days']} days (seed {s['seed']}, as of {s['as_of']})")
    counts.add_column("what")
    counts.add_column("count", justify="right")
    for key in (
        "customers",
        "products",
        "orders",
        "deliveries",
        "invoices",
        "credit_notes",
        "payments",
        "journal_entries",
        "audit_records",
        "awaiting_approval",
        "dead_letters",
        "waiting_for_a_person",
    ):
        counts.add_row(key.replace("_", " "), str(s[key]))
    console.print(counts)
    money = Table(title="Receivables")
    money.add_column("measure")
    money.add_column("value", justify="right")
    for ccy, amount in s["open_ar"].items():
        money.add_row(f"open AR {ccy}", str(Money(Decimal(amount), ccy)))
    for bucket, amount in s["aging"].items():
        money.add_row(f"aging {bucket} ({s['aging_currency']})", str(Money(Decimal(amount), s["aging_currency"])))
    money.add_row("DSO (days, last 30 days' sales)", str(s["dso"]))
    rate = s.get("cash_auto_match_rate")
    money.add_row("cash matched automatically", "n/a" if rate is None else f"{rate:.1%}")
    console.print(money)
    agents = Table(title="What the agents did")
    agents.add_column("agent.action")
    agents.add_column("executed", justify="right")
    agents.add_column("awaiting approval", justify="right")
    agents.add_column("refused", justify="right")
    for action, by_status in s["agent_actions"].items():
        agents.add_row(
            action,
            str(by_status.get("executed", 0)),
            str(by_status.get("pending", 0)),
            str(by_status.get("refused", 0)),
        )
    console.print(agents)
    if intake := s.get("intake"):
        reasons = ", ".join(f"{k} {v}" for k, v in intake["discrepancies_by_reason"].items()) or "none"
        console.print(
            f"Order intake: {intake['orders_received']} orders, touchless {intake['touchless_rate']:.1%}, "
            f"substitutes proposed {intake['substitutes_proposed']}; discrepancies caught: {reasons}"
        )
    if disruptions := s.get("disruptions"):
        console.print(
            f"Disruptions: {disruptions['disruptions_injected']} injected, "
            f"{disruptions['disruptions_detected']} detected; {disruptions['affected_customers']} customers "
            f"affected, told in time {disruptions['told_in_time_share']:.1%}, "
            f"{disruptions['remedied_orders']} orders remedied, {disruptions['complaints']} complaints "
            "(orders whose promised date passed with neither the delivery nor a warning)"
        )
    ok = (
        "[green]balanced[/]"
        if s["ledger_balanced"]
        else "[red]NOT balanced[/]: " + "; ".join(s["ledger_problems"])
    )
    console.print(
        f"Ledger invariants: {ok}.  Audit chain: "
        f"{'[green]verified[/]' if s['audit_verified'] else '[red]broken[/]'}.  "
        f"Elapsed: {s.get('elapsed_s', '?')} s"
    )


CheckpointsOption = Annotated[Path | None, typer.Option(
    "--checkpoint", help="Checkpoints file to check against (default: the one `o2c audit checkpoint` appends to, "
                         "O2C_AUDIT_CHECKPOINTS or <database>.audit-checkpoints beside the audit key)")]


def _audit_problems(application: Any, checkpoints: Path | None) -> tuple[list[str], int, str]:
    """The chain's problems and the latest checkpoint's; the number of records; a note on the checkpoint."""
    from o2c.adapters.audit_seal import checkpoints_file, read_checkpoints

    path = checkpoints or checkpoints_file(application.settings)
    with application.uow(read_only=True) as uow:
        problems = uow.audit.verify()
        head = uow.audit.head()
        count = head.seq if head else 0
        if not path.exists():
            if checkpoints is not None:
                problems.append(f"checkpoints file {path} does not exist")
            return problems, count, "no checkpoint yet (`o2c audit checkpoint` writes one)"
        signed, unsigned = read_checkpoints(path, application.audit_key)
        problems.extend(unsigned)
        if not signed:
            return problems, count, f"no signed checkpoint in {path}"
        latest = signed[-1]
        change = uow.audit.since_checkpoint(latest.seq, latest.head)
    when = latest.at.isoformat(sep=" ", timespec="seconds")
    if change:
        problems.append(f"since the checkpoint of {when} ({path}): {change}")
    return problems, count, f"agrees with the checkpoint of {when} at record {latest.seq}"


@audit_app.command("verify")
def audit_verify(db: DbOption = None, checkpoint: CheckpointsOption = None) -> None:
    """Recompute the keyed audit chain and check it against the latest signed checkpoint; exit 1 naming
    each altered, deleted or inserted record, and any truncation or rewriting since the checkpoint."""
    problems, count, note = _audit_problems(_app(db), checkpoint)
    if problems:
        for p in problems:
            console.print(f"[red]FAIL[/] {p}")
        raise typer.Exit(1)
    console.print(f"[green]OK[/] audit chain intact ({count} records; {note})" if count
                  else f"[green]OK[/] audit chain intact (empty; {note})")


@audit_app.command("checkpoint")
def audit_checkpoint(db: DbOption = None, out: Annotated[Path | None, typer.Option(
        "--out", help="Checkpoints file to append to (default: as for verify --checkpoint)")] = None) -> None:
    """Verify the log, then append its length and head hash, signed with the audit key, to a checkpoints
    file outside the database; `o2c audit verify` later reports truncation or rewriting since then."""
    from o2c.adapters.audit_seal import Checkpoint, append_checkpoint, checkpoints_file, database_label

    application = _app(db)
    path = out or checkpoints_file(application.settings)
    problems, _, _ = _audit_problems(application, out if out and out.exists() else None)
    if problems:
        for p in problems:
            console.print(f"[red]FAIL[/] {p}")
        console.print("[red]No checkpoint written[/]: a checkpoint must not vouch for a broken log.")
        raise typer.Exit(1)
    with application.uow(read_only=True) as uow:
        head = uow.audit.head()
    seq, digest = (head.seq, head.hash) if head else (0, "0" * 64)
    append_checkpoint(path, Checkpoint(database_label(application.settings.database_url), seq, digest,
                                       application.clock.now()), application.audit_key)
    console.print(f"Checkpoint written to {path}: {seq} records, head {digest[:16]}…")


@audit_app.command("show")
def audit_show(
    db: DbOption = None,
    subject: Annotated[str | None, typer.Option(help="Only this subject, e.g. order:SO-000012")] = None,
    actor: Annotated[str | None, typer.Option(help="Only this actor (an agent or a person)")] = None,
    limit: Annotated[int, typer.Option(help="How many records, newest first", min=1, max=100_000)] = 30,
) -> None:
    """The latest audit records, optionally for one subject (e.g. order:SO-000012) or actor."""
    application = _app(db)
    with application.uow(read_only=True) as uow:
        records = uow.audit.records(subject=subject, actor=actor, limit=limit)
    table = Table("seq", "at", "actor", "action", "subject", "reason")
    for r in records:
        table.add_row(str(r.seq), r.at.isoformat(sep=" "), r.actor, r.action, r.subject, r.reason[:90])
    print_table(console, table, "audit records")


@approvals_app.command("list")
def approvals_list(
    db: DbOption = None,
    status: Annotated[ProposalStatus, typer.Option(help="Which proposals")] = "pending",
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Proposals waiting for a person (or with another --status)."""
    application = _app(db)
    with application.uow(read_only=True) as uow:
        rows = uow.proposals.list(status=status)
    if json_out:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "agent": r.agent,
                        "action": r.action,
                        "subject": r.subject,
                        "reason": r.reason,
                        "policy": r.policy_rule,
                        "evidence": r.evidence,
                        "confidence": r.confidence,
                        "status": r.status,
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
        return
    table = Table(
        "id", "agent", "action", "subject", "amount", "why it waits", "reason", title=f"{status} proposals"
    )
    for r in rows:
        amount = str(Money.from_minor(r.amount_minor, r.currency)) if r.amount_minor is not None and r.currency else ""
        table.add_row(r.id, r.agent, r.action, r.subject, amount, r.policy_rule, r.reason[:80])
    print_table(console, table, f"{status} proposals")


@approvals_app.command("approve")
def approvals_approve(
    proposal_id: Annotated[str, typer.Argument(help="Proposal id, e.g. PR-000012")],
    user: Annotated[str, typer.Option(help="Who approves")],
    comment: Annotated[str, typer.Option(help="Why (kept in the audit log)")] = "",
    db: DbOption = None,
) -> None:
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
def approvals_reject(
    proposal_id: Annotated[str, typer.Argument(help="Proposal id, e.g. PR-000012")],
    user: Annotated[str, typer.Option(help="Who rejects")],
    comment: Annotated[str, typer.Option(help="Why")],
    db: DbOption = None,
) -> None:
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
    with application.uow(read_only=True) as uow:
        rows = uow.outbox.dead_letters()
    table = Table("event", "type", "agent", "attempts", "last error", title="dead letters")
    for r in rows:
        table.add_row(
            str(r["event_id"]),
            r["event_type"],
            r["subscriber"],
            str(r["attempts"]),
            (r["last_error"] or "")[:100],
        )
    print_table(console, table, "dead letters")


@events_app.command("retry")
def events_retry(
    event_id: Annotated[int, typer.Argument(help="Event number (o2c events dead)", min=1)],
    agent: Annotated[AgentName, typer.Argument(help="Agent that failed on it")],
    db: DbOption = None,
) -> None:
    """Put a dead letter back in the queue."""
    application = _app(db)
    with application.uow() as uow:
        if not uow.outbox.retry_dead(event_id, agent):
            raise CliError(
                f"no dead letter for event {event_id} and agent {agent} (o2c events dead lists them)"
            )
        uow.commit()
    console.print(f"event {event_id} for {agent} queued again")


@events_app.command("dispatch")
def events_dispatch(db: DbOption = None) -> None:
    """Deliver every pending event to its agents now."""
    application = _app(db)
    console.print(f"handled {application.dispatcher.drain()} dispatches")


@app.command()
def figures(
    db: DbOption = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """The headline figures the dashboard, the inbox, the API and the demo summary show (computed once)."""
    from dataclasses import asdict

    from o2c.views.figures import figures as compute

    application = _app(db)
    with application.uow(read_only=True) as uow:
        f = compute(uow)
    waiting = {**asdict(f.waiting), "total": f.waiting.total}
    if json_out:
        typer.echo(json.dumps({"as_of": f.as_of.isoformat(), "functional_currency": f.functional_currency,
                               "waiting": waiting, "open_ar": {k: str(v) for k, v in f.open_ar_by_currency.items()},
                               "dso": None if f.dso is None else str(f.dso),
                               "cash_auto_match_rate": f.cash_auto_match_rate,
                               "payments_received": f.payments_received}, indent=2))
        return
    table = Table("figure", "value", title=f"Figures as of {f.as_of}")
    table.columns[1].justify = "right"
    for kind, n in waiting.items():
        table.add_row(f"waiting: {kind.replace('_', ' ')}", str(n))
    for ccy, amount in f.open_ar_by_currency.items():
        table.add_row(f"open AR {ccy}", str(Money(amount, ccy)))
    table.add_row("DSO (days, last 30 days' sales)", "n/a" if f.dso is None else str(f.dso))
    rate = f.cash_auto_match_rate
    table.add_row(f"cash matched automatically (of {f.payments_received} payments)",
                  "n/a" if rate is None else f"{rate:.1%}")
    console.print(table)


@app.command()
def worker(
    db: DbOption = None,
    executor_id: Annotated[
        str | None, typer.Option(help="Stable id of this worker (default: O2C_EXECUTOR_ID or the host name)")
    ] = None,
    poll: Annotated[float, typer.Option(help="Seconds between outbox polls", min=0.01, max=3600)] = 1.0,
    once: Annotated[bool, typer.Option("--once", help="Deliver all due work (events, ERP pushes) and exit")] = False,
    worker_concurrency: Annotated[int, typer.Option(min=1, max=1000, help="Durable flows this worker runs at once")] = 8,
    take_over: Annotated[list[str] | None, typer.Option(
        "--take-over", metavar="EXECUTOR_ID",
        help="Requeue the pending flows of a worker that will never come back (repeatable)")] = None,
    stop_after: Annotated[float | None, typer.Option(min=0, help="Stop after this many seconds (drills, benchmarks)")] = None,
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
    if once:
        handled = application.dispatcher.drain()
        dead = _dead_count(application)
        application.close()
        console.print(f"handled {handled} dispatches" + (f"; {dead} dead letters (o2c events dead)" if dead else ""))
        return
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


def _dead_count(application: Any) -> int:
    with application.uow(read_only=True) as uow:
        return len(uow.outbox.dead_letters())


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the schema to the latest version."""
    _app(db, create=True).close()
    console.print("schema up to date")


bench_app = typer.Typer(
    help="Benchmarks: o2c against a named baseline in the same run; table + JSON.", no_args_is_help=True
)
app.add_typer(bench_app, name="bench")
JsonOut = Annotated[
    Path | None,
    typer.Option("--json", help="Write {baseline, o2c} figures here", dir_okay=False, callback=writable_file),
]


@bench_app.command("orders")
def bench_orders(
    json_out: JsonOut = None,
    orders: Annotated[int, typer.Option(help="Orders to generate", min=1, max=10_000_000)] = 10_000,
    noise: Annotated[Path | None, typer.Option("--noise", exists=True, dir_okay=False,
                                               help="Noise profile (YAML); default: the shipped default profile")] = None,
    noise_schema: Annotated[bool, typer.Option("--noise-schema", help="Print the profile's JSON schema and stop")] = False,
    db: Annotated[str | None, typer.Option("--db", help="postgresql://... runs the whole path on PostgreSQL (databases "
                                           "made and dropped beside it); default: SQLite files in a temporary folder")] = None,
) -> None:
    """Order intake vs an ERP's order-entry checks: recall/precision per error type, touchless, orders/s."""
    from o2c.cli_commands.intake import bench_orders as run

    postgresql_server(db, "bench orders")
    run(json_out, orders, noise=noise, noise_schema=noise_schema, db=db)


@bench_app.command("cash")
def bench_cash(
    json_out: JsonOut = None,
    payments: Annotated[int, typer.Option(help="Payments to apply", min=1, max=10_000_000)] = 20_000,
    open_items: Annotated[
        int, typer.Option(help="Open items to match against", min=1, max=100_000_000)
    ] = 200_000,
    noise: Annotated[Path | None, typer.Option("--noise", exists=True, dir_okay=False,
                                               help="Noise profile (YAML); default: the shipped default profile")] = None,
    noise_schema: Annotated[bool, typer.Option("--noise-schema", help="Print the profile's JSON schema and stop")] = False,
    db: Annotated[str | None, typer.Option("--db", help="postgresql://... runs it on PostgreSQL (databases made and "
                                           "dropped beside it); default: SQLite files in a temporary folder")] = None,
) -> None:
    """Cash application vs a configured ERP's reconciliation rules: auto, wrong, residual, manual, payments/s."""
    from o2c.cli_commands.cash import bench_cash as run

    postgresql_server(db, "bench cash")

    run(json_out, payments, open_items, noise=noise, noise_schema=noise_schema, db=db)


@bench_app.command("billing")
def bench_billing(
    json_out: JsonOut = None,
    invoices: Annotated[int, typer.Option(help="Deliveries to invoice", min=1, max=1_000_000)] = 500,
) -> None:
    """Billing with pre-issue validation vs an ERP's pre-billing checks: invoices/s, invalid documents, disputes prevented."""
    from o2c.cli_commands.billing import bench_billing as run

    run(json_out, invoices)


@bench_app.command("collections")
def bench_collections(
    json_out: JsonOut = None, days: Annotated[int, typer.Option(help="Simulated days", min=1, max=3650)] = 90
) -> None:
    """A demo quarter with reactive reminders vs the collections agents: DSO, overdue, reminders, manual hours."""
    from o2c.cli_commands.collections import bench_collections as run

    run(json_out, days)


@bench_app.command("proactive")
def bench_proactive(
    json_out: JsonOut = None,
    open_orders: Annotated[
        int, typer.Option(help="Open orders for the latency run", min=1, max=10_000_000)
    ] = 10_000,
) -> None:
    """A disrupted month with and without the sentinel: told in time, latency, complaints, value saved."""
    from o2c.cli_commands.operations import bench_proactive as run

    run(json_out, open_orders)


@bench_app.command("knowledge")
def bench_knowledge(json_out: JsonOut = None) -> None:
    """Knowledge base retrieval: hit@3 per split and the share of correct "I don't know"."""
    from o2c.cli_commands.knowledge import bench_knowledge as run

    run(json_out)


@bench_app.command("nlu")
def bench_nlu(json_out: JsonOut = None,
              llm: Annotated[bool, typer.Option("--llm", help="Score the configured LLM (O2C_LLM_BASE_URL)")] = False
              ) -> None:
    """Intent classification on held-out paraphrase families (macro F1, per intent, median ms) and on
    messages written by others."""
    from o2c.cli_commands.nlu import bench_nlu as run

    run(json_out, llm)


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

    postgresql_server(db, "bench scale")
    run(db, workers, json_out, payments, orders, deliveries)


COMMAND_MODULES = (
    "intake",
    "cash",
    "billing",
    "collections",
    "operations",
    "knowledge",
    "nlu",
    "web",
    "company",
    "onboarding",
    "erp",
    "mail",
    "master_data",
    "forecast",
)


def register_commands() -> None:
    import importlib

    if any(info.name == "today" for info in app.registered_commands):
        return
    for name in COMMAND_MODULES:
        importlib.import_module(f"o2c.cli_commands.{name}").register(app)


def main() -> None:
    register_commands()
    app()


if __name__ == "__main__":
    main()
