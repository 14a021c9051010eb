"""``o2c bench cash``: o2c's cash application against the rules an ERP ships with, on the same payments.

A seeded world of customers (some paying for subsidiaries) and open invoices is written to SQLite;
payments are generated with ground truth and every kind of noise the matching engine must handle:
references with a missing prefix, only the sequence, a typo, several invoices in one line, an order,
a PO or a customer number, or none at all; amounts exact, with an early-payment discount, bank fees,
short, partial, over, or in another currency; payer names abbreviated or a payment provider's, new
accounts, parents paying for subsidiaries. Both matchers run on their own copy of the database as
agents in the production pipeline: payments are recorded as a bank import records them, the dispatcher
hands them to the agent in batches, and its proposals go through the policy gate, the handler, the
ledger and the audit log. The time counted is all of that; building the world and scoring are not.

The baseline does what common ERP reconciliation rules do: an exact invoice number in the reference
applies the payment to those invoices; otherwise a payer known by its account with exactly one open
item of exactly the amount. Anything else is left for a person.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from o2c.adapters.store import tables as t
from o2c.agents.base import Agent, AgentDeps, Proposal
from o2c.agents.cash_application import CashApplicationAgent, LedgerBook, apply_command
from o2c.bootstrap import App, bootstrap
from o2c.config import Settings
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.codec import decode
from o2c.domain.customers import Address, Customer, PaymentTerms, Segment, ShipTo
from o2c.domain.ledger import OpenItem, Side
from o2c.domain.matching import (
    IncomingPayment,
    Match,
)
from o2c.domain.money import Money
from o2c.domain.remittance import PayerDirectory, document_keys, read_references
from o2c.services.clock import SimClock
from o2c.services.proposals import run_command

TODAY = date(2026, 9, 30)
RATES = {"EUR": Decimal(1), "GBP": Decimal("0.86"), "USD": Decimal("1.09")}
WORDS = ("Alpha", "Bakker", "Central", "Delta", "Euro", "Fresh", "Golden", "Harbour", "Iris", "Jansen",
         "Kroon", "Lotus", "Mosa", "Noord", "Oranje", "Polder", "Quint", "Rivier", "Stern", "Tulp", "Unie",
         "Vries", "West", "Zuid", "Atlas", "Brouwer", "Castle", "Dijk", "Elm", "Falcon")
KINDS = ("Foods", "Drinks", "Markets", "Wholesale", "Retail", "Horeca", "Trading", "Group", "Supplies")
LEGAL = ("B.V.", "GmbH", "Ltd", "S.A.", "N.V.", "SARL", "Inc.")
PROVIDERS = ("ADYEN NV", "STRIPE PAYMENTS", "PAYPAL EUROPE", "MOLLIE BV")


@dataclass(frozen=True, slots=True)
class Truth:
    customer_id: str
    cash: dict[str, Decimal]
    closed: frozenset[str]
    noise: str


@dataclass
class Result:
    name: str
    auto: int = 0
    wrong: int = 0
    manual: int = 0
    seconds: float = 0.0
    wrong_examples: list[str] = field(default_factory=list)
    manual_by_noise: dict[str, int] = field(default_factory=dict)

    def figures(self, total: int) -> dict[str, float]:
        return {"auto_rate": round(self.auto / total, 4), "wrong_rate": round(self.wrong / total, 4),
                "manual_rate": round(self.manual / total, 4),
                "payments_per_second": round(total / self.seconds, 1) if self.seconds else 0.0}


# --- the world ---------------------------------------------------------------------------------------
@dataclass
class World:
    customers: list[Customer]
    receivables: list[Any]
    payments: list[tuple[IncomingPayment, Truth]]


def _customers(rng: random.Random, count: int) -> list[Customer]:
    found: list[Customer] = []
    for n in range(count):
        cid = f"C{n + 1:05d}"
        ccy = "EUR" if n % 20 < 17 else ("GBP" if n % 20 < 19 else "USD")
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(KINDS)} {rng.choice(LEGAL)}"
        parent = found[n - 1 - n % 4].id if n % 25 in (1, 2, 3) and n > 4 else None
        terms = PaymentTerms(30, 10, Decimal(2)) if n % 3 == 0 else PaymentTerms(30)
        address = Address("Main Street 1", "Utrecht", "3511", "NL")
        found.append(Customer(cid, name, Segment.WHOLESALER, "NL", ccy, "en", address,
                              (ShipTo(f"{cid}-S1", name, address),), terms, Money.of(10**7, ccy),
                              bank_accounts=(f"NL{10 + n % 89}BANK{n:010d}",), parent_id=parent))
    return found


def _receivables(rng: random.Random, customers: list[Customer], count: int) -> list[Any]:
    from o2c.domain.matching import Receivable

    found = []
    for n in range(count):
        customer = customers[rng.randrange(len(customers))]
        ccy = customer.currency
        amount = Money(Decimal(rng.randint(5_000, 2_000_000)) / 100, ccy)
        issued = TODAY - timedelta(days=rng.randint(1, 80))
        document = f"INV-{2025 + (n % 2)}-{n // 2 + 1:06d}"
        item = OpenItem(f"OI{n + 1:07d}", customer.id, document, "invoice", Side.DEBIT, amount, amount,
                        amount.convert(Decimal(1) / RATES[ccy], "EUR"), issued, issued + timedelta(days=30))
        discount_until = issued + timedelta(days=10) if customer.terms.discount_days else None
        found.append(Receivable(item, issued, f"SO-{n + 1:06d}", f"PO{7_000_000 + n}",
                                customer.terms.discount_percent, discount_until))
    return found


# --- payments with ground truth -----------------------------------------------------------------------
NOISE = (("exact", 30), ("missing_prefix", 12), ("sequence_only", 6), ("typo", 6), ("several_in_line", 8),
         ("order_number", 4), ("po_number", 4), ("customer_number", 3), ("no_reference", 6),
         ("discount", 5), ("bank_fee", 5), ("short_pay", 3), ("partial", 2), ("overpaid", 2), ("fx", 2),
         ("new_account_name", 6), ("provider_name", 2), ("parent_pays", 4))


def _pick_noise(rng: random.Random) -> str:
    roll = rng.uniform(0, sum(w for _, w in NOISE))
    for name, weight in NOISE:
        roll -= weight
        if roll <= 0:
            return name
    return "exact"


def _payments(rng: random.Random, world_customers: list[Customer], receivables: list[Any],
              wanted: int) -> list[tuple[IncomingPayment, Truth]]:
    by_customer: dict[str, list[Any]] = {}
    for r in receivables:
        by_customer.setdefault(r.item.customer_id, []).append(r)
    customers = {cu.id: cu for cu in world_customers}
    used: set[str] = set()
    found: list[tuple[IncomingPayment, Truth]] = []
    while len(found) < wanted:
        noise = _pick_noise(rng)
        made = _one_payment(rng, noise, customers, by_customer, used, len(found))
        if made:
            found.append(made)
    return found


def _one_payment(rng: random.Random, noise: str, customers: dict[str, Customer], by_customer: dict[str, list[Any]],
                 used: set[str], n: int) -> tuple[IncomingPayment, Truth] | None:
    customer = customers[f"C{rng.randrange(1, len(customers) + 1):05d}"]
    if noise == "parent_pays":
        children = [c for c in customers.values() if c.parent_id == customer.id]
        if not children:
            return None
        owner = rng.choice(children)
    else:
        owner = customer
    pool = [r for r in by_customer.get(owner.id, []) if r.item.id not in used]
    if not pool:
        return None
    count = rng.randint(2, 4) if noise in ("several_in_line", "no_reference") and rng.random() < 0.7 else 1
    chosen = rng.sample(pool, min(count, len(pool)))
    used.update(r.item.id for r in chosen)
    return _describe(rng, noise, customer, chosen, n)


def _describe(rng: random.Random, noise: str, payer: Customer, chosen: list[Any],
              n: int) -> tuple[IncomingPayment, Truth]:
    ccy = chosen[0].item.original.currency
    total = sum((r.item.open.amount for r in chosen), Decimal(0))
    cash = {r.document: r.item.open.amount for r in chosen}
    closed = {r.document for r in chosen}
    day = TODAY
    amount = Money(total, ccy)
    reason = ""
    if noise == "discount" and all(r.discount_until for r in chosen):
        day = min(r.discount_until for r in chosen)
        discounts = {r.document: (r.item.original * r.discount_percent / 100).quantize().amount for r in chosen}
        cash = {d: v - discounts[d] for d, v in cash.items()}
        amount = Money(sum(cash.values(), Decimal(0)), ccy)
    elif noise == "bank_fee" and total > 300:
        fee = Decimal(rng.choice(("5.00", "7.50", "10.00", "15.00")))
        last = chosen[-1].document
        cash[last] -= fee
        amount = Money(total - fee, ccy)
    elif noise in ("short_pay", "partial") and len(chosen) == 1:
        share = Decimal(rng.choice(("0.92", "0.95", "0.97"))) if noise == "short_pay" else Decimal(rng.choice(
            ("0.3", "0.5", "0.6")))
        paid = (total * share).quantize(Decimal("0.01"))
        cash = {chosen[0].document: paid}
        closed = set()
        amount = Money(paid, ccy)
        reason = "short"
    elif noise == "overpaid":
        amount = Money(total + Decimal(rng.randint(100, 5000)) / 100, ccy)
    elif noise == "fx" and ccy != "EUR":
        amount = Money((total / RATES[ccy] * Decimal(rng.choice(("0.995", "1.0", "1.004")))).quantize(
            Decimal("0.01")), "EUR")
    reference = _reference(rng, noise, payer, chosen)
    name, account = _payer_shown(rng, noise, payer)
    payment = IncomingPayment(f"B{n:06d}", day, amount, name, account, reference)
    return payment, Truth(payer.id, cash, frozenset(closed), noise + (f"/{reason}" if reason else ""))


def _reference(rng: random.Random, noise: str, payer: Customer, chosen: list[Any]) -> str:
    docs = [r.document for r in chosen]
    if noise == "missing_prefix":
        return " ".join(d.split("-", 1)[1] for d in docs)
    if noise == "sequence_only":
        return "Rechnung " + " ".join(d[-6:] for d in docs)
    if noise == "typo":
        return " ".join(_typo(rng, d) for d in docs)
    if noise == "several_in_line":
        return "INV " + ", ".join(d.split("-", 1)[1].replace("-", "") for d in docs) + " THANKS"
    if noise == "order_number":
        return "ORDER " + " ".join(r.order_id for r in chosen)
    if noise == "po_number":
        return "P.O. " + " ".join(r.po_number.removeprefix("PO") for r in chosen)
    if noise == "customer_number":
        return f"CUST {payer.id} PAYMENT {TODAY:%d.%m.%Y}"
    if noise == "no_reference":
        return rng.choice(("PAYMENT", "SETTLEMENT SEPTEMBER", "THANK YOU"))
    return " ".join(docs)


def _typo(rng: random.Random, document: str) -> str:
    digits = list(document[-6:])
    n = rng.randrange(5)
    if digits[n] != digits[n + 1]:
        digits[n], digits[n + 1] = digits[n + 1], digits[n]
    else:
        del digits[n]
    return document[:-6] + "".join(digits)


def _payer_shown(rng: random.Random, noise: str, payer: Customer) -> tuple[str, str | None]:
    if noise == "provider_name":
        return rng.choice(PROVIDERS), f"NL99PROV{rng.randint(10**9, 10**10 - 1)}"
    if noise in ("new_account_name", "customer_number"):
        words = payer.name.split()
        variant = " ".join(words[:-1]).upper() if rng.random() < 0.5 else payer.name.replace(" ", "  ").lower()
        return variant, f"DE{rng.randint(10, 99)}NEW{rng.randint(10**9, 10**10 - 1)}"
    return payer.name, payer.bank_accounts[0]


def build_world(payments: int, open_items: int, seed: int = 11) -> World:
    rng = random.Random(seed)
    customers = _customers(rng, max(50, open_items // 100))
    receivables = _receivables(rng, customers, open_items)
    return World(customers, receivables, _payments(rng, customers, receivables, payments))


# --- the database -------------------------------------------------------------------------------------
def seed_database(app: App, world: World) -> None:
    """Customers, and every open item under one opening-balance entry per currency."""
    with app.uow() as uow:
        uow.customers.add_many(world.customers)
        for ccy, rate in RATES.items():
            if ccy != "EUR":
                uow.fx.put(TODAY - timedelta(days=365), ccy, rate)
        uow.conn.execute(insert(t.open_items), [{
            "id": r.item.id, "customer_id": r.item.customer_id, "document": r.document, "kind": "invoice",
            "side": "debit", "currency": r.item.original.currency, "original_minor": r.item.original.to_minor(),
            "open_minor": r.item.open.to_minor(), "carrying_minor": r.item.carrying.to_minor(),
            "opened_on": r.item.opened_on, "due_date": r.item.due_date} for r in world.receivables])
        _documents(uow, world)
        for ccy in RATES:
            _opening_entry(uow, ccy, [r for r in world.receivables if r.item.original.currency == ccy])
        uow.commit()


def _documents(uow: Any, world: World) -> None:
    """The invoice and order behind each open item, as far as matching reads them (order and PO)."""
    uow.conn.execute(insert(t.orders), [{
        "id": r.order_id, "customer_id": r.item.customer_id, "status": "invoiced", "channel": "edi",
        "order_date": r.issue_date, "requested_date": r.issue_date, "currency": r.item.original.currency,
        "open_value_minor": 0, "po_number": r.po_number, "source_ref": None, "body": {"bench": True}}
        for r in world.receivables])
    uow.conn.execute(insert(t.invoices), [{
        "number": r.document, "kind": "invoice", "customer_id": r.item.customer_id, "issue_date": r.issue_date,
        "due_date": r.item.due_date, "currency": r.item.original.currency,
        "gross_minor": r.item.original.to_minor(), "order_id": r.order_id, "delivery_id": None,
        "corrects": None, "body": {"bench": True}} for r in world.receivables])


def _opening_entry(uow: Any, ccy: str, receivables: list[Any]) -> None:
    entry = f"OB-{ccy}"
    txn = sum(r.item.open.to_minor() for r in receivables)
    fun = sum(r.item.carrying.to_minor() for r in receivables)
    uow.conn.execute(insert(t.journal_entries).values(id=entry, posted_on=TODAY - timedelta(days=90),
                                                      description=f"opening balance {ccy}", source=entry,
                                                      status="draft"))
    uow.conn.execute(insert(t.journal_lines), [
        {"entry_id": entry, "account": "1100", "functional_minor": fun, "currency": ccy, "amount_minor": txn},
        {"entry_id": entry, "account": "2900", "functional_minor": -fun, "currency": "EUR",
         "amount_minor": -fun}])
    uow.conn.execute(insert(t.open_item_movements), [
        {"entry_id": entry, "open_item_id": r.item.id, "currency": ccy,
         "signed_open_minor": r.item.open.to_minor(), "signed_carrying_minor": r.item.carrying.to_minor()}
        for r in receivables])
    uow.conn.execute(update(t.journal_entries).where(t.journal_entries.c.id == entry).values(status="posted"))


# --- the two matchers, each an agent in the production pipeline -------------------------------------
class BaselineAgent:
    """The rules an ERP ships with: exact invoice numbers in the reference, else the payer (known by its
    account) has exactly one open item of exactly the amount. Reads the ledger like the real agent."""

    name = "cash_application"
    subscribes = frozenset({"PaymentReceived"})

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        if not isinstance(event, e.PaymentReceived):
            return []
        payment = deps.uow.payments.get(event.payment_id)
        if payment is None:
            return []
        accounts = deps.scratch.get("accounts")
        if accounts is None:
            accounts = deps.scratch["accounts"] = {a: cu.id for cu in deps.uow.customers.all()
                                                   for a in cu.bank_accounts}
        book = LedgerBook(deps.uow, PayerDirectory([]))
        refs = read_references(payment.reference).documents
        found = [r for d in refs if (keys := document_keys(d)) for r in book.by_key("full", keys[0])]
        customer = accounts.get(payment.payer_account or "")
        if not found and customer:
            exact = [r for r in book.open_of([customer]) if r.item.open == payment.amount]
            found = exact if len(exact) == 1 else []
        match = _apply_in_order(payment.amount, found) if found else None
        if match is None:
            return []
        return [Proposal(self.name, "apply_payment", apply_command(payment.id, match), f"payment:{payment.id}",
                         "ERP rule", {}, 1.0, payment.amount)]


def _apply_in_order(amount: Money, receivables: list[Any]) -> Match | None:
    from o2c.domain.matching import Allocation

    if any(r.item.original.currency != amount.currency for r in receivables):
        return None
    left, allocations = amount, []
    for r in receivables:
        cash = min(left, r.item.open)
        if cash.is_zero():
            break
        allocations.append(Allocation(r.document, r.item.id, r.item.customer_id, cash))
        left = left - cash
    return Match(receivables[0].item.customer_id, tuple(allocations), left, 1.0, ("ERP rule",))


def _correct(command: c.ApplyPayment, truth: Truth, left_open: set[str]) -> bool:
    cash = {d: a.amount for d, a in zip(command.documents, command.amounts, strict=True)}
    if command.customer_id != truth.customer_id:
        return False
    if command.received_as is not None:
        return set(cash) == set(truth.cash)
    return cash == truth.cash and left_open == set(truth.cash) - truth.closed


# --- running one matcher ------------------------------------------------------------------------------
def run_matcher(name: str, url: str, world: World, agent: Agent, advance: Callable[[int], None],
                batch: int = 500) -> Result:
    """Record the payments as a bank import does and let the dispatcher run ``agent`` on them, through
    the policy gate, the handlers, the ledger and the audit log; then score what was posted."""
    app = bootstrap(Settings(database_url=url), clock=SimClock(datetime(2026, 9, 30, 9)), agents=[agent],
                    migrate_schema=False)
    result = Result(name)
    started = time.perf_counter()
    try:
        for start in range(0, len(world.payments), batch):
            chunk = world.payments[start:start + batch]
            with app.uow() as uow:
                for payment, _ in chunk:
                    run_command(uow, c.RecordPayment(payment.received_on, payment.amount, payment.payer_name,
                                                     payment.payer_account, payment.reference,
                                                     payment.payment_id), "bench", "bank statement entry",
                                app.company)
                uow.commit()
            app.dispatcher.drain()
            advance(len(chunk))
        result.seconds = time.perf_counter() - started
        _score(app, world, result)
    finally:
        app.close()
    return result


def _score(app: App, world: World, result: Result) -> None:
    with app.uow() as uow:
        by_key = {p.bank_entry_key: p.id for p in uow.payments.all()}
        executed = {row.subject: decode(c.ApplyPayment, row.command)
                    for row in uow.proposals.list(status="executed", limit=10**7)}
        still_open = {row.document for row in uow.conn.execute(
            select(t.open_items.c.document).where(t.open_items.c.open_minor > 0, t.open_items.c.kind == "invoice"))}
    for payment, truth in world.payments:
        command = executed.get(f"payment:{by_key[payment.payment_id]}")
        if command is None:
            result.manual += 1
            result.manual_by_noise[truth.noise] = result.manual_by_noise.get(truth.noise, 0) + 1
            continue
        result.auto += 1
        if not _correct(command, truth, {d for d in command.documents if d in still_open}):
            result.wrong += 1
            if len(result.wrong_examples) < 12:
                result.wrong_examples.append(
                    f"{truth.noise}: {payment.reference!r} {payment.amount} -> {command.customer_id} "
                    f"{list(zip(command.documents, map(str, command.amounts), strict=True))} "
                    f"(truth {truth.customer_id} {truth.cash} closed {sorted(truth.closed)})")


def run_bench(payments: int, open_items: int, advance: Callable[[int], None] | None = None,
              workdir: Path | None = None) -> dict[str, Any]:
    """Both matchers on copies of one seeded database; the figures of each and a few wrong matches."""
    world = build_world(payments, open_items)
    folder = Path(workdir or tempfile.mkdtemp(prefix="o2c-bench-cash-"))
    seeded = folder / "seeded.db"
    seeded.unlink(missing_ok=True)
    app = bootstrap(Settings(database_url=f"sqlite:///{seeded}"), clock=SimClock(datetime(2026, 9, 30, 8)),
                    agents=[])
    seed_database(app, world)
    app.close()
    results = {}
    for name, agent in (("baseline", BaselineAgent()), ("o2c", CashApplicationAgent())):
        copy = folder / f"{name}.db"
        shutil.copyfile(seeded, copy)
        results[name] = run_matcher(name, f"sqlite:///{copy}", world, agent, advance or (lambda n: None))
    report: dict[str, Any] = {k: r.figures(len(world.payments)) for k, r in results.items()}
    report["payments"], report["open_items"] = len(world.payments), len(world.receivables)
    report["o2c_wrong_examples"] = results["o2c"].wrong_examples
    report["o2c_manual_by_noise"] = results["o2c"].manual_by_noise
    report["ledger_problems"] = _problems(folder / "o2c.db")
    return report


def _problems(path: Path) -> list[str]:
    app = bootstrap(Settings(database_url=f"sqlite:///{path}"), agents=[], migrate_schema=False)
    try:
        with app.uow() as uow:
            return uow.ledger.problems()[:5]
    finally:
        app.close()
