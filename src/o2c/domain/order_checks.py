"""Order intake checks: everything wrong with an incoming order, found at once, each with a reason code.

An ``OrderRequest`` is an order as the customer sent it, whatever the channel: the buyer and ship-to
as they named them (our codes or their GLNs), items as SKU, GTIN or the customer's own item code,
quantities in the unit they used, the price they expect and any promotion they claim.
``check_order`` resolves it against an ``IntakeReference`` (master data, order history, stock and
today's date, all plain values) and returns a ``CheckedOrder``: the resolved customer, ship-to and
lines, the price each line should carry, and the list of ``Problem`` s.

Invariants:
- pure: no I/O, no clock; the same request and reference give the same answer;
- every problem is reported, never only the first; one root cause gives one reason code (a line sent
  in eaches is a unit problem, not also a price and a quantity problem);
- a problem's ``evidence`` holds the figures a person needs to decide (expected vs sent);
- thresholds are ``IntakeRules`` (read from the policy's ``order_intake`` section), never constants
  shaped after any generator: a quantity is judged against the customer's own median for the SKU,
  scaled by what the customer ordered in the same weeks a year ago (seasonal peaks); a SKU the
  customer never ordered is judged against its overall median with a wider margin (first orders).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from o2c.domain.catalog import PriceList, PriceQuote, Product, Promotion, quote
from o2c.domain.customers import Customer
from o2c.domain.orders import po_number_problem
from o2c.domain.partners import PartnerDirectory

CASE_UNITS = frozenset({"CS", "CA", "CT", "BX"})


class Reason(StrEnum):
    UNKNOWN_CUSTOMER = "unknown_customer"
    UNKNOWN_SHIP_TO = "unknown_ship_to"
    UNKNOWN_SKU = "unknown_sku"
    NO_PRICE = "no_price"
    UNIT_MISMATCH = "unit_mismatch"
    PRICE_MISMATCH = "price_mismatch"
    PROMOTION_NOT_APPLIED = "promotion_not_applied"
    EXPIRED_PROMOTION_CLAIMED = "expired_promotion_claimed"
    PO_MISSING = "po_missing"
    PO_DUPLICATE = "po_duplicate"
    PO_UNSENDABLE = "po_unsendable"
    DATE_IMPOSSIBLE = "date_impossible"
    QUANTITY_OUTLIER = "quantity_outlier"
    STOCK_SHORT = "stock_short"


BLOCKING = frozenset({Reason.UNKNOWN_CUSTOMER, Reason.UNKNOWN_SHIP_TO, Reason.UNKNOWN_SKU, Reason.NO_PRICE})


@dataclass(frozen=True, slots=True)
class RequestedLine:
    """One line as sent. ``promotion_rate`` is a promotional allowance (percent) the buyer claims."""

    line_ref: str
    quantity: Decimal
    unit: str | None = None
    sku: str | None = None
    gtin: str | None = None
    buyer_item: str | None = None
    description: str | None = None
    unit_price: Decimal | None = None
    promotion_rate: Decimal | None = None

    @property
    def item_label(self) -> str:
        return self.sku or self.buyer_item or self.gtin or self.description or "?"


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """An order as received on a channel; ``source_ref`` names the interchange or message."""

    channel: str
    source_ref: str
    buyer: str | None
    ship_to: str | None
    po_number: str | None
    requested_date: date | None
    lines: tuple[RequestedLine, ...]
    sender: str | None = None
    sender_qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class StockPosition:
    sku: str
    warehouse: str
    on_hand: Decimal
    reserved: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class ScheduledReceipt:
    sku: str
    warehouse: str
    due: date
    quantity: Decimal


@dataclass(frozen=True)
class StockPlan:
    """Available to promise: on hand less reserved, plus receipts due by the day. Untracked SKUs are
    unlimited (None), so a company without stock data is never short."""

    positions: tuple[StockPosition, ...] = ()
    receipts: tuple[ScheduledReceipt, ...] = ()
    _free: dict[str, Decimal] = field(default_factory=dict, init=False, repr=False)
    _incoming: dict[str, list[tuple[date, Decimal]]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for p in self.positions:
            self._free[p.sku] = self._free.get(p.sku, Decimal(0)) + p.on_hand - p.reserved
        for r in sorted(self.receipts, key=lambda r: r.due):
            self._incoming.setdefault(r.sku, []).append((r.due, r.quantity))
            self._free.setdefault(r.sku, Decimal(0))

    def available(self, sku: str, on: date) -> Decimal | None:
        if sku not in self._free:
            return None
        return self._free[sku] + sum((q for due, q in self._incoming.get(sku, ()) if due <= on), Decimal(0))

    def take(self, sku: str, quantity: Decimal) -> None:
        """Count ``quantity`` as promised (to later orders of the same batch); the plan's only change."""
        if sku in self._free:
            self._free[sku] -= quantity

    def date_for(self, sku: str, quantity: Decimal, after: date) -> date | None:
        """The first day on or after ``after`` when ``quantity`` is available, else None."""
        days = [after] + [due for due, _ in self._incoming.get(sku, ()) if due > after]
        return next((d for d in days if (self.available(sku, d) or Decimal(0)) >= quantity), None)


@dataclass(frozen=True, slots=True)
class IntakeRules:
    """The thresholds intake judges by (policy ``order_intake``).

    ``price_tolerance``: the most a sent price may differ from the customer's price (currency units);
    ``quantity_above_usual`` / ``quantity_below_usual``: a line is unusual above ``usual x above`` or
    below ``usual / below``, where usual is the customer's median for the SKU times its seasonal index;
    ``new_item_above_usual``: the same factor for a SKU the customer has not ordered before, against
    its median over all SKUs; ``season_window_days``: how many days either side of the same day a year
    ago count as "the same season"; ``min_season_lines``: lines needed there before a season counts."""

    price_tolerance: Decimal = Decimal("0.01")
    quantity_above_usual: Decimal = Decimal("2.5")
    quantity_below_usual: Decimal = Decimal(10)
    new_item_above_usual: Decimal = Decimal(8)
    season_window_days: int = 14
    min_season_lines: int = 3
    lead_time_days: int = 1
    closed_weekdays: frozenset[int] = frozenset({6})


@dataclass(frozen=True, slots=True)
class OrderingPattern:
    """What a customer usually orders: typical quantity per SKU and overall, and the POs it used.
    ``season`` scales the typical quantities for today: the median ratio of what the customer
    ordered in the same weeks a year ago to its typical quantity (1 without such history)."""

    typical_by_sku: dict[str, Decimal] = field(default_factory=dict)
    typical_overall: Decimal | None = None
    po_numbers: frozenset[str] = frozenset()
    season: Decimal = Decimal(1)


@dataclass
class IntakeReference:
    """The master data and state a check reads; indices are built once."""

    today: date
    customers: dict[str, Customer]
    products: dict[str, Product]
    price_lists: list[PriceList]
    promotions: list[Promotion]
    patterns: dict[str, OrderingPattern] = field(default_factory=dict)
    stock: StockPlan = field(default_factory=StockPlan)
    rules: IntakeRules = field(default_factory=IntakeRules)
    partners: PartnerDirectory = field(default_factory=lambda: PartnerDirectory(()))

    @property
    def lead_time_days(self) -> int:
        return self.rules.lead_time_days

    @property
    def closed_weekdays(self) -> frozenset[int]:
        return self.rules.closed_weekdays

    def __post_init__(self) -> None:
        self.customer_by_gln = {c.gln: c for c in self.customers.values() if c.gln}
        self.product_by_gtin = {p.gtin: p for p in self.products.values()}
        self.lists_by_currency: dict[str, list[PriceList]] = {}
        for pl in self.price_lists:
            self.lists_by_currency.setdefault(pl.currency, []).append(pl)
        self.promotions_by_sku: dict[str, list[Promotion]] = {}
        for promotion in self.promotions:
            for sku in promotion.skus:
                self.promotions_by_sku.setdefault(sku, []).append(promotion)

    def customer(self, buyer: str | None) -> Customer | None:
        if not buyer:
            return None
        return self.customers.get(buyer) or self.customer_by_gln.get(buyer)

    def customer_of(self, request: OrderRequest) -> Customer | None:
        """The buyer by our number or its GLN, else by its trading-partner mapping, else the sender's."""
        found = self.customer(request.buyer)
        for sender, qualifier in ((request.buyer, None), (request.sender, request.sender_qualifier)):
            if found is None and (mapped := self.partners.customer_for(sender, qualifier)):
                found = self.customers.get(mapped)
        return found

    def product(self, line: RequestedLine, customer: Customer) -> Product | None:
        alias = customer.item_aliases.get(line.buyer_item or "") if line.buyer_item else None
        for code in (line.sku, alias, line.buyer_item):
            if code and code in self.products:
                return self.products[code]
        for code in (line.gtin, line.buyer_item):
            if code and code in self.product_by_gtin:
                return self.product_by_gtin[code]
        return None

    def quote(self, customer: Customer, sku: str, quantity: Decimal) -> PriceQuote | None:
        return quote(customer, sku, self.today, quantity, self.lists_by_currency.get(customer.currency, []),
                     self.promotions_by_sku.get(sku, []))


@dataclass(frozen=True, slots=True)
class Problem:
    reason: Reason
    message: str
    line_ref: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckedLine:
    """A resolved line: quantity in the product's own unit and the price it should carry."""

    line_ref: str
    sku: str | None
    quantity: Decimal
    sent_price: Decimal | None
    quote: PriceQuote | None = None
    available: Decimal | None = None

    @property
    def expected_price(self) -> Decimal | None:
        return self.quote.net_price if self.quote else None


@dataclass(frozen=True, slots=True)
class CheckedOrder:
    request: OrderRequest
    customer: Customer | None
    ship_to: str | None
    requested_date: date
    lines: tuple[CheckedLine, ...]
    problems: tuple[Problem, ...]

    @property
    def reasons(self) -> frozenset[Reason]:
        return frozenset(p.reason for p in self.problems)

    @property
    def is_clean(self) -> bool:
        return not self.problems

    def problems_for(self, line_ref: str) -> list[Problem]:
        return [p for p in self.problems if p.line_ref == line_ref]


def check_order(request: OrderRequest, ref: IntakeReference) -> CheckedOrder:
    """Every problem with ``request`` against ``ref``, and the order as it should be booked."""
    customer = ref.customer_of(request)
    requested = request.requested_date or earliest_delivery(ref.today, ref)
    if customer is None:
        sender = ":".join(p for p in (request.sender_qualifier, request.sender) if p)
        sent_by = f" (EDI sender {sender}: map it to a customer with o2c partners map)" if request.sender else ""
        problem = Problem(Reason.UNKNOWN_CUSTOMER, f"no customer is known as {request.buyer!r}{sent_by}",
                          evidence={"buyer": request.buyer or ""} | ({"sender": sender} if sender else {}))
        return CheckedOrder(request, None, None, requested, (), (problem,))
    ship_to, problems = _ship_to(request, customer)
    problems += _po_problems(request, customer, ref.patterns.get(customer.id, OrderingPattern()))
    problems += _date_problems(request.requested_date, ref)
    lines = []
    for requested_line in request.lines:
        line, line_problems = _check_line(requested_line, customer, requested, ref)
        lines.append(line)
        problems += line_problems
    return CheckedOrder(request, customer, ship_to, requested, tuple(lines), tuple(problems))


def earliest_delivery(today: date, ref: IntakeReference) -> date:
    """The first open day at least the lead time after ``today``."""
    day = today + timedelta(days=ref.lead_time_days)
    while day.weekday() in ref.closed_weekdays:
        day += timedelta(days=1)
    return day


def _ship_to(request: OrderRequest, customer: Customer) -> tuple[str | None, list[Problem]]:
    if not request.ship_to:
        return customer.ship_tos[0].code if customer.ship_tos else None, []
    found = next((s for s in customer.ship_tos if request.ship_to in (s.code, s.gln)), None)
    if found is not None and not found.blocked:
        return found.code, []
    why = "is blocked" if found else "is not one of its delivery addresses"
    return None, [Problem(Reason.UNKNOWN_SHIP_TO, f"ship-to {request.ship_to!r} {why} for {customer.id}",
                          evidence={"ship_to": request.ship_to,
                                    "known": ", ".join(s.code for s in customer.ship_tos)})]


def _po_problems(request: OrderRequest, customer: Customer, pattern: OrderingPattern) -> list[Problem]:
    po = (request.po_number or "").strip()
    if not po:
        if customer.requires_po:
            return [Problem(Reason.PO_MISSING, f"{customer.id} requires a PO number and none was sent")]
        return []
    if unsendable := po_number_problem(po):
        return [Problem(Reason.PO_UNSENDABLE, unsendable, evidence={"po": po})]
    if po in pattern.po_numbers:
        return [Problem(Reason.PO_DUPLICATE, f"PO {po} was already used on an earlier order of {customer.id}",
                        evidence={"po": po})]
    return []


def _date_problems(requested: date | None, ref: IntakeReference) -> list[Problem]:
    if requested is None:
        return []
    earliest = earliest_delivery(ref.today, ref)
    if requested < ref.today:
        why = "is in the past"
    elif requested < earliest:
        why = f"is sooner than the {ref.lead_time_days}-day lead time allows"
    elif requested.weekday() in ref.closed_weekdays:
        why = f"is a {requested.strftime('%A')}, when we do not deliver"
    else:
        return []
    return [Problem(Reason.DATE_IMPOSSIBLE, f"requested delivery {requested.isoformat()} {why}",
                    evidence={"requested": requested.isoformat(), "earliest": earliest.isoformat()})]


def _check_line(line: RequestedLine, customer: Customer, requested: date,
                ref: IntakeReference) -> tuple[CheckedLine, list[Problem]]:
    product = ref.product(line, customer)
    if product is None:
        problem = Problem(Reason.UNKNOWN_SKU, f"line {line.line_ref}: item {line.item_label!r} is not in the "
                          "catalog nor among the customer's item codes", line.line_ref, {"item": line.item_label})
        return CheckedLine(line.line_ref, None, line.quantity, line.unit_price), [problem]
    quantity, price, unit_problems = _in_product_unit(line, product)
    q = ref.quote(customer, product.sku, quantity)
    checked = CheckedLine(line.line_ref, product.sku, quantity, price, q,
                          ref.stock.available(product.sku, requested))
    if q is None:
        return checked, [*unit_problems, Problem(Reason.NO_PRICE, f"line {line.line_ref}: no {customer.currency} "
                                                 f"price for {product.sku}", line.line_ref)]
    if unit_problems and quantity == line.quantity:
        return checked, unit_problems
    problems = unit_problems + _price_problems(line, checked, customer, ref)
    if not unit_problems:
        problems += _quantity_problems(line, checked, ref.patterns.get(customer.id, OrderingPattern()), ref)
    problems += _stock_problems(line, checked, requested, ref)
    return checked, problems


def _in_product_unit(line: RequestedLine, product: Product) -> tuple[Decimal, Decimal | None, list[Problem]]:
    """The quantity and price per the product's pack; a unit problem when the buyer used another unit."""
    unit = (line.unit or product.unit).upper()
    if unit == product.unit or (unit in CASE_UNITS and product.unit in CASE_UNITS) or (
            unit == "EA" and product.units_per_pack == 1):
        return line.quantity, line.unit_price, []
    evidence = {"sent_unit": unit, "product_unit": product.unit, "units_per_pack": str(product.units_per_pack)}
    if unit == "EA" and product.units_per_pack > 1 and line.quantity % product.units_per_pack == 0:
        packs = line.quantity / product.units_per_pack
        price = line.unit_price * product.units_per_pack if line.unit_price is not None else None
        return packs, price, [Problem(Reason.UNIT_MISMATCH, f"line {line.line_ref}: {line.quantity} EA of "
                                      f"{product.sku} is {packs} {product.unit} of {product.units_per_pack}",
                                      line.line_ref, evidence | {"packs": str(packs)})]
    return line.quantity, line.unit_price, [Problem(
        Reason.UNIT_MISMATCH, f"line {line.line_ref}: unit {unit} does not fit {product.sku}, sold per "
        f"{product.unit} of {product.units_per_pack}", line.line_ref, evidence)]


def _price_problems(line: RequestedLine, checked: CheckedLine, customer: Customer,
                    ref: IntakeReference) -> list[Problem]:
    q, sent = checked.quote, checked.sent_price
    if q is None or sent is None:
        return []
    evidence = {"sku": q.sku, "sent": str(sent), "list_price": str(q.list_price), "expected": str(q.net_price),
                "price_list": q.price_list_id, "promotion": q.promotion_id or ""}
    if line.promotion_rate is not None and q.promotion_id is None:
        lapsed = _lapsed_promotion(customer, q.sku, ref)
        named = f"promotion {lapsed.id} ended {lapsed.valid_to.isoformat()}" if lapsed else "no promotion applies"
        return [Problem(Reason.EXPIRED_PROMOTION_CLAIMED, f"line {line.line_ref}: {line.promotion_rate}% "
                        f"promotion claimed on {q.sku} but {named}", line.line_ref,
                        evidence | {"claimed_rate": str(line.promotion_rate)})]
    tolerance = ref.rules.price_tolerance
    if line.promotion_rate is None and q.promotion_id and abs(sent - q.list_price) <= tolerance:
        return [Problem(Reason.PROMOTION_NOT_APPLIED, f"line {line.line_ref}: {q.promotion_id} gives "
                        f"{q.discount_percent}% off {q.sku}, the order has the list price {sent}",
                        line.line_ref, evidence)]
    if abs(sent - q.net_price) > tolerance:
        return [Problem(Reason.PRICE_MISMATCH, f"line {line.line_ref}: price {sent} for {q.sku} differs from "
                        f"the customer's price {q.net_price} ({q.price_list_id})", line.line_ref, evidence)]
    return []


def _lapsed_promotion(customer: Customer, sku: str, ref: IntakeReference) -> Promotion | None:
    lapsed = [p for p in ref.promotions_by_sku.get(sku, ()) if p.scope.covers(customer) and p.valid_to < ref.today]
    return max(lapsed, key=lambda p: p.valid_to, default=None)


def _quantity_problems(line: RequestedLine, checked: CheckedLine, pattern: OrderingPattern,
                       ref: IntakeReference) -> list[Problem]:
    rules = ref.rules
    known = pattern.typical_by_sku.get(checked.sku or "")
    typical = known or pattern.typical_overall
    if not typical:
        return []
    usual = typical * max(pattern.season, Decimal(1))
    above = rules.quantity_above_usual if known else rules.new_item_above_usual
    if typical / rules.quantity_below_usual < checked.quantity < usual * above:
        return []
    basis = "for this season" if pattern.season > 1 else ("" if known else "over all items (a first order)")
    return [Problem(Reason.QUANTITY_OUTLIER, f"line {line.line_ref}: {checked.quantity} of {checked.sku} is far "
                    f"from the customer's usual {usual.quantize(Decimal('0.1'))} {basis}".rstrip(), line.line_ref,
                    {"quantity": str(checked.quantity), "typical": str(typical), "season": str(pattern.season),
                     "limit": str((usual * above).quantize(Decimal("0.1")))})]


def _stock_problems(line: RequestedLine, checked: CheckedLine, requested: date,
                    ref: IntakeReference) -> list[Problem]:
    if checked.available is None or checked.sku is None or checked.available >= checked.quantity:
        return []
    later = ref.stock.date_for(checked.sku, checked.quantity, requested)
    return [Problem(Reason.STOCK_SHORT, f"line {line.line_ref}: {checked.quantity} of {checked.sku} wanted on "
                    f"{requested.isoformat()}, {max(checked.available, Decimal(0))} available to promise",
                    line.line_ref, {"available": str(max(checked.available, Decimal(0))),
                                    "wanted": str(checked.quantity),
                                    "available_in_full_on": later.isoformat() if later else ""})]


def typical_quantity(quantities: Iterable[Decimal]) -> Decimal | None:
    """The median of past quantities, or None with fewer than three to go by."""
    ordered = sorted(quantities)
    if len(ordered) < 3:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def seasonal_index(same_weeks_last_year: Iterable[tuple[str, Decimal]], typical_by_sku: dict[str, Decimal],
                   min_lines: int) -> Decimal:
    """The median of ``quantity / typical`` over the (sku, quantity) lines a customer ordered in the same
    weeks a year ago; 1 with fewer than ``min_lines`` such lines of SKUs it has a typical quantity for."""
    ratios = sorted(q / typical_by_sku[sku] for sku, q in same_weeks_last_year if typical_by_sku.get(sku))
    if len(ratios) < max(min_lines, 1):
        return Decimal(1)
    middle = len(ratios) // 2
    found = ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2
    return found.quantize(Decimal("0.01"))
