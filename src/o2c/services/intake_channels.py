"""Order channels into one shape: a parsed EDI/CSV order or a customer's e-mail becomes an ``OrderRequest``.

The source reference kept for the audit trail and the duplicate guard:
- X12 850 / EDIFACT ORDERS: ``x12:<sender>:<interchange control>:<transaction set control>:<PO>``
  (``edifact:`` likewise), so the same interchange sent twice is the same order (the PO guards
  against senders that reuse control numbers for different orders);
- CSV upload: ``csv:<file hash>:<customer>:<PO>`` (re-importing a file is caught by its hash);
- e-mail / chat: ``email:<message id>``, or ``email:sha256:<hash of sender and text>`` without one.

E-mail text is read with the rule-based extractors of ``o2c.adapters.nlp.entities`` (quantities with
units, dates relative to the injected ``today``, PO numbers); each quantity's item words are matched
against product names with rapidfuzz, preferring the unit asked for and what the customer usually buys.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from o2c.adapters.formats.orders.model import ParsedOrder, ParsedOrderLine
from o2c.adapters.nlp.dates import find_dates
from o2c.adapters.nlp.entities import find_po_numbers, find_quantities
from o2c.domain.catalog import Product
from o2c.domain.customers import Customer
from o2c.domain.order_checks import OrderRequest, RequestedLine

PROMOTION_CODES = frozenset({"F800", "PAD", "PROMO"})
TEXT_UNITS = {"case": "CS", "crate": "CS", "keg": "KEG", "pallet": "PL", "bottle": "EA", "can": "EA",
              "unit": "EA", "kg": "KG", "l": "L"}
_PACK_FORMAT = re.compile(r"\b(\d+)x(\d+)")
_ITEM_END = re.compile(r"\b(?:to|for|on|by|before|deliver(?:ed|y)?|please|and|PO|thanks|thank)\b|[,.;\n]",
                       re.IGNORECASE)


def source_ref_of(order: ParsedOrder, file_sha: str) -> str:
    if order.source_format == "csv.orders":
        buyer = order.buyer.party_id if order.buyer else ""
        return f"csv:{file_sha[:16]}:{buyer}:{order.po_number}"
    family = order.source_format.split(".")[0]
    return (f"{family}:{order.sender_id}:{order.interchange_control_number}:"
            f"{order.transaction_set_control_number}:{order.po_number}")


def request_from_parsed(order: ParsedOrder, file_sha: str) -> OrderRequest:
    """A parsed order file's order as an intake request (buyer and ship-to by their sent ids)."""
    buyer = (order.buyer.party_id if order.buyer else None) or order.sender_id
    window = order.delivery_window.earliest if order.delivery_window else None
    channel = "csv" if order.source_format == "csv.orders" else "edi"
    return OrderRequest(channel, source_ref_of(order, file_sha), buyer,
                        order.ship_to.party_id if order.ship_to else None, order.po_number or None,
                        order.requested_delivery_date or window, tuple(_line(ln) for ln in order.lines),
                        order.sender_id, order.sender_qualifier)


def _line(line: ParsedOrderLine) -> RequestedLine:
    claims = [a.rate for a in line.allowances_charges
              if a.kind == "allowance" and a.rate is not None and
              ((a.code or "").upper() in PROMOTION_CODES or "promo" in (a.description or "").lower())]
    return RequestedLine(line.line_number, line.quantity, line.unit, line.vendor_item, line.gtin, line.buyer_item,
                         line.description, line.unit_price, claims[0] if claims else None)


@dataclass(frozen=True, slots=True)
class EmailOrder:
    """A customer's order message: who sent it, its id (if the mail system gave one) and its text."""

    sender: str
    text: str
    message_id: str | None = None

    @property
    def source_ref(self) -> str:
        message_id = (self.message_id or "").strip("<> ")
        if message_id and len(message_id) <= 80:
            return f"email:{message_id}"
        if message_id:
            return f"email:id-sha256:{hashlib.sha256(message_id.encode()).hexdigest()[:32]}"
        digest = hashlib.sha256(f"{self.sender.lower()}\n{' '.join(self.text.split())}".encode()).hexdigest()
        return f"email:sha256:{digest[:32]}"


def request_from_email(message: EmailOrder, today: date, customers: Iterable[Customer],
                       products: Iterable[Product], usual: dict[str, Decimal] | None = None) -> OrderRequest:
    """The order in an e-mail; an unknown sender leaves the buyer as the address (unknown customer)."""
    customer = customer_of_sender(message.sender, customers)
    dates = find_dates(message.text, today)
    pos = find_po_numbers(message.text)
    catalog = list(products)
    lines = tuple(_email_line(n, amount, unit, words, catalog, usual or {})
                  for n, (amount, unit, words) in enumerate(_mentions(message.text), start=1))
    return OrderRequest("email", message.source_ref, customer.id if customer else message.sender,
                        _ship_to_named(message.text, customer) if customer else None,
                        pos[0] if pos else None, dates[0].start if dates else None, lines)


def customer_of_sender(address: str, customers: Iterable[Customer]) -> Customer | None:
    """The customer whose e-mail address is ``address``, else one whose address has its domain."""
    wanted = address.strip().lower()
    domain = wanted.rpartition("@")[2]
    by_domain = None
    for customer in customers:
        email = (customer.email or "").lower()
        if email == wanted:
            return customer
        if domain and email.rpartition("@")[2] == domain:
            by_domain = customer
    return by_domain


def _mentions(text: str) -> list[tuple[Decimal, str, str]]:
    """(amount, unit, item words) for each quantity with a unit; a number inside an item's words
    (the "30l" of "Pilsner Lager 30l keg") is part of that item, not another quantity."""
    text = _PACK_FORMAT.sub("\\1\u00d7\\2", text)  # "10x25 bags" is a pack format, not 25 of item "10"
    found, cursor = [], 0
    for quantity in find_quantities(text):
        start = text.find(quantity.text, cursor)
        if start < 0:
            continue
        item_start = start + len(quantity.text) - len(quantity.item or "")
        words = _ITEM_END.split(text[item_start:], maxsplit=1)[0] if quantity.item else ""
        cursor = item_start + len(words) if words else start + len(quantity.text)
        words = re.sub(r"^(?:of|van|de|x)\s+", "", words.strip(), flags=re.IGNORECASE)
        found.append((quantity.amount, quantity.unit, (words or (quantity.item or "")).replace("\u00d7", "x")))
    return found


def _email_line(n: int, amount: Decimal, unit: str, words: str, catalog: list[Product],
                usual: dict[str, Decimal]) -> RequestedLine:
    wanted_unit = TEXT_UNITS.get(unit, "EA")
    product = best_product(words, wanted_unit, catalog, usual)
    return RequestedLine(str(n), amount, wanted_unit if wanted_unit != "EA" or not product else product.unit,
                         product.sku if product else None, description=words or None)


def best_product(words: str, unit: str, catalog: list[Product], usual: dict[str, Decimal]) -> Product | None:
    """The product ``words`` most likely name: fuzzy on the name, then the unit, then what is usual."""
    if not words:
        return None
    best, best_score = None, 0.0
    for product in catalog:
        score = 2 * fuzz.token_set_ratio(words, product.name, processor=default_process)
        score += fuzz.ratio(words, product.name, processor=default_process)
        score += 25 * (product.unit == unit) + 10 * (product.sku in usual)
        if score > best_score:
            best, best_score = product, score
    return best if best_score >= 200 else None


def _ship_to_named(text: str, customer: Customer) -> str | None:
    """The ship-to whose code, or a word only its name has (its city), the text mentions."""
    if len(customer.ship_tos) == 1:
        return customer.ship_tos[0].code
    named = next((s.code for s in customer.ship_tos if s.code.lower() in text.lower()), None)
    if named:
        return named
    said = {w.lower() for w in re.findall(r"[^\W\d_]{4,}", text)}
    names = {s.code: {w.lower() for w in re.findall(r"[^\W\d_]{4,}", s.name)} for s in customer.ship_tos}
    for code, words in names.items():
        own = words - set().union(*(other for key, other in names.items() if key != code))
        if any(w.startswith(n) or n.startswith(w) for w in said for n in own):
            return code
    return None
