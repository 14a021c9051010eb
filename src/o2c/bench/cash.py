"""``o2c bench cash``: o2c's cash application against a well-configured ERP's rules, on the same payments.

A seeded world of customers (some paying for subsidiaries, some with 2/10 net 30 terms, names with
accents) and open invoices is written to a database (SQLite, or PostgreSQL with ``--db``). Payments
are drawn from a noise profile (``cash_noise``: YAML, validated, shipped profiles ``default``,
``harsh`` and ``lumpy``) with ground truth. The generator reads only the profile; the matchers read
only the payment and the ledger. Both matchers run on their own copy of the database as agents in
the production pipeline: payments are recorded as a bank import records them, the dispatcher hands
them to the agent in batches, and its proposals go through the same policy gate (amount caps
included), the handler, the ledger and the audit log. The time counted is all of that; building the
world and scoring are not.

Scoring, per payment: *manual* (left for a person), *correct* (the right invoices with the right
cash, the right ones left open), *residual* (the right invoices, but the difference treated otherwise
than the truth: a short pay written off as charges, a late discount honoured), *wrong* (any other
invoice, or a payment sent twice applied to invoices). A parent paying for its subsidiary's invoices
is right when the invoices are right. Money misapplied: cash put on invoices the payment was not for,
plus credit left on the wrong customer, as a share of all money received (in EUR).
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, select, text, update
from sqlalchemy.engine import make_url

from o2c.adapters.store import tables as t
from o2c.agents.base import Agent, AgentDeps, Proposal
from o2c.agents.cash_application import CashApplicationAgent, LedgerBook, apply_command
from o2c.bench.cash_noise import NoiseProfile, load_profile
from o2c.bootstrap import App, bootstrap
from o2c.config import Settings, normalise_database_url
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.codec import decode
from o2c.domain.customers import Address, Customer, PaymentTerms, Segment, ShipTo
from o2c.domain.ledger import OpenItem, Side
from o2c.domain.matching import Allocation, IncomingPayment, Match, Receivable
from o2c.domain.money import Money
from o2c.domain.remittance import PayerDirectory
from o2c.services.clock import SimClock
from o2c.services.proposals import run_command

TODAY = date(2026, 9, 30)
RATES = {"EUR": Decimal(1), "GBP": Decimal("0.86"), "USD": Decimal("1.09")}
WORDS = ("Alpha", "Bakker", "Central", "Delta", "Euro", "Fresh", "Golden", "Harbour", "Iris", "Jansen",
         "Kroon", "Lotus", "Mosa", "Noord", "Oranje", "Polder", "Quint", "Rivier", "Stern", "Tulp", "Unie",
         "Vries", "West", "Zuid", "Atlas", "Brouwer", "Castle", "Dijk", "Elm", "Falcon", "Müller", "Gärtner",
         "Fröhlich", "Åberg", "Çelik", "Señorío", "Øster", "Straße", "Château", "Łódź")
KINDS = ("Foods", "Drinks", "Markets", "Wholesale", "Retail", "Horeca", "Trading", "Group", "Supplies",
         "Getränke", "Épicerie", "Bières")
LEGAL = ("B.V.", "GmbH", "Ltd", "S.A.", "N.V.", "SARL", "Inc.", "GmbH & Co. KG", "S.à r.l.")
PROVIDERS = ("ADYEN NV", "STRIPE PAYMENTS", "PAYPAL EUROPE", "MOLLIE BV")
REASONS = ("LESS DAMAGED GOODS", "SHORT DELIVERY 2 CS", "PRICE DIFFERENCE", "PROMO ALLOWANCE", "RETURNED ITEMS",
           "DEDUCTION PER CLAIM")
CENT = Decimal("0.01")
# what banks do to names on statements: Latin letters only (EPC's SEPA character set), umlauts spelt out
_SPELT = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Ø": "OE", "Å": "AA", "Ł": "L", "Æ": "AE"}


@dataclass(frozen=True, slots=True)
class Truth:
    """What the payment is really for: ``cash`` per invoice, the ones it ``closed``, and the payer."""

    customer_id: str
    cash: dict[str, Decimal]
    closed: frozenset[str]
    noise: str
    fx: bool = False
    duplicate: bool = False


@dataclass
class Result:
    name: str
    auto: int = 0
    wrong: int = 0
    residual: int = 0
    manual: int = 0
    money: Decimal = Decimal(0)
    misapplied: Decimal = Decimal(0)
    seconds: float = 0.0
    wrong_examples: list[str] = field(default_factory=list)
    manual_by_noise: dict[str, int] = field(default_factory=dict)
    wrong_by_noise: dict[str, int] = field(default_factory=dict)

    def figures(self, total: int) -> dict[str, float]:
        return {"auto_rate": round(self.auto / total, 4), "wrong_rate": round(self.wrong / total, 4),
                "residual_rate": round(self.residual / total, 4), "manual_rate": round(self.manual / total, 4),
                "money_misapplied_share": float(round(self.misapplied / self.money, 6)) if self.money else 0.0,
                "payments_per_second": round(total / self.seconds, 1) if self.seconds else 0.0}


# --- the world ---------------------------------------------------------------------------------------
@dataclass
class World:
    customers: list[Customer]
    receivables: list[Receivable]
    payments: list[tuple[IncomingPayment, Truth]]


def _segment(n: int) -> Segment:
    return Segment.RETAIL_CHAIN if n % 10 == 0 else (Segment.HORECA if n % 10 in (3, 6, 9) else Segment.WHOLESALER)


def _customers(rng: random.Random, count: int) -> list[Customer]:
    found: list[Customer] = []
    for n in range(count):
        cid = f"C{n + 1:05d}"
        ccy = "EUR" if n % 20 < 17 else ("GBP" if n % 20 < 19 else "USD")
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(KINDS)} {rng.choice(LEGAL)}"
        parent = found[n - 1 - n % 4].id if n % 25 in (1, 2, 3) and n > 4 else None
        terms = PaymentTerms(30, 10, Decimal(2)) if n % 3 == 0 else PaymentTerms(30)
        address = Address("Main Street 1", "Utrecht", "3511", "NL")
        found.append(Customer(cid, name, _segment(n), "NL", ccy, "en", address,
                              (ShipTo(f"{cid}-S1", name, address),), terms, Money.of(10**7, ccy),
                              bank_accounts=(f"NL{10 + n % 89}BANK{n:010d}",), parent_id=parent))
    return found


def _invoice_amount(rng: random.Random, segment: Segment) -> Decimal:
    """B2B invoice values are log-normal: median about EUR 1,500, chains larger, bars smaller."""
    scale = {Segment.RETAIL_CHAIN: 3.0, Segment.HORECA: 0.3}.get(segment, 1.0)
    value = min(max(rng.lognormvariate(7.3, 1.1) * scale, 20.0), 400_000.0)
    return Decimal(str(value)).quantize(CENT)


def _receivables(rng: random.Random, customers: list[Customer], count: int) -> list[Receivable]:
    found = []
    for n in range(count):
        customer = customers[rng.randrange(len(customers))]
        ccy = customer.currency
        amount = Money(_invoice_amount(rng, customer.segment), ccy)
        issued = TODAY - timedelta(days=rng.randint(1, 80))
        document = f"INV-{2025 + (n % 2)}-{n // 2 + 1:06d}"
        item = OpenItem(f"OI{n + 1:07d}", customer.id, document, "invoice", Side.DEBIT, amount, amount,
                        amount.convert(Decimal(1) / RATES[ccy], "EUR"), issued, issued + timedelta(days=30))
        discount_until = issued + timedelta(days=10) if customer.terms.discount_days else None
        found.append(Receivable(item, issued, f"SO-{n + 1:06d}", f"PO{7_000_000 + n}",
                                customer.terms.discount_percent, discount_until))
    return found


def build_world(payments: int, open_items: int, profile: NoiseProfile | None = None) -> World:
    profile = profile or load_profile()
    rng = random.Random(profile.seed)
    customers = _customers(rng, max(50, open_items // 100))
    receivables = _receivables(rng, customers, open_items)
    return World(customers, receivables, PaymentMaker(rng, profile, customers, receivables).make(payments))


# --- payments with ground truth, drawn from the profile ---------------------------------------------
class PaymentMaker:
    """Draws payments as payers and banks make them, each with the truth of what it pays."""

    def __init__(self, rng: random.Random, profile: NoiseProfile, customers: list[Customer],
                 receivables: list[Receivable]) -> None:
        self.rng, self.p = rng, profile
        self.customers = {cu.id: cu for cu in customers}
        self.ids = [cu.id for cu in customers]
        self.parents = sorted({cu.parent_id for cu in customers if cu.parent_id})
        self.children: dict[str, list[str]] = {}
        for cu in customers:
            if cu.parent_id:
                self.children.setdefault(cu.parent_id, []).append(cu.id)
        self.by_customer: dict[str, list[Receivable]] = {}
        for r in receivables:
            self.by_customer.setdefault(r.item.customer_id, []).append(r)
        self.used: set[str] = set()
        self.fixed_fee: dict[str, Decimal | None] = {}

    def make(self, wanted: int) -> list[tuple[IncomingPayment, Truth]]:
        found: list[tuple[IncomingPayment, Truth]] = []
        tries = 0
        while len(found) < wanted and tries < wanted * 20:
            tries += 1
            made = self._one(len(found))
            if made is None:
                continue
            found.append(made)
            if self.rng.random() < self.p.duplicate_remittances and len(found) < wanted:
                first, truth = made
                again = IncomingPayment(f"B{len(found):06d}", first.received_on, first.amount, first.payer_name,
                                        first.payer_account, first.reference)
                found.append((again, Truth(truth.customer_id, {}, frozenset(), "duplicate", duplicate=True)))
        return found

    def _one(self, n: int) -> tuple[IncomingPayment, Truth] | None:
        rng, p = self.rng, self.p
        if self.parents and rng.random() < p.parents_paying:
            payer = self.customers[rng.choice(self.parents)]
            owner = self.customers[rng.choice(self.children[payer.id])]
            labels = ["parent_pays"]
        else:
            payer = owner = self.customers[rng.choice(self.ids)]
            labels = []
        pool = [r for r in self.by_customer.get(owner.id, []) if r.item.id not in self.used]
        if not pool:
            return None
        several = rng.random() < p.several_invoices.share
        count = rng.randint(p.several_invoices.count.low, p.several_invoices.count.high) if several else 1
        chosen = rng.sample(pool, min(max(count, 1), len(pool)))
        if several and len(chosen) > 1:
            labels.append("several")
        self.used.update(r.item.id for r in chosen)
        return self._describe(n, payer, chosen, labels)

    def _describe(self, n: int, payer: Customer, chosen: list[Receivable],
                  labels: list[str]) -> tuple[IncomingPayment, Truth]:
        rng, p = self.rng, self.p
        ccy = chosen[0].item.original.currency
        total = sum((r.item.open.amount for r in chosen), Decimal(0))
        cash = {r.document: r.item.open.amount for r in chosen}
        closed = {r.document for r in chosen}
        day, amount, reason = TODAY, Money(total, ccy), ""
        fx = ccy != "EUR" and rng.random() < p.fx.share
        roll = rng.random()
        shares = (p.bank_charges.share, p.short_pays.share, p.partials.share, p.overpayments.share)
        bounds = [sum(shares[:i + 1]) for i in range(len(shares))]
        terms = all(r.discount_until for r in chosen)
        if terms and rng.random() < p.discounts.share and (made := self._discount(chosen, cash, closed)):
            day, label = made
            labels.append(label)
        elif roll < bounds[0] and not fx:
            fee = self._fee(payer.id)
            if fee * 2 < total:
                last = chosen[-1].document
                cash[last] -= fee
                labels.append("bank_charges")
        elif roll < bounds[1]:
            short = (total * Decimal(str(rng.uniform(p.short_pays.size.low, p.short_pays.size.high)))).quantize(CENT)
            victim = rng.choice(chosen).document
            if Decimal(0) < short < cash[victim]:
                cash[victim] -= short
                closed.discard(victim)
                labels.append("short_pay")
                if rng.random() < p.short_pays.with_reason:
                    reason = rng.choice(REASONS)
                    labels.append("with_reason")
        elif roll < bounds[2] and len(chosen) == 1:
            paid = (total * Decimal(str(rng.uniform(p.partials.size.low, p.partials.size.high)))).quantize(CENT)
            if Decimal(0) < paid < total:
                cash[chosen[0].document] = paid
                closed = set()
                labels.append("partial")
        elif roll < bounds[3]:
            extra = max((total * Decimal(str(rng.uniform(p.overpayments.size.low, p.overpayments.size.high))))
                        .quantize(CENT), CENT)
            amount = Money(total + extra, ccy)
            labels.append("overpaid")
        if "overpaid" not in labels:
            amount = Money(sum(cash.values(), Decimal(0)), ccy)
        if fx:
            move = Decimal(str(rng.uniform(p.fx.move.low, p.fx.move.high) * rng.choice((-1, 1))))
            amount = Money((amount.amount / RATES[ccy] * (1 + move)).quantize(CENT), "EUR")
            labels.append("fx")
        reference, ref_label = self._reference(payer, chosen)
        labels.append(ref_label)
        if reason:
            reference = f"{reference} {reason}".strip()
        name, account, shown = self._payer_shown(payer)
        labels += shown
        payment = IncomingPayment(f"B{n:06d}", day, amount, name, account, reference)
        return payment, Truth(payer.id, cash, frozenset(closed), "/".join(labels), fx=fx)

    def _discount(self, chosen: list[Receivable], cash: dict[str, Decimal],
                  closed: set[str]) -> tuple[date, str] | None:
        rng, p = self.rng, self.p
        until = min(r.discount_until for r in chosen if r.discount_until)
        if until < max(r.issue_date for r in chosen):
            return None
        late = rng.random() < p.discounts.late_share
        day = until + timedelta(days=rng.randint(p.discounts.late_days.low, p.discounts.late_days.high)) \
            if late else until - timedelta(days=rng.randint(0, 3))
        day = max(day, max(r.issue_date for r in chosen))
        for r in chosen:
            cash[r.document] -= (r.item.original * r.discount_percent / 100).quantize().amount
            if late:  # an unearned discount: the invoice stays open for the difference
                closed.discard(r.document)
        return day, "late_discount" if late else "discount"

    def _fee(self, payer_id: str) -> Decimal:
        rng, charges = self.rng, self.p.bank_charges
        if payer_id in self.fixed_fee and self.fixed_fee[payer_id] is not None:
            return self.fixed_fee[payer_id]  # type: ignore[return-value]
        fee = Decimal(str(rng.uniform(charges.amount.low, charges.amount.high)))
        fee = fee.quantize(CENT) if charges.any_cents else (fee * 2).quantize(Decimal(1), ROUND_HALF_UP) / 2
        fee = max(fee, CENT)
        if payer_id not in self.fixed_fee:
            self.fixed_fee[payer_id] = fee if rng.random() < charges.same_each_time else None
        return fee

    def _reference(self, payer: Customer, chosen: list[Receivable]) -> tuple[str, str]:
        rng, r = self.rng, self.p.references
        docs = [x.document for x in chosen]
        roll = rng.random()
        kinds = (("missing", r.missing), ("customer_number_only", r.customer_number_only), ("po_only", r.po_only),
                 ("order_only", r.order_only), ("sequence_only", r.sequence_only),
                 ("prefix_dropped", r.prefix_dropped))
        kind = "full"
        for name, share in kinds:
            if roll < share:
                kind = name
                break
            roll -= share
        if kind == "missing":
            return rng.choice(("PAYMENT", "SETTLEMENT SEPTEMBER", "THANK YOU", "")), kind
        if kind == "customer_number_only":
            return f"CUST {payer.id} PAYMENT {TODAY:%d.%m.%Y}", kind
        if kind == "po_only":
            return "P.O. " + " ".join(str(x.po_number).removeprefix("PO") for x in chosen), kind
        if kind == "order_only":
            return "ORDER " + " ".join(str(x.order_id) for x in chosen), kind
        typo = [rng.random() < self.p.typos.share for _ in docs]
        shown = [self._typo(d) if bad else d for d, bad in zip(docs, typo, strict=True)]
        label = kind + ("/typo" if any(typo) else "")
        if kind == "sequence_only":
            return "Rechnung " + " ".join(d[-6:] for d in shown), label
        if kind == "prefix_dropped":
            joined = rng.random() < 0.5
            return "INV " + ", ".join(d.split("-", 1)[1].replace("-", "" if joined else "-") for d in shown), label
        return " ".join(shown), label

    def _typo(self, document: str) -> str:
        """1 to ``max_edits`` edits to the digits: swaps of neighbours, or a digit mistyped, dropped or added."""
        while (typed := self._edited(document)) == document:
            pass
        return typed

    def _edited(self, document: str) -> str:
        rng, typos = self.rng, self.p.typos
        prefix, digits = document[:4], list(document[4:].replace("-", ""))
        for _ in range(rng.randint(1, typos.max_edits)):
            at = rng.randrange(len(digits) - 1)
            if rng.random() < typos.transposition_share and digits[at] != digits[at + 1]:
                digits[at], digits[at + 1] = digits[at + 1], digits[at]
                continue
            action = rng.choice(("mistype", "drop", "add"))
            if action == "mistype":
                digits[at] = rng.choice([d for d in "0123456789" if d != digits[at]])
            elif action == "drop" and len(digits) > 8:
                del digits[at]
            else:
                digits.insert(at, rng.choice("0123456789"))
        joined = "".join(digits)
        return f"{prefix}{joined[:4]}-{joined[4:]}"

    def _payer_shown(self, payer: Customer) -> tuple[str, str | None, list[str]]:
        rng, names = self.rng, self.p.payer_names
        if rng.random() < names.provider_share:
            return rng.choice(PROVIDERS), f"NL99PROV{rng.randint(10**9, 10**10 - 1)}", ["provider"]
        labels = []
        account: str | None = payer.bank_accounts[0]
        if rng.random() < names.new_account_share:
            account = f"DE{rng.randint(10, 99)}NEW{rng.randint(10**9, 10**10 - 1)}"
            labels.append("new_account")
        name = payer.name
        if rng.random() < names.transliterate_share:
            name = transliterate(name)
            labels.append("transliterated")
        if rng.random() < names.truncate_share:
            name = name[:rng.randint(names.truncate_to.low, names.truncate_to.high)].rstrip()
            labels.append("truncated")
        return name, account, labels


def transliterate(name: str) -> str:
    """A name as a bank restricted to Latin letters prints it: upper case, Ü as UE, accents dropped."""
    upper = "".join(_SPELT.get(ch, ch) for ch in name.upper())
    return unicodedata.normalize("NFKD", upper).encode("ascii", "ignore").decode()


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
BASELINE_TOLERANCE = {"EUR": Decimal(25), "GBP": Decimal(20), "USD": Decimal(30)}
BASELINE_FX_TOLERANCE = Decimal("0.02")
_NOT_DIGITS = str.maketrans({ch: "" for ch in map(chr, range(128)) if not ch.isdigit() and not ch.isspace()})


class BaselineAgent:
    """A well-configured ERP's bank reconciliation, as Odoo 17 documents its reconciliation models
    (ERPNext's bank reconciliation rules do the same):

    - **partner from the statement line**: the bank account (IBAN) registered on a partner, else a
      partner whose name equals or contains the payer name shown (case-insensitive, Odoo's ``ilike``);
    - **invoice matching rule**, *match invoice reference*: the digits of each word of the label equal
      the digits of an open invoice's number or of its customer reference (the PO); only the partner's
      own invoices when the partner is known ("match only the partner's invoices"); an unknown partner
      is taken from the invoices found when they all belong to one;
    - **amount**: the invoices' total exactly; or less the **early-payment (cash) discount** when paid
      by the discount date; or short by at most the **payment tolerance** (a fixed amount: EUR 25,
      GBP 20, USD 30), the difference **written off to bank charges**; a line in another currency at
      the day's rate within 2 % (the **exchange difference** posted);
    - without a reference, the partner's one open invoice of exactly the amount (or the amount plus
      its cash discount);
    - anything else (partial, short beyond tolerance, overpaid, ambiguous) is left for a person.
    Reads the ledger like the real agent and proposes through the same policy gate.
    """

    name = "cash_application"
    subscribes = frozenset({"PaymentReceived"})

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        if not isinstance(event, e.PaymentReceived):
            return []
        payment = deps.uow.payments.get(event.payment_id)
        if payment is None:
            return []
        partners = deps.scratch.get("partners")
        if partners is None:
            partners = deps.scratch["partners"] = _Partners(deps.uow.customers.all())
        book = LedgerBook(deps.uow, deps.scratch.setdefault("directory", PayerDirectory([])))
        partner = partners.of(payment.payer_name, payment.payer_account)
        found = _by_label(payment.reference, book)
        if partner is not None:
            found = [r for r in found if r.item.customer_id == partner]
        elif found and len({r.item.customer_id for r in found}) == 1:
            partner = found[0].item.customer_id
        match = None
        if found:
            match = _baseline_amount(payment.amount, payment.received_on, found, book, partners.terms)
        elif partner is not None:
            match = _baseline_unreferenced(payment.amount, payment.received_on, book.open_of([partner]),
                                           partners.terms)
        if match is None:
            return []
        return [Proposal(self.name, "apply_payment", apply_command(payment.id, match), f"payment:{payment.id}",
                         "ERP reconciliation rule", {}, 1.0, payment.amount, partners.segment.get(match.customer_id))]


class _Partners:
    def __init__(self, customers: list[Customer]) -> None:
        self.by_account = {a.replace(" ", "").upper(): cu.id for cu in customers for a in cu.bank_accounts}
        self.names = [(cu.name.upper(), cu.id) for cu in customers]
        self.segment = {cu.id: str(cu.segment) for cu in customers}
        self.terms = {cu.id: cu.terms for cu in customers}

    def of(self, name: str | None, account: str | None) -> str | None:
        key = (account or "").replace(" ", "").upper()
        if key in self.by_account:
            return self.by_account[key]
        shown = (name or "").strip().upper()
        if len(shown) < 3:
            return None
        equal = [cid for full, cid in self.names if full == shown]
        if len(equal) == 1:
            return equal[0]
        within = [cid for full, cid in self.names if shown in full]
        return within[0] if len(within) == 1 else None


def _by_label(label: str, book: LedgerBook) -> list[Receivable]:
    """Open invoices whose number's digits, or whose customer reference's (PO), equal a word's digits."""
    found: dict[str, Receivable] = {}
    for word in label.translate(_NOT_DIGITS).split():
        hits = book.by_key("full", word) if len(word) == 10 else []
        hits += book.by_key("po", f"PO{word}") if 4 <= len(word) <= 10 else []
        for r in hits:
            found[r.item.id] = r
    return sorted(found.values(), key=lambda r: (r.item.due_date, r.document))


def _cash_discount(r: Receivable, day: date, terms: dict[str, PaymentTerms]) -> Money | None:
    own = terms.get(r.item.customer_id)
    if own is None or not own.discount_days or r.item.open != r.item.original:
        return None
    if day > r.issue_date + timedelta(days=own.discount_days):
        return None
    return (r.item.original * own.discount_percent / 100).quantize()


def _baseline_amount(amount: Money, day: date, found: list[Receivable], book: LedgerBook,
                     terms: dict[str, PaymentTerms]) -> Match | None:
    ccy = found[0].item.original.currency
    if any(r.item.original.currency != ccy for r in found):
        return None
    total = sum((r.item.open for r in found), Money.zero(ccy))
    customer = found[0].item.customer_id
    if amount.currency != ccy:
        value = book.value_in(amount, ccy, day)
        if value is None or abs(value.amount - total.amount) > total.amount * BASELINE_FX_TOLERANCE:
            return None
        return Match(customer, tuple(_whole(r) for r in found), Money.zero(ccy), 1.0, ("ERP",), received_as=total)
    if amount == total:
        return Match(customer, tuple(_whole(r) for r in found), Money.zero(ccy), 1.0, ("ERP",))
    discounts = [_cash_discount(r, day, terms) for r in found]
    if any(discounts) and amount == total - sum((d for d in discounts if d), Money.zero(ccy)):
        return Match(customer, tuple(Allocation(r.document, r.item.id, r.item.customer_id, r.item.open - d, discount=d)
                                     if d else _whole(r) for r, d in zip(found, discounts, strict=True)),
                     Money.zero(ccy), 1.0, ("ERP",))
    gap = total - amount
    if Decimal(0) < gap.amount <= BASELINE_TOLERANCE.get(ccy, Decimal(0)):
        parts = [_whole(r) for r in found]
        last = parts[-1]
        parts[-1] = Allocation(last.document, last.item_id, last.customer_id, last.cash - gap, charges=gap)
        if parts[-1].cash.amount > 0:
            return Match(customer, tuple(parts), Money.zero(ccy), 1.0, ("ERP",))
    return None


def _baseline_unreferenced(amount: Money, day: date, items: list[Receivable],
                           terms: dict[str, PaymentTerms]) -> Match | None:
    exact = [r for r in items if r.item.open == amount]
    if len(exact) == 1:
        return Match(exact[0].item.customer_id, (_whole(exact[0]),), Money.zero(amount.currency), 1.0, ("ERP",))
    discounted = [(r, d) for r in items if (d := _cash_discount(r, day, terms)) and r.item.open - d == amount]
    if len(discounted) == 1 and not exact:
        r, d = discounted[0]
        return Match(r.item.customer_id, (Allocation(r.document, r.item.id, r.item.customer_id, r.item.open - d,
                                                     discount=d),), Money.zero(amount.currency), 1.0, ("ERP",))
    return None


def _whole(r: Receivable) -> Allocation:
    return Allocation(r.document, r.item.id, r.item.customer_id, r.item.open)


# --- scoring ------------------------------------------------------------------------------------------
def judge(command: c.ApplyPayment | None, truth: Truth, still_open: set[str]) -> tuple[str, Decimal]:
    """'manual', 'correct', 'residual' or 'wrong', and the money (in the payment's currency) misapplied:
    cash on invoices the payment was not for, or credit left on a customer who did not pay."""
    if command is None:
        return "manual", Decimal(0)
    cash = {d: a.amount for d, a in zip(command.documents, command.amounts, strict=True) if a.amount}
    stray = sum((v for d, v in cash.items() if d not in truth.cash), Decimal(0))
    if set(cash) != set(truth.cash):
        return "wrong", stray if cash else command_total(command)
    if not cash and command.customer_id != truth.customer_id:
        return "wrong", command_total(command)
    if truth.fx:
        return ("correct" if {d for d in cash if d in still_open} == set(truth.cash) - truth.closed
                else "residual"), Decimal(0)
    left_open = {d for d in cash if d in still_open}
    if cash == truth.cash and left_open == set(truth.cash) - truth.closed:
        return "correct", Decimal(0)
    return "residual", Decimal(0)


def command_total(command: c.ApplyPayment) -> Decimal:
    return sum((a.amount for a in command.amounts), Decimal(0))


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
        verdict, stray = judge(command, truth, still_open)
        rate = RATES[payment.amount.currency]
        result.money += payment.amount.amount / rate
        if verdict == "manual":
            result.manual += 1
            result.manual_by_noise[truth.noise] = result.manual_by_noise.get(truth.noise, 0) + 1
            continue
        result.auto += 1
        if verdict == "residual":
            result.residual += 1
        elif verdict == "wrong":
            result.wrong += 1
            result.misapplied += stray / RATES[command.amounts[0].currency if command and command.amounts
                                               else payment.amount.currency]
            result.wrong_by_noise[truth.noise] = result.wrong_by_noise.get(truth.noise, 0) + 1
            if len(result.wrong_examples) < 12 and command is not None:
                result.wrong_examples.append(
                    f"{truth.noise}: {payment.reference!r} {payment.amount} from {payment.payer_name!r} -> "
                    f"{command.customer_id} {list(zip(command.documents, map(str, command.amounts), strict=True))} "
                    f"(truth {truth.customer_id} {truth.cash} closed {sorted(truth.closed)})")


# --- the databases: SQLite files, or PostgreSQL databases made from a seeded template ----------------
@contextmanager
def _databases(db_url: str | None, folder: Path, world: World) -> Iterator[dict[str, str]]:
    """A seeded database per matcher; PostgreSQL ones are created beside ``db_url`` and dropped after."""
    names = ("baseline", "o2c")
    if db_url is None or normalise_database_url(db_url).startswith("sqlite"):
        seeded = folder / "seeded.db"
        seeded.unlink(missing_ok=True)
        _seed(f"sqlite:///{seeded}", world)
        urls = {}
        for name in names:
            shutil.copyfile(seeded, folder / f"{name}.db")
            urls[name] = f"sqlite:///{folder / f'{name}.db'}"
        yield urls
        return
    server = make_url(normalise_database_url(db_url))
    stem = f"o2c_bench_cash_{int(time.time())}_{random.randrange(10**6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    made: list[str] = []
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{stem}_seed"'))
        made.append(f"{stem}_seed")
        _seed(server.set(database=f"{stem}_seed").render_as_string(hide_password=False), world)
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{stem}_{name}" TEMPLATE "{stem}_seed"'))
                made.append(f"{stem}_{name}")
        yield {name: server.set(database=f"{stem}_{name}").render_as_string(hide_password=False) for name in names}
    finally:
        with admin.connect() as conn:
            for db in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def _seed(url: str, world: World) -> None:
    app = bootstrap(Settings(database_url=url), clock=SimClock(datetime(2026, 9, 30, 8)), agents=[])
    try:
        seed_database(app, world)
    finally:
        app.close()


def run_bench(payments: int, open_items: int, advance: Callable[[int], None] | None = None,
              workdir: Path | None = None, profile: NoiseProfile | None = None,
              db_url: str | None = None) -> dict[str, Any]:
    """Both matchers on copies of one seeded database; the figures of each and a few wrong matches."""
    profile = profile or load_profile()
    world = build_world(payments, open_items, profile)
    folder = Path(workdir or tempfile.mkdtemp(prefix="o2c-bench-cash-"))
    results: dict[str, Result] = {}
    problems: list[str] = []
    with _databases(db_url, folder, world) as urls:
        for name, agent in (("baseline", BaselineAgent()), ("o2c", CashApplicationAgent())):
            results[name] = run_matcher(name, urls[name], world, agent, advance or (lambda n: None))
        problems = _problems(urls["o2c"])
    report: dict[str, Any] = {k: r.figures(len(world.payments)) for k, r in results.items()}
    report["profile"], report["database"] = profile.name, "sqlite" if db_url is None else make_url(
        normalise_database_url(db_url)).get_backend_name()
    report["payments"], report["open_items"] = len(world.payments), len(world.receivables)
    report["o2c_wrong_examples"] = results["o2c"].wrong_examples
    report["o2c_wrong_by_noise"] = results["o2c"].wrong_by_noise
    report["o2c_manual_by_noise"] = dict(sorted(results["o2c"].manual_by_noise.items(), key=lambda kv: -kv[1])[:15])
    report["o2c_manual_by_label"] = _by_label_count(results["o2c"].manual_by_noise)
    report["baseline_manual_by_label"] = _by_label_count(results["baseline"].manual_by_noise)
    report["baseline_wrong_by_noise"] = results["baseline"].wrong_by_noise
    report["ledger_problems"] = problems
    return report


def _by_label_count(by_noise: dict[str, int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for noise, n in by_noise.items():
        for label in noise.split("/"):
            counts[label] = counts.get(label, 0) + n
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def _problems(url: str) -> list[str]:
    app = bootstrap(Settings(database_url=url), agents=[], migrate_schema=False)
    try:
        with app.uow() as uow:
            return uow.ledger.problems()[:5]
    finally:
        app.close()
