"""Putting a company's master data into Tryton: customers as parties (code = customer number, address,
e-mail, VAT id, payment term) and products as goods with their list price. For the demo on Tryton and for
a company that moves from o2c's own ledger to Tryton; what is there already (by code) is left alone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from o2c.adapters.erp.tryton.client import TrytonClient
from o2c.adapters.erp.tryton.reader import TrytonReader
from o2c.domain.catalog import Product
from o2c.domain.customers import Customer
from o2c.domain.errors import DomainError

TERMS = "Net 30"
CATEGORY = "Goods"


def put_master_data(
    client: TrytonClient,
    customers: Iterable[Customer],
    products: Iterable[Product],
    list_prices: Mapping[str, Decimal],
) -> dict[str, int]:
    """Parties and products Tryton does not hold yet (by code), in one create call each; their counts."""
    reader = TrytonReader(client)
    have = {r["code"] for r in reader.rows("party.party", [("code", "!=", None)], ["code"])}
    parties = [c for c in customers if c.id not in have]
    if parties:
        countries = {r["code"]: r["id"] for r in reader.rows("country.country", [], ["code"])}
        terms = reader.rows("account.invoice.payment_term", [("name", "=", TERMS)], ["id"])
        term = terms[0]["id"] if terms else None
        client.call("party.party", "create", [_party(c, countries, term) for c in parties])
    known = {r["code"] for r in reader.rows("product.product", [("code", "!=", None)], ["code"])}
    goods = [p for p in products if p.sku not in known and p.sku in list_prices]
    if goods:
        unit, category = _unit_and_category(reader)
        client.call(
            "product.template",
            "create",
            [_template(p, list_prices[p.sku], unit, category) for p in goods],
        )
    return {"parties": len(parties), "products": len(goods)}


def _party(customer: Customer, countries: dict[str, int], term: int | None) -> dict[str, Any]:
    address = customer.bill_to
    values: dict[str, Any] = {
        "code": customer.id,
        "name": customer.name,
        "customer_payment_term": term,
        "addresses": [
            (
                "create",
                [
                    {
                        "street": address.street,
                        "city": address.city,
                        "postal_code": address.postcode,
                        "country": countries.get(address.country),
                    }
                ],
            )
        ],
    }
    if customer.email:
        values["contact_mechanisms"] = [("create", [{"type": "email", "value": customer.email}])]
    return values


def _unit_and_category(reader: TrytonReader) -> tuple[int, int]:
    units = reader.rows("product.uom", [("symbol", "=", "u")], ["id"])
    categories = reader.rows("product.category", [("name", "=", CATEGORY)], ["id"])
    if not units or not categories:
        raise DomainError(f"Tryton has no unit 'u' or product category {CATEGORY!r} (run o2c's Tryton setup)")
    return int(units[0]["id"]), int(categories[0]["id"])


def _template(product: Product, price: Decimal, unit: int, category: int) -> dict[str, Any]:
    return {
        "name": product.name,
        "type": "goods",
        "default_uom": unit,
        "sale_uom": unit,
        "salable": True,
        "list_price": price,
        "account_category": category,
        "code": product.sku,
        "products": [("create", [{}])],
    }
