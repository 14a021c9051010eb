"""``o2c customers show|edit``, ``o2c quarantine list|show|retry|dismiss`` and ``o2c cash other-receipt``:
the work o2c hands a person, finished from the command line.

``customers edit ID --vat-id ... --gln ...`` corrects master data (checked; nothing changes when a value
is wrong) and invoices at once the deliveries held for it. ``quarantine`` lists refused files, shows
what was kept, imports one again after a fix, or closes it with a reason. ``cash other-receipt PAY``
posts a receipt that is not a customer's payment to a chosen account. Every change is audited.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from o2c.adapters.store.billing_store import BillingStore
from o2c.cli_commands.common import CliError, DbOption, open_app, print_table
from o2c.domain import commands as c
from o2c.domain.ledger import OTHER_RECEIPT_ACCOUNTS
from o2c.services import quarantine as quarantined

console = Console()
customers_app = typer.Typer(help="Customers' master data: show and correct.", no_args_is_help=True)
quarantine_app = typer.Typer(help="Files refused at import, kept for a person.", no_args_is_help=True)
ACCOUNTS = ", ".join(f"{a.value} ({text})" for a, text in OTHER_RECEIPT_ACCOUNTS.items())


def register(app: typer.Typer) -> None:
    """Add ``customers`` (``quarantine`` is added with ``import``, ``cash other-receipt`` with ``cash``)."""
    app.add_typer(customers_app, name="customers")


# --- customers --------------------------------------------------------------------------------------------
@customers_app.command("show")
def customers_show(
    customer_id: Annotated[str, typer.Argument(help="Customer number, e.g. C00075")],
    db: DbOption = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """A customer's master data and the deliveries held before invoicing because of it."""
    application = open_app(db)
    try:
        with application.uow(read_only=True) as uow:
            customer = uow.customers.get(customer_id)
            holds = BillingStore(uow.conn).holds_of(customer_id) if customer else []
            partners = [p for p in uow.partners.all() if p.customer_id == customer_id] if customer else []
    finally:
        application.close()
    if customer is None:
        raise CliError(f"no customer {customer_id!r}")
    shown: dict[str, Any] = {
        "id": customer.id,
        "name": customer.name,
        "country": customer.country,
        "currency": customer.currency,
        "vat_id": customer.vat_id,
        "gln": customer.gln,
        "email": customer.email,
        "payment_terms": customer.terms.code,
        "channel": customer.preferred_channel.value,
        "ship_tos": [{"code": s.code, "name": s.name, "gln": s.gln} for s in customer.ship_tos],
        "edi_senders": [":".join(p for p in (x.qualifier, x.sender_id) if p) for x in partners],
        "billing_holds": [
            {"delivery": h.delivery_id, "findings": [f.message for f in h.findings]} for h in holds
        ],
    }
    if json_out:
        typer.echo(json.dumps(shown, indent=2))
        return
    table = Table("field", "value", title=f"customer {customer.id}", show_header=False)
    for key in ("name", "country", "currency", "vat_id", "gln", "email", "payment_terms", "channel"):
        table.add_row(key, str(shown[key] or "—"))
    table.add_row(
        "ship-tos", "\n".join(f"{s['code']} {s['name']} GLN {s['gln'] or '—'}" for s in shown["ship_tos"])
    )
    table.add_row("EDI senders", ", ".join(shown["edi_senders"]) or "none")
    console.print(table)
    holds_table = Table("delivery", "why it is held", title="held before invoicing")
    for h in shown["billing_holds"]:
        holds_table.add_row(h["delivery"], "; ".join(h["findings"]))
    print_table(console, holds_table, "deliveries held before invoicing")


@customers_app.command("edit")
def customers_edit(
    customer_id: Annotated[str, typer.Argument(help="Customer number, e.g. C00075")],
    name: Annotated[str | None, typer.Option(help="Legal name")] = None,
    vat_id: Annotated[str | None, typer.Option("--vat-id", help='VAT id ("" clears it)')] = None,
    gln: Annotated[
        str | None, typer.Option(help='GLN, 13 digits with the GS1 check digit ("" clears it)')
    ] = None,
    email: Annotated[str | None, typer.Option(help='Invoice e-mail address ("" clears it)')] = None,
    net_days: Annotated[
        int | None, typer.Option("--net-days", help="Payment terms: days net", min=0, max=365)
    ] = None,
    discount_days: Annotated[
        int | None,
        typer.Option("--discount-days", help="Early-payment discount days (0: none)", min=0, max=365),
    ] = None,
    discount_percent: Annotated[
        str | None, typer.Option("--discount-percent", help="Early-payment discount in %, e.g. 2")
    ] = None,
    ship_to: Annotated[
        str | None, typer.Option("--ship-to", help="Ship-to code whose GLN --ship-to-gln sets")
    ] = None,
    ship_to_gln: Annotated[str | None, typer.Option("--ship-to-gln", help="The ship-to's GLN")] = None,
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail)")] = "master data corrected",
    db: DbOption = None,
) -> None:
    """Correct a customer's master data; deliveries held because of it are invoiced at once."""
    if (ship_to is None) != (ship_to_gln is None):
        raise CliError("--ship-to and --ship-to-gln go together")
    command = c.CorrectCustomer(
        customer_id,
        name,
        vat_id,
        gln,
        email,
        net_days,
        discount_days,
        _percent(discount_percent),
        ship_to,
        ship_to_gln,
        reason,
    )
    if all(v is None for v in (name, vat_id, gln, email, net_days, discount_days, discount_percent, ship_to)):
        raise CliError(
            "nothing to change: give at least one of --name --vat-id --gln --email --net-days "
            "--discount-days --discount-percent --ship-to/--ship-to-gln"
        )
    application = open_app(db)
    try:
        result = application.execute(command, "cli", reason)
        application.dispatcher.drain()
    finally:
        application.close()
    console.print(result, highlight=False)


def _percent(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip().rstrip("%"))
    except InvalidOperation:
        raise CliError(f"--discount-percent: {text!r} is not a number") from None
    if not value.is_finite():
        raise CliError(f"--discount-percent: {text!r} is not a number")
    return value


# --- quarantine -------------------------------------------------------------------------------------------
STATUSES = ("open", "resolved", "dismissed", "all")


@quarantine_app.command("list")
def quarantine_list(
    status: Annotated[str, typer.Option(help="open, resolved, dismissed or all")] = "open",
    db: DbOption = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Quarantined files, newest first, with the reason each was refused."""
    if status not in STATUSES:
        raise CliError(f"--status {status!r}: choose one of {', '.join(STATUSES)}")
    application = open_app(db)
    try:
        with application.uow(read_only=True) as uow:
            rows = quarantined.entries(uow, None if status == "all" else status)
    finally:
        application.close()
    if json_out:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    table = Table("#", "received", "file", "source", "status", "reason", title="quarantine")
    for r in rows:
        table.add_row(
            str(r["id"]),
            f"{r['received_at']:%Y-%m-%d %H:%M}",
            r["filename"],
            r["source"],
            r["status"],
            r["reason"],
        )
    print_table(console, table, "quarantined files")


@quarantine_app.command("show")
def quarantine_show(
    entry_id: Annotated[int, typer.Argument(help="The quarantine entry's number", min=1)],
    db: DbOption = None,
) -> None:
    """An entry's reason and what was kept of the file (its first and last page when it was large)."""
    application = open_app(db)
    try:
        with application.uow(read_only=True) as uow:
            found = quarantined.entry(uow, entry_id)
    finally:
        application.close()
    if found is None:
        raise CliError(f"no quarantined file #{entry_id}")
    entry, content = found
    console.print(
        f"#{entry['id']} {entry['filename']} ({entry['source']}, {entry['status']}, "
        f"{content.size:,} bytes, {entry['attempts']} attempt(s))",
        highlight=False,
        markup=False,
    )
    console.print(f"reason: {entry['reason']}", highlight=False, markup=False)
    for sender in entry["senders"]:
        console.print(
            f"map it: o2c partners map {sender} --customer ID, then o2c quarantine retry {entry_id}",
            highlight=False,
            markup=False,
        )
    console.print(content.head, highlight=False, markup=False)
    if content.truncated:
        console.print(
            f"... ({content.size - 2 * len(content.head.encode()):,} bytes not kept) ...", markup=False
        )
        console.print(content.tail, highlight=False, markup=False)


@quarantine_app.command("retry")
def quarantine_retry(
    entry_id: Annotated[int, typer.Argument(help="The quarantine entry's number", min=1)],
    db: DbOption = None,
) -> None:
    """Import a quarantined file again (after a fix); exit 2 when it is refused again."""
    from o2c.services.intake import IntakeService

    application = open_app(db)
    try:
        report = IntakeService.for_app(application).retry_quarantined(entry_id, "cli")
        application.dispatcher.drain()
    finally:
        application.close()
    if report.status in ("not_found", "needs_original", "resolved", "dismissed"):
        typer.echo(f"o2c: {report.errors[0] if report.errors else report.status}", err=True)
        raise typer.Exit(2)
    for order in report.orders:
        console.print(
            f"{order.source_ref}: {order.status} {', '.join(order.reasons)}".rstrip(), highlight=False
        )
    console.print(
        f"{report.filename}: {report.status}" + (f" ({'; '.join(report.errors)})" if report.errors else ""),
        highlight=False,
        markup=False,
    )
    unknown = any("unknown_customer" in o.reasons for o in report.orders)
    raise typer.Exit(0 if report.status == "imported" and not unknown else 2)


@quarantine_app.command("dismiss")
def quarantine_dismiss(
    entry_id: Annotated[int, typer.Argument(help="The quarantine entry's number", min=1)],
    reason: Annotated[str, typer.Option(help="Why it is closed without importing (kept in the audit)")],
    db: DbOption = None,
) -> None:
    """Close a quarantined file without importing it, with the reason."""
    if not reason.strip():
        raise CliError("--reason must say why the file is dismissed")
    application = open_app(db)
    try:
        result = application.execute(c.DismissQuarantined(entry_id, reason), "cli", reason)
    finally:
        application.close()
    console.print(result, highlight=False, markup=False)


# --- other receipts ---------------------------------------------------------------------------------------
def other_receipt(
    payment_id: Annotated[str, typer.Argument(help="The payment's id, e.g. PAY-000108")],
    account: Annotated[str, typer.Option(help=f"Account to post to: {ACCOUNTS}")],
    reason: Annotated[str, typer.Option(help="What the receipt is, e.g. 'refund from supplier X'")],
    db: DbOption = None,
) -> None:
    """Mark a receipt as not a customer payment: posted to the account, out of the cash queue."""
    application = open_app(db)
    try:
        result = application.execute(c.RecordOtherReceipt(payment_id, account, reason), "cli", reason)
    finally:
        application.close()
    console.print(result, highlight=False, markup=False)
