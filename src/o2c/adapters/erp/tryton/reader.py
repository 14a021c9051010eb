"""Reading Tryton's books into o2c's domain: parties as customers, products, posted customer invoices
and credit notes as open items, open receivable lines, sale orders with their shipments, and payments
Tryton already reconciled.

Bulk reads use ``search_read`` with explicit fields (one call per model), never record-by-record reads.
A party's o2c id is its Tryton code; an invoice's document is its Tryton number. What Tryton does not
hold (segment, credit limit, channel, ship-tos) is kept from o2c's stored customer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from o2c.adapters.erp.tryton.client import TrytonClient
from o2c.domain.catalog import Product
from o2c.domain.customers import Address, Customer, PaymentTerms, Segment
from o2c.domain.money import Money
from o2c.domain.onboarding import OpeningItem, PriceRecord
from o2c.ports.system_of_record import ReceivableLine, SaleOrderState, SettledPayment, Snapshot

NEW_CUSTOMER_CREDIT_LIMIT = Decimal(10_000)
"""Credit limit of a customer first seen in Tryton (Tryton's core modules keep none); change it in o2c."""

O2C_INVOICE = "o2c-invoice:"
"""Description of an invoice o2c issued and pushed; o2c knows it by the number that follows."""

PRICE_LIST = "TRYTON"
"""The price list that holds Tryton's list prices in o2c (valid for any date, every customer)."""
PRICES_FROM = date(2000, 1, 1)

RECEIVABLE_OPEN = [
    ("account.type.receivable", "=", True),
    ("reconciliation", "=", None),
    ("party", "!=", None),
    ("move.state", "=", "posted"),
]


def changed_since(since: datetime | None) -> list[Any]:
    if since is None:
        return []
    return [["OR", ("write_date", ">=", since), ("create_date", ">=", since)]]


class TrytonReader:
    def __init__(self, client: TrytonClient) -> None:
        self.client = client

    def rows(self, model: str, domain: list[Any], fields: list[str]) -> list[dict[str, Any]]:
        return list(self.client.call(model, "search_read", domain, 0, None, [("id", "ASC")], fields))

    def company(self) -> dict[str, Any]:
        (company,) = self.rows("company.company", [], ["party", "currency"])
        (currency,) = self.rows("currency.currency", [("id", "=", company["currency"])], ["code"])
        return {"party": company["party"], "currency": currency["code"]}

    def read(self, since: datetime | None, known: dict[str, Customer]) -> Snapshot:
        company = self.company()
        codes = self.party_codes()
        stamps: list[datetime] = []
        customers = self.customers(since, known, company, stamps)
        products = self.product_rows(since, stamps)
        snapshot = Snapshot(
            customers=customers,
            products=tuple(_product(r) for r in products),
            invoices=self.invoices(since, codes, stamps),
            receivables=self.receivables(codes, company["currency"]),
            sales=self.sales(since, codes, stamps),
            payments=self.payments(since, codes, company["currency"], stamps),
            read_at=max(stamps, default=since or datetime(1970, 1, 1)),
            prices=tuple(
                PriceRecord(
                    PRICE_LIST, company["currency"], r["code"], Decimal(r["list_price_used"]), PRICES_FROM
                )
                for r in products
                if r["list_price_used"] is not None
            ),
        )
        return snapshot

    def party_codes(self) -> dict[int, str]:
        return {r["id"]: r["code"] for r in self.rows("party.party", [], ["code"])}

    # --- parties -----------------------------------------------------------------------------------

    def customers(
        self,
        since: datetime | None,
        known: dict[str, Customer],
        company: dict[str, Any],
        stamps: list[datetime],
    ) -> tuple[Customer, ...]:
        parties = self.rows(
            "party.party",
            [("id", "!=", company["party"]), *changed_since(since)],
            ["code", "name", "customer_payment_term", "write_date", "create_date"],
        )
        if not parties:
            return ()
        stamps.extend(_stamp(p) for p in parties)
        ids = [p["id"] for p in parties]
        addresses = _by_party(
            self.rows(
                "party.address", [("party", "in", ids)], ["party", "street", "city", "postal_code", "country"]
            )
        )
        countries = {r["id"]: r["code"] for r in self.rows("country.country", [], ["code"])}
        identifiers = _by_party(
            self.rows("party.identifier", [("party", "in", ids)], ["party", "type", "code"])
        )
        contacts = _by_party(
            self.rows("party.contact_mechanism", [("party", "in", ids)], ["party", "type", "value"])
        )
        terms = {r["id"]: r["name"] for r in self.rows("account.invoice.payment_term", [], ["name"])}
        found = []
        for party in parties:
            address = next(iter(addresses.get(party["id"], [])), None)
            found.append(
                _customer(
                    party,
                    address,
                    countries,
                    identifiers.get(party["id"], []),
                    contacts.get(party["id"], []),
                    terms,
                    known.get(party["code"]),
                    company["currency"],
                )
            )
        return tuple(found)

    # --- products ----------------------------------------------------------------------------------

    def product_rows(self, since: datetime | None, stamps: list[datetime]) -> list[dict[str, Any]]:
        """Products with a code, changed since ``since`` (a new list price changes their template)."""
        changed = (
            []
            if since is None
            else [
                [
                    "OR",
                    ("write_date", ">=", since),
                    ("create_date", ">=", since),
                    ("template.write_date", ">=", since),
                ]
            ]
        )
        rows = self.rows(
            "product.product",
            [("code", "!=", None), *changed],
            ["code", "name", "active", "list_price_used", "write_date", "create_date", "template.write_date"],
        )
        stamps.extend(_stamp(r) for r in rows)
        stamps.extend(
            r["template."]["write_date"] for r in rows if (r.get("template.") or {}).get("write_date")
        )
        return rows

    # --- invoices and receivables ------------------------------------------------------------------

    def invoices(
        self, since: datetime | None, codes: dict[int, str], stamps: list[datetime]
    ) -> tuple[OpeningItem, ...]:
        rows = self.rows(
            "account.invoice",
            [("type", "=", "out"), ("state", "in", ["posted", "paid"]), *changed_since(since)],
            [
                "number",
                "description",
                "party",
                "currency",
                "total_amount",
                "amount_to_pay",
                "invoice_date",
                "move",
                "write_date",
                "create_date",
            ],
        )
        stamps.extend(_stamp(r) for r in rows)
        if not rows:
            return ()
        currencies = {r["id"]: r["code"] for r in self.rows("currency.currency", [], ["code"])}
        due = self._due_dates([r["move"] for r in rows if r["move"]])
        items = []
        for r in rows:
            currency = currencies[r["currency"]]
            total, open_ = abs(Decimal(r["total_amount"])), abs(Decimal(r["amount_to_pay"]))
            items.append(
                OpeningItem(
                    document=o2c_document(r),
                    customer_id=codes[r["party"]],
                    kind="credit_note" if Decimal(r["total_amount"]) < 0 else "invoice",
                    original=Money(total, currency),
                    open=Money(open_, currency),
                    functional=Money(open_, currency),
                    invoice_date=r["invoice_date"],
                    due_date=due.get(r["move"], r["invoice_date"]),
                )
            )
        return tuple(items)

    def _due_dates(self, moves: list[int]) -> dict[int, date]:
        lines = self.rows(
            "account.move.line",
            [("move", "in", moves), ("account.type.receivable", "=", True)],
            ["move", "maturity_date"],
        )
        return {line["move"]: line["maturity_date"] for line in lines if line["maturity_date"]}

    def receivables(self, codes: dict[int, str], currency: str) -> tuple[ReceivableLine, ...]:
        lines = self.rows(
            "account.move.line",
            RECEIVABLE_OPEN,
            ["party", "debit", "credit", "maturity_date", "move_origin", "move"],
        )
        invoices = self._invoice_numbers([line["move_origin"] for line in lines])
        return tuple(
            ReceivableLine(
                codes[line["party"]],
                invoices.get(line["move_origin"] or "", f"move {line['move']}"),
                Money(Decimal(line["debit"]) - Decimal(line["credit"]), currency),
                line["maturity_date"],
            )
            for line in lines
        )

    def _invoice_numbers(self, origins: list[str | None]) -> dict[str, str]:
        ids = [int(o.split(",")[1]) for o in origins if o and o.startswith("account.invoice,")]
        if not ids:
            return {}
        return {
            f"account.invoice,{r['id']}": o2c_document(r)
            for r in self.rows("account.invoice", [("id", "in", ids)], ["number", "description"])
        }

    # --- sales and payments ------------------------------------------------------------------------

    def sales(
        self, since: datetime | None, codes: dict[int, str], stamps: list[datetime]
    ) -> tuple[SaleOrderState, ...]:
        rows = self.rows(
            "sale.sale",
            changed_since(since),
            ["reference", "number", "party", "state", "shipments", "write_date", "create_date"],
        )
        stamps.extend(_stamp(r) for r in rows)
        shipment_ids = [s for r in rows for s in r["shipments"]]
        shipments = {
            r["id"]: f"{r['number']}:{r['state']}"
            for r in self.rows("stock.shipment.out", [("id", "in", shipment_ids)], ["number", "state"])
        }
        return tuple(
            SaleOrderState(
                r["reference"] or r["number"] or str(r["id"]),
                codes[r["party"]],
                r["state"],
                tuple(shipments[s] for s in r["shipments"]),
            )
            for r in rows
        )

    def payments(
        self, since: datetime | None, codes: dict[int, str], currency: str, stamps: list[datetime]
    ) -> tuple[SettledPayment, ...]:
        lines = self.rows(
            "account.move.line",
            [
                ("account.type.receivable", "=", True),
                ("credit", ">", 0),
                ("reconciliation", "!=", None),
                ("party", "!=", None),
                *changed_since(since),
            ],
            ["party", "credit", "date", "description", "write_date", "create_date"],
        )
        stamps.extend(_stamp(r) for r in lines)
        return tuple(
            SettledPayment(
                line["description"] or "",
                codes[line["party"]],
                Money(Decimal(line["credit"]), currency),
                line["date"],
            )
            for line in lines
        )


def o2c_document(invoice: dict[str, Any]) -> str:
    """The document number o2c knows a Tryton invoice by: o2c's own for one o2c issued, else Tryton's."""
    description = invoice.get("description") or ""
    return description.removeprefix(O2C_INVOICE) if description.startswith(O2C_INVOICE) else invoice["number"]


def _stamp(row: dict[str, Any]) -> datetime:
    return row.get("write_date") or row["create_date"]


def _product(row: dict[str, Any]) -> Product:
    return Product(
        sku=row["code"],
        gtin="",
        name=row["name"],
        category="goods",
        pack="unit",
        unit="unit",
        units_per_pack=1,
        tax_category="standard",
        active=row["active"],
    )


def _by_party(rows: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["party"]].append(row)
    return grouped


def _customer(
    party: dict[str, Any],
    address: dict[str, Any] | None,
    countries: dict[int, str],
    identifiers: list[dict[str, Any]],
    contacts: list[dict[str, Any]],
    terms: dict[int, str],
    stored: Customer | None,
    currency: str,
) -> Customer:
    country = countries.get(address["country"]) if address and address["country"] else None
    bill_to = Address(
        street=(address or {}).get("street") or "",
        city=(address or {}).get("city") or "",
        postcode=(address or {}).get("postal_code") or "",
        country=country or (stored.country if stored else ""),
    )
    vat = next((i["code"] for i in identifiers if i["type"] and i["type"].endswith("vat")), None)
    gln = next((i["code"] for i in identifiers if i["type"] == "gln"), None)
    email = next((c["value"] for c in contacts if c["type"] == "email"), None)
    term = terms.get(party["customer_payment_term"]) if party["customer_payment_term"] else None
    days = re.search(r"\d+", term or "")
    net = PaymentTerms(int(days.group())) if days else (stored.terms if stored else PaymentTerms(30))
    if stored is not None:
        return replace(
            stored,
            name=party["name"],
            country=bill_to.country,
            bill_to=bill_to,
            terms=net,
            vat_id=vat,
            gln=gln or stored.gln,
            email=email,
        )
    return Customer(
        id=party["code"],
        name=party["name"],
        segment=Segment.WHOLESALER,
        country=bill_to.country,
        currency=currency,
        language="en",
        bill_to=bill_to,
        ship_tos=(),
        terms=net,
        credit_limit=Money(NEW_CUSTOMER_CREDIT_LIMIT, currency),
        vat_id=vat,
        gln=gln,
        email=email,
    )
