"""A real Tryton for tests: a copy of the cached, activated template database served by ``trytond`` on
loopback, and helpers that enter customer data in it over XML-RPC the way a Tryton user would."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from o2c.adapters.erp.tryton.client import TrytonClient
from o2c.adapters.erp.tryton.local import PASSWORD, LocalTryton

TrytonServer = LocalTryton
__all__ = ["PASSWORD", "Clerk", "TrytonServer"]


class Clerk:
    """Enters data in Tryton over XML-RPC, as a Tryton user would in the client."""

    def __init__(self, client: TrytonClient) -> None:
        self.client = client

    def rows(self, model: str, domain: list[Any], fields: list[str]) -> list[dict[str, Any]]:
        return list(self.client.call(model, "search_read", domain, 0, None, None, fields))

    def id_of(self, model: str, domain: list[Any]) -> int:
        return int(self.rows(model, domain, ["id"])[0]["id"])

    def party(
        self,
        code: str,
        name: str,
        *,
        city: str = "Amsterdam",
        vat: str | None = None,
        email: str | None = None,
    ) -> int:
        country = self.id_of("country.country", [("code", "=", "NL")])
        values: dict[str, Any] = {
            "code": code,
            "name": name,
            "customer_payment_term": self.id_of("account.invoice.payment_term", [("name", "=", "Net 30")]),
            "addresses": [
                ("create", [{"street": "Dam 1", "city": city, "postal_code": "1012JS", "country": country}])
            ],
        }
        if vat:
            values["identifiers"] = [("create", [{"type": "eu_vat", "code": vat}])]
        if email:
            values["contact_mechanisms"] = [("create", [{"type": "email", "value": email}])]
        return int(self.client.call("party.party", "create", [values])[0])

    def product(self, code: str, name: str, price: Decimal) -> int:
        unit = self.id_of("product.uom", [("symbol", "=", "u")])
        category = self.id_of("product.category", [("name", "=", "Goods")])
        (template,) = self.client.call(
            "product.template",
            "create",
            [
                {
                    "name": name,
                    "type": "goods",
                    "default_uom": unit,
                    "list_price": price,
                    "salable": True,
                    "sale_uom": unit,
                    "account_category": category,
                    "code": code,
                    "products": [("create", [{}])],
                }
            ],
        )
        return self.id_of("product.product", [("template", "=", template)])

    def invoice(self, party_code: str, amount: Decimal, on: date) -> str:
        party = self.rows("party.party", [("code", "=", party_code)], ["addresses", "customer_payment_term"])[
            0
        ]
        receivable = self.rows("account.configuration", [], ["default_account_receivable"])[0]
        revenue = self.rows("product.category", [("name", "=", "Goods")], ["account_revenue"])[0][
            "account_revenue"
        ]
        (invoice,) = self.client.call(
            "account.invoice",
            "create",
            [
                {
                    "type": "out",
                    "party": party["id"],
                    "invoice_address": party["addresses"][0],
                    "account": receivable["default_account_receivable"],
                    "payment_term": party["customer_payment_term"],
                    "invoice_date": on,
                    "journal": self.id_of("account.journal", [("type", "=", "revenue")]),
                    "lines": [
                        (
                            "create",
                            [
                                {
                                    "type": "line",
                                    "quantity": 1.0,
                                    "unit_price": amount,
                                    "account": revenue,
                                    "description": "Goods",
                                }
                            ],
                        )
                    ],
                }
            ],
        )
        self.accept_warning(f"account.invoice,{invoice}", "invoice_payment_term")
        self.client.call("account.invoice", "post", [invoice])
        return str(self.rows("account.invoice", [("id", "=", invoice)], ["number"])[0]["number"])

    def pay_at_the_counter(self, number: str, amount: Decimal, on: date) -> None:
        """A person in Tryton books cash received for invoice ``number`` on a posted bank statement."""
        invoice = self.rows("account.invoice", [("number", "=", number)], ["party", "account"])[0]
        journal = self.id_of("account.statement.journal", [])
        (statement,) = self.client.call(
            "account.statement",
            "create",
            [
                {
                    "name": f"counter {number} {amount}",
                    "journal": journal,
                    "date": on,
                    "total_amount": amount,
                    "start_balance": Decimal(0),
                    "end_balance": amount,
                    "lines": [
                        (
                            "create",
                            [
                                {
                                    "number": "1",
                                    "date": on,
                                    "amount": amount,
                                    "party": invoice["party"],
                                    "account": invoice["account"],
                                    "related_to": f"account.invoice,{invoice['id']}",
                                    "description": f"cash {number}",
                                }
                            ],
                        )
                    ],
                }
            ],
        )
        self.client.call("account.statement", "validate_statement", [statement])
        self.client.call("account.statement", "post", [statement])

    def manual_charge(self, party_code: str, amount: Decimal, on: date) -> None:
        """A person posts a receivable for the party by hand (a journal entry, no invoice)."""
        party = self.id_of("party.party", [("code", "=", party_code)])
        receivable = self.rows("account.configuration", [], ["default_account_receivable"])[0]
        revenue = self.rows("product.category", [("name", "=", "Goods")], ["account_revenue"])[0]
        journal = self.id_of("account.journal", [("type", "=", "revenue")])
        period = self.id_of(
            "account.period", [("start_date", "<=", on), ("end_date", ">=", on), ("type", "=", "standard")]
        )
        (move,) = self.client.call(
            "account.move",
            "create",
            [
                {
                    "journal": journal,
                    "period": period,
                    "date": on,
                    "lines": [
                        (
                            "create",
                            [
                                {
                                    "account": receivable["default_account_receivable"],
                                    "party": party,
                                    "debit": amount,
                                    "credit": Decimal(0),
                                    "maturity_date": on,
                                },
                                {
                                    "account": revenue["account_revenue"],
                                    "debit": Decimal(0),
                                    "credit": amount,
                                },
                            ],
                        )
                    ],
                }
            ],
        )
        self.client.call("account.move", "post", [move])

    def accept_warning(self, record: str, name: str) -> None:
        """Answer "yes" ahead to Tryton's warning ``name`` about ``record`` (here: a due date in the past),
        as a user does in the client: a ``res.user.warning`` keyed as ``Warning.format`` keys it."""
        user = self.id_of("res.user", [("login", "=", "admin")])
        key = f"{hashlib.md5(record.encode()).hexdigest()}.{name}"
        self.client.call("res.user.warning", "create", [{"user": user, "name": key, "always": False}])

    def invoice_state(self, number: str) -> str:
        return str(self.rows("account.invoice", [("number", "=", number)], ["state"])[0]["state"])
