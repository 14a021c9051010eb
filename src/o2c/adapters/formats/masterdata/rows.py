"""Each kind's rows as domain records: a customer, a ship-to, a product, a price, a promotion, payment
terms or an opening open item, or the row's problems (every one of them, with its column).

Checks that need only the file are made here (formats, check digits, required columns, duplicate
keys); checks against the books (does the customer exist, is the currency the customer's) are the
service's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from o2c.adapters.formats.masterdata.fields import RowProblem, RowReader
from o2c.adapters.formats.masterdata.layouts import LAYOUTS
from o2c.adapters.formats.masterdata.sheets import Sheet
from o2c.domain.catalog import Product, Promotion, Scope
from o2c.domain.customers import Address, Channel, Customer, PaymentTerms, Segment, ShipTo
from o2c.domain.money import Money
from o2c.domain.onboarding import NamedTerms, OpeningItem, PriceRecord, ShipToRecord
from o2c.domain.partners import TradingPartner, parse_sender

TAX_CATEGORIES = ("standard", "reduced", "zero", "exempt")
TERMS_TEXT = re.compile(
    r"(?:(?P<pct>\d+(?:\.\d+)?)\s*/\s*(?P<days>\d+)\s+)?net\s*(?P<net>\d+)", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class ParsedRow:
    row: int
    key: str
    record: Any
    values: dict[str, str]
    problems: tuple[RowProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFile:
    kind: str
    filename: str
    header: tuple[str, ...]
    rows: tuple[ParsedRow, ...]
    file_problems: tuple[RowProblem, ...] = ()

    @property
    def good(self) -> list[ParsedRow]:
        return [] if self.file_problems else [r for r in self.rows if not r.problems]

    @property
    def refused(self) -> list[ParsedRow]:
        return list(self.rows) if self.file_problems else [r for r in self.rows if r.problems]

    def problems(self) -> list[RowProblem]:
        return [*self.file_problems, *(p for r in self.rows for p in r.problems)]


@dataclass(frozen=True, slots=True)
class Context:
    """What a row may refer to without reading the books: the functional currency and known terms."""

    functional_currency: str
    terms: dict[str, PaymentTerms]


def terms_from_code(code: str, known: dict[str, PaymentTerms]) -> PaymentTerms | None:
    """Loaded terms by their code, else the code read as ``net 30`` or ``2/10 net 30``."""
    if code in known:
        return known[code]
    match = TERMS_TEXT.fullmatch(code.strip())
    if match is None:
        return None
    pct, days = match.group("pct"), match.group("days")
    return PaymentTerms(int(match.group("net")), int(days or 0), Decimal(pct or 0))


def _scope(r: RowReader) -> Scope:
    segments = []
    for value in r.listed("segments"):
        try:
            segments.append(Segment(value.lower()))
        except ValueError:
            r.problem("segments", f"{value!r} is not a segment ({', '.join(s.value for s in Segment)})")
    countries = tuple(v.upper() for v in r.listed("countries"))
    return Scope(tuple(segments), r.listed("customers"), countries)


def _customer(r: RowReader, ctx: Context) -> tuple[str, tuple[Customer, tuple[TradingPartner, ...]] | None]:
    number = r.text("customer_number", required=True, max_length=32) or ""
    name = r.text("name", required=True)
    country = r.country("country")
    currency = r.currency("currency")
    address = Address(
        r.text("street", required=True) or "",
        r.text("city", required=True) or "",
        r.text("postcode", required=True, max_length=20) or "",
        country or "",
        r.text("region"),
    )
    segment = Segment(r.choice("segment", tuple(s.value for s in Segment), "wholesaler"))
    channel = Channel(r.choice("preferred_channel", tuple(c.value for c in Channel), "email"))
    language = (r.text("language", max_length=5) or "en").lower()
    vat_id, gln = r.vat_id("vat_id", country), r.gs1("gln", lengths=(13,), what="GLN")
    ibans = r.ibans("bank_accounts")
    terms_code = r.text("payment_terms", max_length=40) or "net 30"
    terms = terms_from_code(terms_code, ctx.terms)
    if terms is None:
        r.problem(
            "payment_terms",
            f"{terms_code!r} is neither loaded payment terms nor like 'net 30' or '2/10 net 30'",
        )
    limit = r.decimal("credit_limit", minimum=Decimal(0)) or Decimal(0)
    requires_po, parent = r.flag("requires_po", False), r.text("parent_customer", max_length=32)
    partners = []
    for sender in r.listed("edi_senders"):
        partner = parse_sender(sender)
        if partner is None or len(partner.sender_id) > 64 or len(partner.qualifier) > 8:
            r.problem("edi_senders", f"{sender!r} is not QUALIFIER:ID or ID")
        else:
            partners.append(TradingPartner(partner.sender_id, number, partner.qualifier))
    if r.problems or not (name and country and currency and terms):
        return number, None
    customer = Customer(
        number,
        name,
        segment,
        country,
        currency,
        language,
        address,
        (),
        terms,
        Money(limit, currency).quantize(),
        channel,
        vat_id,
        gln,
        r.text("email"),
        ibans,
        parent,
        requires_po,
    )
    return number, (customer, tuple(partners))


def _ship_to(r: RowReader, ctx: Context) -> tuple[str, ShipToRecord | None]:
    customer = r.text("customer_number", required=True, max_length=32) or ""
    code = r.text("ship_to_id", required=True, max_length=32) or ""
    name = r.text("name", required=True)
    country = r.country("country")
    address = Address(
        r.text("street", required=True) or "",
        r.text("city", required=True) or "",
        r.text("postcode", required=True, max_length=20) or "",
        country or "",
        r.text("region"),
    )
    gln, blocked = r.gs1("gln", lengths=(13,), what="GLN"), r.flag("blocked", False)
    key = f"{customer} / {code}"
    if r.problems or not name:
        return key, None
    return key, ShipToRecord(customer, ShipTo(code, name, address, gln, blocked))


def _product(r: RowReader, ctx: Context) -> tuple[str, Product | None]:
    sku = r.text("sku", required=True, max_length=32) or ""
    gtin = r.gs1("gtin", lengths=(8, 12, 13, 14), what="GTIN") or ""
    name, category = r.text("name", required=True), r.text("category", required=True, max_length=64)
    pack, unit = r.text("pack", required=True), r.text("unit", required=True, max_length=8)
    per_pack = r.integer("units_per_pack", required=True, minimum=1)
    tax = r.choice("tax_category", TAX_CATEGORIES, "standard")
    substitutes, active = r.listed("substitutes"), r.flag("active", True)
    if r.problems or not (name and category and pack and unit and per_pack):
        return sku, None
    return sku, Product(sku, gtin, name, category, pack, unit.upper(), per_pack, tax, substitutes, active)


def _price(r: RowReader, ctx: Context) -> tuple[str, PriceRecord | None]:
    name = r.text("price_list", required=True, max_length=21) or ""
    currency, sku = r.currency("currency"), r.text("sku", required=True, max_length=32) or ""
    price = r.decimal("price", required=True, minimum=Decimal(0))
    valid_from, valid_to = r.day("valid_from", required=True), r.day("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        r.problem("valid_to", f"{valid_to} is before valid_from {valid_from}")
    scope = _scope(r)
    key = f"{name} / {sku} / {valid_from or '?'}"
    if r.problems or not (currency and price is not None and valid_from):
        return key, None
    return key, PriceRecord(name, currency, sku, price, valid_from, valid_to, scope)


def _promotion(r: RowReader, ctx: Context) -> tuple[str, Promotion | None]:
    promotion_id = r.text("promotion_id", required=True, max_length=32) or ""
    name, skus = r.text("name", required=True), r.listed("skus")
    if not skus:
        r.problem("skus", "is required and empty")
    percent = r.decimal("discount_percent", required=True, minimum=Decimal(0))
    if percent is not None and percent > 100:
        r.problem("discount_percent", f"{percent} is more than 100")
    valid_from, valid_to = r.day("valid_from", required=True), r.day("valid_to", required=True)
    if valid_from and valid_to and valid_to < valid_from:
        r.problem("valid_to", f"{valid_to} is before valid_from {valid_from}")
    minimum = r.decimal("min_quantity", minimum=Decimal(0)) or Decimal(0)
    scope = _scope(r)
    if r.problems or not (name and percent is not None and valid_from and valid_to):
        return promotion_id, None
    return promotion_id, Promotion(promotion_id, name, skus, percent, valid_from, valid_to, scope, minimum)


def _terms(r: RowReader, ctx: Context) -> tuple[str, NamedTerms | None]:
    code = r.text("code", required=True, max_length=40) or ""
    net = r.integer("net_days", required=True)
    days = r.integer("discount_days") or 0
    percent = r.decimal("discount_percent", minimum=Decimal(0)) or Decimal(0)
    if net is not None and days > net:
        r.problem("discount_days", f"{days} is after the net {net} days")
    if bool(days) != bool(percent):
        r.problem(
            "discount_percent" if days else "discount_days", "a discount needs both its days and its percent"
        )
    if r.problems or net is None:
        return code, None
    return code, NamedTerms(code, PaymentTerms(net, days, percent), r.text("description") or "")


def _open_item(r: RowReader, ctx: Context) -> tuple[str, OpeningItem | None]:
    number = r.text("invoice_number", required=True, max_length=64) or ""
    customer = r.text("customer_number", required=True, max_length=32)
    invoice_date, due = r.day("invoice_date", required=True), r.day("due_date", required=True)
    if invoice_date and due and due < invoice_date:
        r.problem("due_date", f"{due} is before the invoice date {invoice_date}")
    currency = r.currency("currency")
    open_amount = r.money("open_amount", currency, required=True)
    original = r.money("original_amount", currency) or open_amount
    if open_amount and original and open_amount > original:
        r.problem("open_amount", f"{open_amount} is more than the original {original}")
    if open_amount is not None and open_amount.is_zero():
        r.problem("open_amount", "is zero: a settled invoice is not an open item")
    kind = r.choice("kind", ("invoice", "credit_note"), "invoice")
    functional = r.money("functional_amount", ctx.functional_currency)
    if (
        currency
        and currency != ctx.functional_currency
        and functional is None
        and "functional_amount" not in {p.column for p in r.problems}
    ):
        r.problem(
            "functional_amount",
            f"is required for a {currency} item: its open amount in {ctx.functional_currency}",
        )
    if currency == ctx.functional_currency:
        functional = open_amount
    if r.problems or not (customer and invoice_date and due and open_amount and original and functional):
        return number, None
    return number, OpeningItem(number, customer, kind, original, open_amount, functional, invoice_date, due)


READERS: dict[str, Callable[[RowReader, Context], tuple[str, Any]]] = {
    "customers": _customer,
    "ship-tos": _ship_to,
    "products": _product,
    "prices": _price,
    "promotions": _promotion,
    "open-items": _open_item,
    "payment-terms": _terms,
}


def parse_file(kind: str, sheet: Sheet, ctx: Context) -> ParsedFile:
    """Every row of ``sheet`` read as ``kind``, with the file's and each row's problems."""
    columns = LAYOUTS[kind]
    known = {c.name for c in columns}
    file_problems = [
        RowProblem(1, c.name, "required column is missing")
        for c in columns
        if c.required and c.name not in sheet.header
    ]
    file_problems += [
        RowProblem(1, h or "(blank)", f"unknown column (the {kind} layout has: {', '.join(sorted(known))})")
        for h in sheet.header
        if h not in known
    ]
    rows: list[ParsedRow] = []
    first_seen: dict[str, int] = {}
    for number, values in sheet.rows:
        reader = RowReader(number, values)
        key, record = READERS[kind](reader, ctx)
        if key in first_seen:
            reader.problem(columns[0].name, f"duplicate key {key!r} (also on row {first_seen[key]})")
            record = None
        first_seen.setdefault(key, number)
        rows.append(ParsedRow(number, key, record, values, tuple(reader.problems)))
    return ParsedFile(kind, sheet.filename, sheet.header, tuple(rows), tuple(file_problems))
