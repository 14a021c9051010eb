"""The intake benchmark's world and order traffic, drawn from a noise profile and nothing else.

``bench_world`` builds the demo company with what the generator knows as ground truth: each
customer's usual SKUs and quantities (``Habit``), its seasonal peak if it has one, a year of past
orders drawn from those habits, promotions (current, ending today, lapsed), and SKUs out of stock.
``OrderTraffic`` then draws new orders: clean ones as customers order, some unusual but right (a
first order of a SKU, a delivery weeks ahead, a promotion claimed on its last day), and some with one
or more mistakes whose size the profile sets. Each ``MadeOrder.errors`` is the ground truth.

Nothing here reads how o2c checks orders (no threshold, no pattern, no rule of ``order_checks``);
prices come from the catalog's pricing (``domain.catalog.quote``), the company's calendar (next-day
delivery, none on Sundays) is the generator's own knowledge of the world.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from o2c.bench.order_noise import OrderNoiseProfile, Span
from o2c.domain.catalog import Product, Promotion, Scope, quote
from o2c.domain.customers import Customer, Segment
from o2c.domain.orders import Order, OrderLine, OrderStatus
from o2c.sim.order_documents import MadeLine, MadeOrder
from o2c.sim.scenario import load_scenario
from o2c.sim.world import World, build_world

LEAD_DAYS, SUNDAY = 1, 6
BASE_QTY = {Segment.RETAIL_CHAIN: (40, 100), Segment.WHOLESALER: (15, 50), Segment.HORECA: (3, 10)}
LINE_KINDS = ("unknown_sku", "unit_mismatch", "price_mismatch", "quantity_outlier")
ADDED_LINE_KINDS = ("promotion_not_applied", "expired_promotion_claimed", "stock_short")
EMAIL_KINDS = frozenset(
    {"po_missing", "unknown_sku", "date_impossible", "quantity_outlier", "unknown_customer"}
)
HISTORY_DAYS = 392


@dataclass(frozen=True)
class Habit:
    """What a customer usually orders (ground truth) and when it peaks."""

    usual: dict[str, Decimal]
    peak: str | None = None
    peak_factor: float = 1.0

    def in_peak(self, day: date) -> bool:
        if self.peak == "christmas":
            return (day.month, day.day) >= (11, 24) and (day.month, day.day) <= (12, 24)
        return self.peak == "summer" and 6 <= day.month <= 8


@dataclass
class BenchWorld:
    world: World
    today: date
    habits: dict[str, Habit]
    scarce: frozenset[str]
    current: list[Promotion]
    last_day: list[Promotion]
    lapsed: list[Promotion]
    history: list[Order] = field(default_factory=list)
    restock_on: date = date.max  # the scarce SKUs arrive again on this day

    def price(self, customer: Customer, sku: str, quantity: Decimal):  # type: ignore[no-untyped-def]
        return quote(customer, sku, self.today, quantity, self.world.price_lists, self.world.promotions)

    def po_numbers(self, customer_id: str) -> list[str]:
        return [o.po_number for o in self.history if o.customer_id == customer_id and o.po_number]


def bench_world(profile: OrderNoiseProfile, seed: int, today: date) -> BenchWorld:
    """The demo world with habits, seasons, promotions, scarce SKUs and a year of history."""
    world = build_world(load_scenario(seed=seed))
    rng = random.Random(seed)
    skus = sorted(p.sku for p in world.products)
    picked = rng.sample(skus, 36)
    scarce, promoted = frozenset(picked[:8]), picked[8:]
    ended = profile.mistakes.promotion_ended_days

    def promo(prefix: str, n: int, sku: str, start: date, end: date) -> Promotion:
        return Promotion(
            f"{prefix}-{n:02d}",
            f"Bench {prefix} {n}",
            (sku,),
            Decimal(rng.choice(["5", "10", "15"])),
            start,
            end,
            Scope(),
        )

    current = [
        promo("BP", n, s, today - timedelta(days=3), today + timedelta(days=10))
        for n, s in enumerate(promoted[:10], 1)
    ]
    last_day = [
        promo("BD", n, s, today - timedelta(days=12), today) for n, s in enumerate(promoted[10:16], 1)
    ]
    lapsed = [
        promo(
            "BL", n, s, today - timedelta(days=40), today - timedelta(days=rng.randint(ended.low, ended.high))
        )
        for n, s in enumerate(promoted[16:], 1)
    ]
    customers = [
        replace(c, item_aliases={f"{c.id}-{sku[-4:]}": sku for sku in rng.sample(skus, 8)})
        if c.segment is Segment.RETAIL_CHAIN
        else c
        for c in world.customers
    ]
    world = replace(world, customers=customers, promotions=[*current, *last_day, *lapsed])
    ordinary = sorted(set(skus) - scarce - set(promoted[10:]))
    habits = {c.id: _habit(c, ordinary, profile, rng) for c in customers}
    bench = BenchWorld(
        world, today, habits, scarce, current, last_day, lapsed, restock_on=today + timedelta(days=36)
    )
    bench.history = _history(bench, profile, random.Random(seed + 1))
    return bench


def _habit(customer: Customer, skus: list[str], profile: OrderNoiseProfile, rng: random.Random) -> Habit:
    low, high = BASE_QTY[customer.segment]
    usual = {sku: Decimal(rng.randint(low, high)) for sku in rng.sample(skus, 12)}
    o = profile.ordering
    if rng.random() >= o.seasonal_customers:
        return Habit(usual)
    return Habit(
        usual, "christmas" if rng.random() < o.christmas_share else "summer", _draw(rng, o.peak_factor)
    )


def _draw(rng: random.Random, span: Span) -> float:
    return rng.uniform(span.low, span.high)


def _history(bench: BenchWorld, profile: OrderNoiseProfile, rng: random.Random) -> list[Order]:
    """An order every two weeks per customer over the last year and a bit, drawn from its habits."""
    orders = []
    for customer in bench.world.customers:
        habit = bench.habits[customer.id]
        day = bench.today - timedelta(days=HISTORY_DAYS - rng.randint(0, 13))
        n = 0
        while day < bench.today:
            peak = habit.peak_factor if habit.in_peak(day) else 1.0
            lines = tuple(
                OrderLine(i, sku, _quantity(q, peak, profile, rng), Decimal(1), Decimal(1))
                for i, (sku, q) in enumerate(sorted(habit.usual.items()), start=1)
            )
            orders.append(
                Order(
                    f"SO-H{customer.id}-{n}",
                    customer.id,
                    customer.ship_tos[0].code,
                    "edi",
                    day,
                    day,
                    customer.currency,
                    lines,
                    f"H{customer.id}-{n}",
                    OrderStatus.DELIVERED,
                    source_ref=f"bench:history:{customer.id}:{n}",
                )
            )
            day += timedelta(days=14)
            n += 1
    return orders


def _quantity(usual: Decimal, factor: float, profile: OrderNoiseProfile, rng: random.Random) -> Decimal:
    drawn = usual * Decimal(str(round(factor * _draw(rng, profile.ordering.spread), 4)))
    return max(Decimal(1), drawn.to_integral_value())


class OrderTraffic:
    """Draws the benchmark's orders from ``profile`` for ``bench``."""

    def __init__(self, bench: BenchWorld, profile: OrderNoiseProfile, rng: random.Random) -> None:
        self.bench, self.profile, self.rng = bench, profile, rng
        self.products: dict[str, Product] = {p.sku: p for p in bench.world.products}
        self.counter = 0
        self.touched: set[int] = set()

    def draw(self, n: int) -> list[MadeOrder]:
        return [self.order() for _ in range(n)]

    def order(self) -> MadeOrder:
        rng, profile = self.rng, self.profile
        self.touched = set()
        channel = "email" if rng.random() < profile.arrival.email_share else "edi"
        kinds = self._kinds(channel) if rng.random() < profile.mistakes.order_share else []
        customers = self.bench.world.customers
        if "po_missing" in kinds:
            customers = [c for c in customers if c.requires_po] or customers
        if "quantity_outlier" in kinds and rng.random() < profile.mistakes.quantity_on_seasonal:
            off = [
                c
                for c in customers
                if self.bench.habits[c.id].peak and not self.bench.habits[c.id].in_peak(self.bench.today)
            ]
            customers = off or customers
        order = self._clean(rng.choice(customers), channel, len([k for k in kinds if k in LINE_KINDS]))
        self._unusual(order)
        for kind in kinds:
            if getattr(self, f"_{kind}")(order):
                order.errors |= {kind}
        order.error = min(order.errors) if order.errors else None
        return self._priced(order)

    def _kinds(self, channel: str) -> list[str]:
        m = self.profile.mistakes
        weights = {
            k: w
            for k, w in m.kinds.items()
            if w > 0 and (channel == "edi" or k in EMAIL_KINDS) and (channel == "email" or k != "po_missing")
        }
        if not weights:
            return []
        counts = sorted(m.per_order)
        count = self.rng.choices(counts, [m.per_order[c] for c in counts])[0]
        chosen: list[str] = []
        while len(chosen) < min(count, len(weights)):
            kind = self.rng.choices(sorted(weights), [weights[k] for k in sorted(weights)])[0]
            if kind not in chosen:
                chosen.append(kind)
        return ["unknown_customer"] if "unknown_customer" in chosen else chosen

    def _clean(self, customer: Customer, channel: str, line_mistakes: int) -> MadeOrder:
        self.counter += 1
        habit, today = self.bench.habits[customer.id], self.bench.today
        span = self.profile.arrival.lines
        count = self.rng.randint(span.low, span.high)
        count = max(1, count // 2) if channel == "email" else count
        count = min(max(count, line_mistakes + 1), len(habit.usual))
        peak = habit.peak_factor if habit.in_peak(today) else 1.0
        lines = [
            MadeLine(sku, _quantity(habit.usual[sku], peak, self.profile, self.rng))
            for sku in sorted(self.rng.sample(sorted(habit.usual), count))
        ]
        for line in lines:
            line.use_alias = (
                customer.segment is Segment.RETAIL_CHAIN
                and self.rng.random() < self.profile.arrival.customer_item_codes
            )
        ship = self.rng.choice(customer.ship_tos) if channel == "edi" else customer.ship_tos[0]
        requested = _open_day(today + timedelta(days=LEAD_DAYS + self.rng.randint(0, 6)))
        return MadeOrder(
            customer,
            channel,
            f"PO{self.counter:07d}",
            ship.code,
            ship.gln,
            requested,
            lines,
            buyer_gln=customer.gln,
            message_id=f"<order-{self.counter}@{customer.id.lower()}.example>",
        )

    def _unusual(self, order: MadeOrder) -> None:
        u, rng, habit = self.profile.unusual, self.rng, self.bench.habits[order.customer.id]
        if rng.random() < u.new_item:
            taken = {ln.sku for ln in order.lines}
            fresh = sorted(
                s
                for s in self.products
                if s not in habit.usual
                and s not in taken
                and s not in self.bench.scarce
                and not self._promoted(s)
            )
            typical = sorted(habit.usual.values())[len(habit.usual) // 2]
            trial = max(
                Decimal(1), (typical * Decimal(str(round(rng.uniform(0.2, 1.0), 3)))).to_integral_value()
            )
            order.lines.append(MadeLine(rng.choice(fresh), trial))
            order.notes.append("new_item")
        if rng.random() < u.far_ahead:
            order.requested = _open_day(self.bench.today + timedelta(days=rng.randint(28, 56)))
            order.notes.append("far_ahead")
        if order.channel == "edi" and self.bench.last_day and rng.random() < u.promotion_last_day:
            promotion = rng.choice(self.bench.last_day)
            if promotion.skus[0] not in {ln.sku for ln in order.lines}:
                order.lines.append(
                    MadeLine(promotion.skus[0], self._usualish(order.customer, promotion.skus[0]))
                )
                order.notes.append("promotion_last_day")

    def _promoted(self, sku: str) -> bool:
        return any(sku in p.skus for p in self.bench.world.promotions)

    def _usualish(self, customer: Customer, sku: str) -> Decimal:
        """A quantity as the customer would order ``sku``: its usual one, or its median over all SKUs."""
        habit = self.bench.habits[customer.id]
        usual = habit.usual.get(sku) or sorted(habit.usual.values())[len(habit.usual) // 2]
        peak = habit.peak_factor if habit.in_peak(self.bench.today) else 1.0
        return _quantity(usual, peak, self.profile, self.rng)

    def _free_line(self, order: MadeOrder) -> MadeLine | None:
        """A line of the customer's usual SKUs that carries no mistake yet."""
        free = [
            ln
            for ln in order.lines
            if ln.price_mode == "correct"
            and ln.unit is None
            and not ln.unknown_code
            and ln.sku in self.bench.habits[order.customer.id].usual
            and id(ln) not in self.touched
        ]
        if not free:
            return None
        line = self.rng.choice(free)
        self.touched.add(id(line))
        return line

    # --- the mistakes: each returns whether it could be made on this order ---------------------------
    def _unknown_customer(self, order: MadeOrder) -> bool:
        order.buyer_gln = "5" + "".join(str(self.rng.randint(0, 9)) for _ in range(12))
        return True

    def _unknown_ship_to(self, order: MadeOrder) -> bool:
        if self.rng.random() < self.profile.mistakes.ship_to_of_another_customer:
            others = [
                s
                for c in self.bench.world.customers
                if c.id != order.customer.id
                for s in c.ship_tos
                if s.gln
            ]
            order.ship_to_gln = self.rng.choice(others).gln
        else:
            order.ship_to_gln = "54" + "".join(str(self.rng.randint(0, 9)) for _ in range(11))
        return True

    def _unknown_sku(self, order: MadeOrder) -> bool:
        line = self._free_line(order)
        if line is None:
            return False
        gtin = self.products[line.sku].gtin
        digits = list(gtin)
        digits[-2] = str((int(digits[-2]) + self.rng.randint(1, 9)) % 10)
        known = {p.gtin for p in self.products.values()}
        line.unknown_code = (
            "".join(digits) if "".join(digits) not in known else f"99{self.rng.randint(10**10, 10**11)}"
        )
        return True

    def _unit_mismatch(self, order: MadeOrder) -> bool:
        line = self._free_line(order)
        if line is None or self.products[line.sku].units_per_pack <= 1:
            return False
        line.unit = "EA"
        return True

    def _price_mismatch(self, order: MadeOrder) -> bool:
        line = self._free_line(order)
        if line is None:
            return False
        line.price_mode = "off"
        return True

    def _quantity_outlier(self, order: MadeOrder) -> bool:
        line = self._free_line(order)
        if line is None:
            return False
        habit = self.bench.habits[order.customer.id]
        peak = habit.peak_factor if habit.in_peak(self.bench.today) else 1.0
        factor = _draw(self.rng, self.profile.mistakes.quantity_factor) * peak
        line.quantity = (habit.usual[line.sku] * Decimal(str(round(factor, 4)))).to_integral_value()
        return True

    def _promotion_not_applied(self, order: MadeOrder) -> bool:
        return self._promotion_line(order, self.bench.current, "list_no_claim")

    def _expired_promotion_claimed(self, order: MadeOrder) -> bool:
        return self._promotion_line(order, self.bench.lapsed, "lapsed_claim")

    def _promotion_line(self, order: MadeOrder, promotions: list[Promotion], mode: str) -> bool:
        taken = {ln.sku for ln in order.lines}
        choices = [p for p in promotions if p.skus[0] not in taken]
        if not choices:
            return False
        promotion = self.rng.choice(choices)
        order.lines.append(
            MadeLine(
                promotion.skus[0],
                self._usualish(order.customer, promotion.skus[0]),
                mode,
                claim=promotion.discount_percent if mode == "lapsed_claim" else None,
            )
        )
        return True

    def _po_missing(self, order: MadeOrder) -> bool:
        if order.channel != "email" or not order.customer.requires_po:
            return False
        order.po = None
        return True

    def _po_duplicate(self, order: MadeOrder) -> bool:
        used = self.bench.po_numbers(order.customer.id)
        if not used:
            return False
        order.po = self.rng.choice(used)
        return True

    def _date_impossible(self, order: MadeOrder) -> bool:
        kinds = self.profile.mistakes.date_kinds
        names = sorted(k for k, w in kinds.items() if w > 0)
        if not names:
            return False
        kind = self.rng.choices(names, [kinds[k] for k in names])[0]
        today = self.bench.today
        if kind == "past":
            order.requested = today - timedelta(days=self.rng.randint(1, 5))
        elif kind == "today":
            order.requested = today
        else:
            order.requested = today + timedelta(days=(SUNDAY - today.weekday()) % 7 or 7)
        return True

    def _stock_short(self, order: MadeOrder) -> bool:
        choices = sorted(self.bench.scarce - {ln.sku for ln in order.lines})
        if not choices or order.requested >= self.bench.restock_on:
            return False
        sku = self.rng.choice(choices)
        order.lines.append(MadeLine(sku, self._usualish(order.customer, sku)))
        return True

    def _priced(self, order: MadeOrder) -> MadeOrder:
        """What the customer sends as price and claimed promotion, per line (to the cent)."""
        cent = Decimal("0.01")
        for line in order.lines:
            q = self.bench.price(order.customer, line.sku, line.quantity)
            if q is None:
                continue
            if line.price_mode == "list_no_claim":
                line.price = q.list_price
            elif line.price_mode == "lapsed_claim":
                line.price = (q.list_price * (100 - (line.claim or 0)) / 100).quantize(cent)
            elif line.price_mode == "off":
                off = Decimal(str(round(_draw(self.rng, self.profile.mistakes.price_off), 5)))
                line.price = (q.net_price * (1 + self.rng.choice([-1, 1]) * off)).quantize(cent)
                if line.price == q.net_price.quantize(cent):
                    line.price += cent
                line.claim = q.discount_percent if q.promotion_id else None
            else:
                line.price, line.claim = (
                    q.net_price.quantize(cent),
                    q.discount_percent if q.promotion_id else None,
                )
        return order


def _open_day(day: date) -> date:
    return day + timedelta(days=1) if day.weekday() == SUNDAY else day
