"""The demo company's master data: customers, catalog, price lists, promotions, carriers, warehouses.

Everything is drawn from one seeded random generator, so the same seed builds the same world.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from o2c.adapters.store.billing_store import BillingStore
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain.catalog import PriceList, Product, Promotion, Scope
from o2c.domain.customers import Address, Channel, Customer, PaymentTerms, Segment, ShipTo
from o2c.domain.money import Money
from o2c.domain.rebates import InvoiceTerms, RebateAgreement, Tier
from o2c.sim.scenario import Scenario

CURRENCY = {"NL": "EUR", "BE": "EUR", "DE": "EUR", "FR": "EUR", "GB": "GBP", "US": "USD"}
LANGUAGE = {"NL": "nl", "BE": "nl", "DE": "de", "FR": "fr", "GB": "en", "US": "en"}
CITIES = {
    "NL": ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Groningen", "Haarlem", "Breda", "Zwolle"],
    "BE": ["Antwerpen", "Gent", "Brugge", "Leuven", "Mechelen", "Hasselt"],
    "DE": ["Köln", "Düsseldorf", "Hamburg", "München", "Berlin", "Frankfurt", "Essen"],
    "FR": ["Lille", "Paris", "Lyon", "Bordeaux", "Nantes", "Strasbourg"],
    "GB": ["London", "Manchester", "Leeds", "Bristol", "Birmingham", "Glasgow"],
    "US": ["New York", "Newark", "Los Angeles", "Austin", "Miami", "Chicago", "Boston", "Portland"],
}
US_STATES = {"New York": "NY", "Newark": "NJ", "Los Angeles": "CA", "Austin": "TX", "Miami": "FL",
             "Chicago": "IL", "Boston": "MA", "Portland": "OR"}
NAMES = {
    Segment.RETAIL_CHAIN: ["{city} Supermarkten", "FreshMart {city}", "Hoekstra Retail", "Vallée Distribution",
                           "Kaufland-Partner {city}", "Northern Grocers", "City Foods {city}", "Marché {city}"],
    Segment.WHOLESALER: ["{city} Drankenhandel", "Global Beverage Wholesale", "Horeca Groothandel {city}",
                         "Getränke Lager {city}", "Brasseries Réunies", "Metro Cash Partner {city}",
                         "Atlantic Foodservice", "Delta Wholesale"],
    Segment.HORECA: ["Café {surname}", "Bistro {surname}", "The Red Lion {city}", "Brasserie {surname}",
                     "Hotel {surname}", "Restaurant De {surname}", "{surname}'s Bar", "Eetcafé {surname}",
                     "Gasthaus {surname}", "Le Petit {surname}"],
}
SURNAMES = ["Jansen", "De Vries", "Bakker", "Visser", "Smit", "Meyer", "Müller", "Dubois", "Martin",
            "Smith", "Brown", "Peeters", "Maes", "Leroy", "Schulz", "Taylor", "Wilson", "Moreau", "Hendriks"]
LEGAL = {"NL": "B.V.", "BE": "BV", "DE": "GmbH", "FR": "SARL", "GB": "Ltd", "US": "Inc."}

PRODUCT_LINES = [
    # (category, base name, tax category, packs with (pack, unit, units/pack, base EUR price))
    ("soft_drinks", "Cola", "standard", [("24x33cl can", "CS", 24, "14.40"), ("6x1.5l PET", "CS", 6, "7.80")]),
    ("soft_drinks", "Cola Zero", "standard", [("24x33cl can", "CS", 24, "14.40"), ("6x1.5l PET", "CS", 6, "7.80")]),
    ("soft_drinks", "Lemon Soda", "standard", [("24x33cl can", "CS", 24, "13.20"), ("12x50cl PET", "CS", 12, "9.60")]),
    ("soft_drinks", "Orange Soda", "standard", [("24x33cl can", "CS", 24, "13.20"), ("12x50cl PET", "CS", 12, "9.60")]),
    ("soft_drinks", "Tonic Water", "standard", [("24x20cl glass", "CS", 24, "16.80")]),
    ("soft_drinks", "Ginger Ale", "standard", [("24x20cl glass", "CS", 24, "16.80")]),
    ("soft_drinks", "Iced Tea Peach", "standard", [("24x33cl can", "CS", 24, "13.90"), ("6x1.5l PET", "CS", 6, "8.10")]),
    ("soft_drinks", "Energy Drink", "standard", [("24x25cl can", "CS", 24, "22.80")]),
    ("water", "Spring Water Still", "reduced", [("24x50cl PET", "CS", 24, "6.90"), ("6x1.5l PET", "CS", 6, "3.60")]),
    ("water", "Spring Water Sparkling", "reduced", [("24x50cl PET", "CS", 24, "7.20"), ("6x1.5l PET", "CS", 6, "3.90")]),
    ("water", "Mineral Water Glass", "reduced", [("24x25cl glass", "CS", 24, "11.50")]),
    ("juice", "Orange Juice", "reduced", [("12x1l carton", "CS", 12, "15.60"), ("24x20cl glass", "CS", 24, "17.40")]),
    ("juice", "Apple Juice", "reduced", [("12x1l carton", "CS", 12, "13.80"), ("24x20cl glass", "CS", 24, "16.20")]),
    ("juice", "Multivitamin Juice", "reduced", [("12x1l carton", "CS", 12, "16.20")]),
    ("beer", "Pilsner Lager", "standard", [("24x33cl bottle", "CS", 24, "19.20"), ("30l keg", "KEG", 1, "78.00"),
                                          ("24x50cl can", "CS", 24, "24.00")]),
    ("beer", "Premium Lager", "standard", [("24x33cl bottle", "CS", 24, "21.60"), ("30l keg", "KEG", 1, "86.00")]),
    ("beer", "Wheat Beer", "standard", [("24x50cl bottle", "CS", 24, "27.60"), ("20l keg", "KEG", 1, "69.00")]),
    ("beer", "IPA", "standard", [("24x33cl can", "CS", 24, "28.80"), ("20l keg", "KEG", 1, "92.00")]),
    ("beer", "Alcohol-free Lager", "standard", [("24x33cl bottle", "CS", 24, "18.00"), ("24x33cl can", "CS", 24, "17.40")]),
    ("beer", "Blond Abbey Ale", "standard", [("24x33cl bottle", "CS", 24, "31.20")]),
    ("cider", "Apple Cider", "standard", [("24x33cl bottle", "CS", 24, "25.20"), ("20l keg", "KEG", 1, "74.00")]),
    ("snacks", "Salted Crisps", "reduced", [("20x40g bag", "CS", 20, "9.40"), ("12x150g bag", "CS", 12, "13.20")]),
    ("snacks", "Paprika Crisps", "reduced", [("20x40g bag", "CS", 20, "9.40"), ("12x150g bag", "CS", 12, "13.20")]),
    ("snacks", "Roasted Peanuts", "reduced", [("12x200g bag", "CS", 12, "14.40")]),
    ("snacks", "Mixed Nuts", "reduced", [("12x200g bag", "CS", 12, "21.60")]),
    ("food", "Tomato Ketchup", "reduced", [("12x500ml bottle", "CS", 12, "15.00")]),
    ("food", "Mayonnaise", "reduced", [("12x500ml bottle", "CS", 12, "16.20"), ("4x3l bucket", "CS", 4, "28.00")]),
    ("food", "Frying Oil", "reduced", [("1x10l can", "EA", 1, "24.50")]),
    ("food", "Bitterballen Frozen", "reduced", [("4x2.5kg box", "CS", 4, "38.00")]),
    ("food", "Fries Frozen", "reduced", [("4x2.5kg bag", "CS", 4, "16.80")]),
    ("food", "Coffee Beans", "reduced", [("6x1kg bag", "CS", 6, "79.20")]),
    ("food", "Tea Assortment", "reduced", [("10x25 bags", "CS", 10, "24.00")]),
    ("syrups", "Grenadine Syrup", "standard", [("6x70cl bottle", "CS", 6, "21.00")]),
    ("syrups", "Lemon Syrup", "standard", [("6x70cl bottle", "CS", 6, "19.80")]),
    ("spirits_mixers", "Bitter Lemon", "standard", [("24x20cl glass", "CS", 24, "16.80")]),
    ("dairy", "Chocolate Milk", "reduced", [("12x1l carton", "CS", 12, "14.40"), ("24x20cl carton", "CS", 24, "13.20")]),
    ("dairy", "Oat Drink", "reduced", [("12x1l carton", "CS", 12, "19.20")]),
    ("water", "Flavoured Water Lemon", "reduced", [("24x50cl PET", "CS", 24, "10.80")]),
    ("soft_drinks", "Cola Cherry", "standard", [("24x33cl can", "CS", 24, "14.90")]),
    ("soft_drinks", "Bitter Orange", "standard", [("24x20cl glass", "CS", 24, "17.10")]),
    ("beer", "Stout", "standard", [("24x44cl can", "CS", 24, "32.40"), ("30l keg", "KEG", 1, "98.00")]),
    ("beer", "Radler Lemon", "standard", [("24x33cl can", "CS", 24, "19.80")]),
    ("snacks", "Pretzels", "reduced", [("12x175g bag", "CS", 12, "12.00")]),
    ("snacks", "Tortilla Chips", "reduced", [("12x200g bag", "CS", 12, "15.60")]),
    ("food", "Mustard", "reduced", [("12x370ml jar", "CS", 12, "13.80")]),
    ("water", "Spring Water Still 5l", "reduced", [("2x5l PET", "CS", 2, "2.90")]),
    ("juice", "Tomato Juice", "reduced", [("24x20cl glass", "CS", 24, "18.60")]),
    ("juice", "Cranberry Juice", "reduced", [("12x1l carton", "CS", 12, "19.80")]),
    ("soft_drinks", "Cola Light", "standard", [("24x33cl can", "CS", 24, "14.40")]),
    ("food", "Sugar Sticks", "reduced", [("1x1000 sticks", "CS", 1, "12.50")]),
    ("food", "Paper Straws", "standard", [("1x2000 straws", "CS", 1, "18.00")]),
    ("food", "Napkins", "standard", [("1x3000 napkins", "CS", 1, "22.00")]),
    ("beer", "Session IPA", "standard", [("24x33cl can", "CS", 24, "27.00")]),
    ("soft_drinks", "Cola Zero 1l", "standard", [("12x1l PET", "CS", 12, "10.80")]),
    ("soft_drinks", "Cola 1l", "standard", [("12x1l PET", "CS", 12, "10.80")]),
    ("juice", "Pineapple Juice", "reduced", [("12x1l carton", "CS", 12, "17.40")]),
]
HISTORY_DAYS = 80
FX_TO_LOCAL = {"EUR": Decimal("1"), "GBP": Decimal("0.86"), "USD": Decimal("1.09")}


@dataclass
class World:
    customers: list[Customer]
    products: list[Product]
    price_lists: list[PriceList]
    promotions: list[Promotion]
    carriers: dict[str, dict[str, object]]
    warehouses: dict[str, dict[str, object]]
    behaviour: dict[str, str] = field(default_factory=dict)
    fx_path: dict[date, dict[str, Decimal]] = field(default_factory=dict)
    rebates: list[RebateAgreement] = field(default_factory=list)
    invoice_terms: dict[str, InvoiceTerms] = field(default_factory=dict)
    contracts: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    billing_errors: dict[str, str] = field(default_factory=dict)
    billing_loaded: bool = False


def gtin13(rng: random.Random, prefix: str = "871234") -> str:
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(12 - len(prefix)))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _vat_id(rng: random.Random, country: str) -> str | None:
    digits = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    return {"NL": f"NL{digits(9)}B01", "BE": f"BE0{digits(9)}", "DE": f"DE{digits(9)}",
            "FR": f"FR{digits(2)}{digits(9)}", "GB": f"GB{digits(9)}"}.get(country)


def _iban(rng: random.Random, country: str) -> str:
    return f"{country}{rng.randint(10, 99)}BANK{rng.randint(10**9, 10**10 - 1)}"


def build_products(rng: random.Random, wanted: int) -> list[Product]:
    products: list[Product] = []
    by_group: dict[tuple[str, str], list[str]] = {}
    for category, name, tax, packs in PRODUCT_LINES:
        for pack, unit, units, _price in packs:
            sku = f"SKU-{len(products) + 1:04d}"
            products.append(Product(sku, gtin13(rng), f"{name} {pack}", category, pack, unit, units, tax))
            by_group.setdefault((category, pack), []).append(sku)
            if len(products) >= wanted:
                break
        if len(products) >= wanted:
            break
    variant = 0
    while len(products) < wanted:
        base = products[variant % len(products)]
        variant += 1
        sku = f"SKU-{len(products) + 1:04d}"
        products.append(Product(sku, gtin13(rng), f"{base.name} (private label)", base.category, base.pack,
                                base.unit, base.units_per_pack, base.tax_category))
        by_group.setdefault((base.category, base.pack), []).append(sku)
    return [Product(p.sku, p.gtin, p.name, p.category, p.pack, p.unit, p.units_per_pack, p.tax_category,
                    tuple(s for s in by_group[(p.category, p.pack)] if s != p.sku)[:3]) for p in products]


def _base_prices(products: list[Product], rng: random.Random) -> dict[str, Decimal]:
    listed = {f"{name} {pack}": Decimal(price) for _c, name, _t, packs in PRODUCT_LINES
              for pack, _u, _n, price in packs}
    return {p.sku: listed.get(p.name, (listed.get(p.name.removesuffix(" (private label)"), Decimal("12.00"))
                                       * Decimal("0.88")).quantize(Decimal("0.01"))) for p in products}


def build_price_lists(products: list[Product], start: date, rng: random.Random,
                      chains: list[Customer]) -> list[PriceList]:
    base = _base_prices(products, rng)
    lists = [PriceList(f"PL-{ccy}", ccy, start - timedelta(days=365), None, Scope(),
                       {sku: (p * rate).quantize(Decimal("0.01")) for sku, p in base.items()})
             for ccy, rate in FX_TO_LOCAL.items()]
    lists.append(PriceList("PL-EUR-WHOLESALE", "EUR", start - timedelta(days=180), None,
                           Scope(segments=(Segment.WHOLESALER,)),
                           {sku: (p * Decimal("0.92")).quantize(Decimal("0.01")) for sku, p in base.items()}))
    for chain in chains[:6]:
        contract = {sku: (base[sku] * FX_TO_LOCAL[chain.currency] * Decimal(rng.choice(["0.88", "0.90", "0.93"])))
                    .quantize(Decimal("0.01")) for sku in rng.sample(sorted(base), 40)}
        lists.append(PriceList(f"PL-{chain.id}", chain.currency, start - timedelta(days=90), None,
                               Scope(customers=(chain.id,)), contract))
    return lists


def build_promotions(products: list[Product], start: date, days: int, rng: random.Random) -> list[Promotion]:
    promos = []
    for n in range(8):
        begin = start + timedelta(days=rng.randint(-10, max(1, days - 5)))
        skus = tuple(sorted(p.sku for p in rng.sample(products, 4)))
        segment = rng.choice([(), (Segment.HORECA,), (Segment.RETAIL_CHAIN,), (Segment.WHOLESALER,)])
        promos.append(Promotion(f"PROMO-{n + 1:03d}", f"Autumn deal {n + 1}", skus,
                                Decimal(rng.choice(["5", "7.5", "10", "15"])), begin,
                                begin + timedelta(days=rng.randint(7, 21)), Scope(segments=segment),
                                Decimal(rng.choice(["0", "5", "10"]))))
    return promos


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    roll, acc = rng.random(), 0.0
    for key, share in shares.items():
        acc += share
        if roll < acc:
            return key
    return next(reversed(shares))


def build_customers(rng: random.Random, scenario: Scenario) -> tuple[list[Customer], dict[str, str]]:
    customers: list[Customer] = []
    behaviour: dict[str, str] = {}
    limits = {Segment.RETAIL_CHAIN: 250_000, Segment.WHOLESALER: 90_000, Segment.HORECA: 12_000}
    terms = {Segment.RETAIL_CHAIN: PaymentTerms(60), Segment.WHOLESALER: PaymentTerms(30, 10, Decimal(2)),
             Segment.HORECA: PaymentTerms(14)}
    for segment_name, count in scenario.customers.items():
        segment = Segment(segment_name)
        for _ in range(count):
            cid = f"C{len(customers) + 1:05d}"
            country = _pick(rng, scenario.countries)
            city = rng.choice(CITIES[country])
            name = rng.choice(NAMES[segment]).format(city=city, surname=rng.choice(SURNAMES))
            name = f"{name} {LEGAL[country]}"
            region = US_STATES.get(city) if country == "US" else None
            address = Address(f"{rng.choice(['Main', 'Station', 'Harbour', 'Market', 'Church'])} Street "
                              f"{rng.randint(1, 200)}", city, f"{rng.randint(1000, 9999)}", country, region)
            ship_count = {Segment.RETAIL_CHAIN: 4, Segment.WHOLESALER: 2, Segment.HORECA: 1}[segment]
            ship_tos = tuple(ShipTo(f"{cid}-S{n + 1}", f"{name} – {rng.choice(CITIES[country])} site {n + 1}",
                                    address, gtin13(rng, "54")) for n in range(ship_count))
            ccy = CURRENCY[country]
            tight = rng.random() < scenario.credit_limit_tight_share
            limit = Decimal(limits[segment]) * FX_TO_LOCAL[ccy] * (Decimal("0.3") if tight else 1)
            channel = (Channel.EDI if segment is Segment.RETAIL_CHAIN else
                       Channel.PEPPOL if country in ("NL", "BE") and segment is Segment.WHOLESALER else
                       Channel.EMAIL)
            customers.append(Customer(
                id=cid, name=name, segment=segment, country=country, currency=ccy, language=LANGUAGE[country],
                bill_to=address, ship_tos=ship_tos, terms=terms[segment],
                credit_limit=Money(limit.quantize(Decimal(1)), ccy), preferred_channel=channel,
                vat_id=_vat_id(rng, country), gln=gtin13(rng, "87"),
                email=f"ap@{cid.lower()}.example", bank_accounts=(_iban(rng, country),),
                requires_po=segment is not Segment.HORECA))
            behaviour[cid] = "chronic" if tight else _pick(rng, {k: b.share for k, b in
                                                                 scenario.payment_behaviour.items()})
    return customers, behaviour


def build_world(scenario: Scenario) -> World:
    rng = random.Random(scenario.seed)
    customers, behaviour = build_customers(rng, scenario)
    products = build_products(rng, scenario.products)
    chains = [c for c in customers if c.segment is Segment.RETAIL_CHAIN]
    world = World(
        customers=customers, products=products,
        price_lists=build_price_lists(products, scenario.start_date, rng, chains),
        promotions=build_promotions(products, scenario.start_date, scenario.days, rng),
        carriers={"DHLF": {"name": "DHL Freight", "days": 2}, "DSV": {"name": "DSV Road", "days": 2},
                  "KN": {"name": "Kuehne+Nagel", "days": 3}, "PNLP": {"name": "PostNL Pallets", "days": 1}},
        warehouses={"RTM": {"name": "Rotterdam DC", "country": "NL"}, "ANR": {"name": "Antwerp DC", "country": "BE"},
                    "DUI": {"name": "Duisburg DC", "country": "DE"}},
        behaviour=behaviour,
    )
    fx = {ccy: start for ccy, (start, _vol) in scenario.fx.items()}
    for n in range(-HISTORY_DAYS, scenario.days + 1):
        day = scenario.start_date + timedelta(days=n)
        for ccy, (_start, vol) in scenario.fx.items():
            step = Decimal(str(round(rng.gauss(0, 1), 4))) * vol
            fx[ccy] = (fx[ccy] * (1 + step)).quantize(Decimal("0.0001"))
        world.fx_path[day] = dict(fx)
    add_billing_agreements(world, scenario)
    return world


def add_billing_agreements(world: World, scenario: Scenario) -> None:
    """Contracts, header terms and volume rebates; then a few master-data errors for billing to catch.

    Drawn from a generator of its own, so the rest of the world is the same with or without them.
    ``billing_errors`` names each injected error (customer or price list -> what is wrong).
    """
    rng = random.Random(scenario.seed * 31337 + 5)
    chains = [c for c in world.customers if c.segment is Segment.RETAIL_CHAIN]
    wholesalers = [c for c in world.customers if c.segment is Segment.WHOLESALER]
    for pl in world.price_lists:
        if pl.scope.customers:
            world.contracts[pl.scope.customers[0]] = dict(pl.prices)
    local = {c.id: FX_TO_LOCAL[c.currency] for c in world.customers}
    for cu in chains:
        world.invoice_terms[cu.id] = InvoiceTerms(pallet_cases=Decimal(300), pallet_discount_percent=Decimal("1.5"))
    for cu in (c for c in world.customers if c.segment is Segment.HORECA and rng.random() < 0.5):
        world.invoice_terms[cu.id] = InvoiceTerms(small_drop_below=(150 * local[cu.id]).quantize(Decimal(1)),
                                                  small_drop_charge=(Decimal("12.50") * local[cu.id])
                                                  .quantize(Decimal("0.01")))
    end = scenario.start_date + timedelta(days=13)
    for n, cu in enumerate(chains[:8] + wholesalers[:6], start=1):
        steps = ((5000, "1"), (15000, "2"), (30000, "3")) if cu.segment is Segment.RETAIL_CHAIN else \
            ((2000, "1"), (6000, "2"))
        tiers = tuple(Tier((threshold * local[cu.id]).quantize(Decimal(1)), Decimal(pct)) for threshold, pct in steps)
        world.rebates.append(RebateAgreement(f"RB-{n:03d}", cu.id, cu.currency, scenario.start_date, end, tiers))
    _inject_master_data_errors(world, rng)


def _inject_master_data_errors(world: World, rng: random.Random) -> None:
    """Stale prices on two contract price lists, and one customer each with a billing master-data gap."""
    by_id = {c.id: c for c in world.customers}
    for pl in [pl for pl in world.price_lists if pl.scope.customers][:2]:
        stale = sorted(rng.sample(sorted(pl.prices), 6))
        prices = {sku: (p * Decimal("1.04")).quantize(Decimal("0.01")) if sku in stale else p
                  for sku, p in pl.prices.items()}
        world.price_lists[world.price_lists.index(pl)] = replace(pl, prices=prices)
        world.billing_errors[pl.id] = f"stale prices for {', '.join(stale)}"
    gaps = {
        "peppol_endpoint": (lambda c: c.preferred_channel is Channel.PEPPOL,
                            lambda c: replace(c, gln=(c.gln or "")[:12] + str((int((c.gln or "0")[-1]) + 1) % 10),
                                              vat_id=None)),
        "vat_id_format": (lambda c: c.country in ("DE", "FR", "BE"), lambda c: replace(c, vat_id=(c.vat_id or "")[:-2])),
        "us_state": (lambda c: c.country == "US", lambda c: replace(c, bill_to=replace(c.bill_to, region=None))),
        "email": (lambda c: c.preferred_channel is Channel.EMAIL, lambda c: replace(c, email=None)),
    }
    for name, (fits, broken) in gaps.items():
        candidates = [c for c in world.customers if fits(c) and c.id not in world.billing_errors]
        if candidates:
            victim = rng.choice(candidates)
            by_id[victim.id] = broken(victim)
            world.billing_errors[victim.id] = name
    world.customers[:] = [by_id[c.id] for c in world.customers]


def load_billing_terms(uow: UnitOfWork, world: World) -> None:
    """Store the world's contracts, header terms and rebate agreements in billing's tables."""
    store = BillingStore(uow.conn)
    currencies = {c.id: c.currency for c in world.customers}
    for customer_id, prices in sorted(world.contracts.items()):
        store.put_contract_prices(customer_id, currencies[customer_id], prices)
    for customer_id, terms in sorted(world.invoice_terms.items()):
        store.put_terms(customer_id, terms)
    for agreement in world.rebates:
        store.add_rebate(agreement)
