"""Tryton as o2c's system of record: reads through ``TrytonReader``, pushes o2c's decisions as Tryton
documents. Every push first looks for its idempotency key (kept in the document's name or description)
and only writes what is not there yet, so a push retried after an outage lands once.

- an invoice o2c issued: a posted customer invoice (description = key, reference = o2c's number, by
  which o2c finds it again; Tryton's warning that its due date is past is answered as a user would);
- a payment application: an ``account.statement`` (named by the key) with one line per invoice, related
  to it, validated and posted: Tryton reconciles the lines and the invoice turns ``paid``;
- a sale: a ``sale.sale`` (description = key) quoted then confirmed;
- a short pay, write-off or credit note: a posted customer credit note (description = key);
- a dunning level: ``account.dunning`` on the invoice's receivable line, at the level's sequence;
- a credit hold: a note appended to the sale's comment (the order entered as a draft sale first when
  Tryton does not hold it yet; its confirmation later quotes and confirms that same sale).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any

from o2c.adapters.erp.tryton.client import TrytonClient
from o2c.adapters.erp.tryton.reader import O2C_INVOICE, RECEIVABLE_OPEN, TrytonReader
from o2c.adapters.erp.tryton.setup import DUNNING_PROCEDURE, STATEMENT_JOURNAL
from o2c.domain.customers import Customer
from o2c.domain.errors import DomainError
from o2c.ports.system_of_record import (
    AdjustmentPush,
    CreditHoldPush,
    DunningPush,
    InvoicePush,
    PaymentPush,
    SalePush,
    Snapshot,
)

REVENUE_CATEGORY = "Goods"
"""The product category whose revenue account takes the invoices o2c issued (o2c's Tryton setup makes it)."""


class TrytonBooks:
    name = "tryton"

    def __init__(self, client: TrytonClient) -> None:
        self.client = client
        self.reader = TrytonReader(client)

    def read(self, since: datetime | None, known: dict[str, Customer]) -> Snapshot:
        return self.reader.read(since, known)

    def _one(self, model: str, domain: list[Any], fields: list[str]) -> dict[str, Any] | None:
        rows = self.reader.rows(model, domain, fields)
        return rows[0] if rows else None

    def _party(self, code: str) -> dict[str, Any]:
        party = self._one(
            "party.party", [("code", "=", code)], ["account_receivable", "addresses", "customer_payment_term"]
        )
        if party is None:
            raise DomainError(f"no party {code!r} in Tryton")
        return {**party, "receivable": party["account_receivable"] or self._default_receivable()}

    def _default_receivable(self) -> int:
        configuration = self._one("account.configuration", [], ["default_account_receivable"])
        if configuration is None or not configuration["default_account_receivable"]:
            raise DomainError("Tryton has no default receivable account (run o2c's Tryton setup)")
        return int(configuration["default_account_receivable"])

    def _invoice(self, number: str) -> dict[str, Any]:
        """The customer invoice o2c knows as ``number``: one o2c pushed under that number, else the one
        Tryton numbered so (o2c's and Tryton's numbering may look alike)."""
        fields = ["party", "state", "move", "amount_to_pay", "account"]
        invoice = self._one(
            "account.invoice", [("type", "=", "out"), ("description", "=", f"{O2C_INVOICE}{number}")], fields
        ) or self._one(
            "account.invoice",
            [("type", "=", "out"), ("number", "=", number), ("description", "not like", f"{O2C_INVOICE}%")],
            fields,
        )
        if invoice is None:
            raise DomainError(f"no customer invoice {number!r} in Tryton")
        return invoice

    # --- invoices ----------------------------------------------------------------------------------

    def push_invoice(self, invoice: InvoicePush) -> str:
        found = self._one(
            "account.invoice",
            [
                ("description", "=", invoice.key),
                ("type", "=", "out"),
                ("party.code", "=", invoice.customer_id),
            ],
            ["state"],
        )
        invoice_id = found["id"] if found else self._new_invoice(invoice)
        if not found or found["state"] in ("draft", "validated"):
            self._accept_past_due_warning(invoice_id)
            self.client.call("account.invoice", "post", [invoice_id])
        return f"account.invoice,{invoice_id}"

    def _new_invoice(self, invoice: InvoicePush) -> int:
        party = self._party(invoice.customer_id)
        if not party["addresses"]:
            raise DomainError(f"party {invoice.customer_id} has no address in Tryton")
        revenue = self._one("product.category", [("name", "=", REVENUE_CATEGORY)], ["account_revenue"])
        journal = self._one("account.journal", [("type", "=", "revenue")], ["id"])
        currency = self._one("currency.currency", [("code", "=", invoice.gross.currency)], ["id"])
        if revenue is None or journal is None or currency is None:
            raise DomainError(f"Tryton has no revenue account, journal or currency {invoice.gross.currency}")
        parts = [
            ("goods and services", invoice.net.amount),
            ("tax and charges", invoice.gross.amount - invoice.net.amount),
        ]
        lines = [
            {
                "type": "line",
                "quantity": 1.0,
                "unit_price": amount,
                "account": revenue["account_revenue"],
                "description": text,
            }
            for text, amount in parts
            if amount
        ]
        (invoice_id,) = self.client.call(
            "account.invoice",
            "create",
            [
                {
                    "type": "out",
                    "journal": journal["id"],
                    "party": party["id"],
                    "invoice_address": party["addresses"][0],
                    "account": party["receivable"],
                    "currency": currency["id"],
                    "invoice_date": invoice.issued_on,
                    "payment_term": party["customer_payment_term"],
                    "description": invoice.key,
                    "reference": invoice.order_reference or invoice.document,
                    "lines": [("create", lines)],
                }
            ],
        )
        return int(invoice_id)

    def _accept_past_due_warning(self, invoice_id: int) -> None:
        """o2c issued the invoice already: answer Tryton's "payment date in the past" warning ahead, as a
        user does in the client (a ``res.user.warning`` keyed as ``Warning.format`` keys it)."""
        (user,) = self.reader.rows("res.user", [("login", "=", "admin")], ["id"]) or [{"id": None}]
        key = f"{hashlib.md5(f'account.invoice,{invoice_id}'.encode()).hexdigest()}.invoice_payment_term"
        if user["id"] is not None and not self._one("res.user.warning", [("name", "=", key)], ["id"]):
            self.client.call(
                "res.user.warning", "create", [{"user": user["id"], "name": key, "always": False}]
            )

    # --- payments ----------------------------------------------------------------------------------

    def push_payment(self, payment: PaymentPush) -> str:
        statement = self._one("account.statement", [("name", "=", payment.key)], ["state"])
        if statement is None:
            statement = {"id": self._new_statement(payment), "state": "draft"}
        if statement["state"] == "draft":
            self.client.call("account.statement", "validate_statement", [statement["id"]])
            statement["state"] = "validated"
        if statement["state"] == "validated":
            self.client.call("account.statement", "post", [statement["id"]])
        return f"account.statement,{statement['id']}"

    def _new_statement(self, payment: PaymentPush) -> int:
        journal = self._one("account.statement.journal", [("name", "=", STATEMENT_JOURNAL)], ["id"])
        if journal is None:
            raise DomainError(
                f"Tryton has no statement journal {STATEMENT_JOURNAL!r} (run o2c's Tryton setup)"
            )
        party = self._party(payment.customer_id)
        lines = []
        for n, (document, amount) in enumerate(zip(payment.documents, payment.amounts, strict=True), start=1):
            invoice = self._invoice(document)
            lines.append(
                {
                    "number": f"{n}",
                    "date": payment.received_on,
                    "amount": amount.amount,
                    "party": invoice["party"],
                    "account": party["receivable"],
                    "related_to": f"account.invoice,{invoice['id']}",
                    "description": f"{payment.description} {document}"[:200],
                }
            )
        total = sum((a.amount for a in payment.amounts), Decimal(0))
        (statement_id,) = self.client.call(
            "account.statement",
            "create",
            [
                {
                    "name": payment.key,
                    "journal": journal["id"],
                    "date": payment.received_on,
                    "total_amount": total,
                    "start_balance": Decimal(0),
                    "end_balance": total,
                    "lines": [("create", lines)],
                }
            ],
        )
        return int(statement_id)

    # --- sales -------------------------------------------------------------------------------------

    def push_sale(self, sale: SalePush) -> str:
        found = self._one(
            "sale.sale", [("description", "=", sale.key), ("party.code", "=", sale.customer_id)], ["state"]
        )
        sale_id = found["id"] if found else self._new_sale(sale)
        state = found["state"] if found else "draft"
        if state == "draft":
            self.client.call("sale.sale", "quote", [sale_id])
            state = "quotation"
        if state == "quotation":
            self.client.call("sale.sale", "confirm", [sale_id])
        return f"sale.sale,{sale_id}"

    def _new_sale(self, sale: SalePush) -> int:
        party = self._party(sale.customer_id)
        if not party["addresses"]:
            raise DomainError(f"party {sale.customer_id} has no address in Tryton")
        products = {
            r["code"]: r
            for r in self.reader.rows(
                "product.product",
                [("code", "in", [line.sku for line in sale.lines])],
                ["code", "default_uom"],
            )
        }
        missing = sorted({line.sku for line in sale.lines} - set(products))
        if missing:
            raise DomainError(f"products {', '.join(missing)} are not in Tryton")
        lines = [
            {
                "type": "line",
                "product": products[line.sku]["id"],
                "quantity": float(line.quantity),
                "unit": products[line.sku]["default_uom"],
                "unit_price": line.unit_price.amount,
                "description": line.sku,
            }
            for line in sale.lines
        ]
        (sale_id,) = self.client.call(
            "sale.sale",
            "create",
            [
                {
                    "party": party["id"],
                    "invoice_address": party["addresses"][0],
                    "shipment_address": party["addresses"][0],
                    "payment_term": party["customer_payment_term"],
                    "sale_date": sale.sale_date,
                    "reference": sale.order_reference,
                    "description": sale.key,
                    "lines": [("create", lines)],
                }
            ],
        )
        return int(sale_id)

    def push_credit_hold(self, hold: CreditHoldPush) -> str:
        sale = self._one("sale.sale", [("reference", "=", hold.order_reference)], ["comment"])
        if sale is None and hold.sale is not None:
            found = self._one(
                "sale.sale",
                [("description", "=", hold.sale.key), ("party.code", "=", hold.customer_id)],
                ["comment"],
            )
            sale = found or {"id": self._new_sale(hold.sale), "comment": None}
        if sale is None:
            raise DomainError(f"no sale {hold.order_reference!r} in Tryton to note the credit hold on")
        note = f"[{hold.key}] credit hold: {hold.reason}"
        if note not in (sale["comment"] or ""):
            comment = f"{sale['comment']}\n{note}" if sale["comment"] else note
            self.client.call("sale.sale", "write", [sale["id"]], {"comment": comment})
        return f"sale.sale,{sale['id']}"

    # --- adjustments and dunning -------------------------------------------------------------------

    def push_adjustment(self, adjustment: AdjustmentPush) -> str:
        found = self._one(
            "account.invoice", [("description", "=", adjustment.key), ("type", "=", "out")], ["state"]
        )
        invoice_id = found["id"] if found else self._new_credit_note(adjustment)
        if not found or found["state"] in ("draft", "validated"):
            self.client.call("account.invoice", "post", [invoice_id])
        return f"account.invoice,{invoice_id}"

    def _new_credit_note(self, adjustment: AdjustmentPush) -> int:
        party = self._party(adjustment.customer_id)
        original = self._invoice(adjustment.document)
        revenue = self.reader.rows("account.invoice.line", [("invoice", "=", original["id"])], ["account"])
        journal = self._one("account.journal", [("type", "=", "revenue")], ["id"])
        (invoice_id,) = self.client.call(
            "account.invoice",
            "create",
            [
                {
                    "type": "out",
                    "journal": journal["id"] if journal else None,
                    "party": party["id"],
                    "invoice_address": party["addresses"][0],
                    "account": party["receivable"],
                    "invoice_date": adjustment.on,
                    "payment_term": None,
                    "description": adjustment.key,
                    "reference": adjustment.document,
                    "lines": [
                        (
                            "create",
                            [
                                {
                                    "type": "line",
                                    "quantity": -1.0,
                                    "unit_price": adjustment.amount.amount,
                                    "account": revenue[0]["account"],
                                    "description": f"{adjustment.kind}: {adjustment.reason}"[:200],
                                }
                            ],
                        )
                    ],
                }
            ],
        )
        return int(invoice_id)

    def push_dunning(self, dunning: DunningPush) -> str:
        procedure = self._one("account.dunning.procedure", [("name", "=", DUNNING_PROCEDURE)], ["levels"])
        if procedure is None:
            raise DomainError(f"Tryton has no dunning procedure {DUNNING_PROCEDURE!r}")
        levels = self.reader.rows(
            "account.dunning.level", [("procedure", "=", procedure["id"])], ["sequence"]
        )
        level = sorted(levels, key=lambda r: r["sequence"])[min(dunning.level, len(levels)) - 1]
        touched = []
        for document in dunning.documents:
            invoice = self._invoice(document)
            line = self._one("account.move.line", [("move", "=", invoice["move"]), *RECEIVABLE_OPEN], ["id"])
            if line is None:
                continue
            existing = self._one("account.dunning", [("line", "=", line["id"])], ["level"])
            if existing is None:
                (created,) = self.client.call(
                    "account.dunning",
                    "create",
                    [{"line": line["id"], "procedure": procedure["id"], "level": level["id"]}],
                )
                touched.append(created)
            elif existing["level"] != level["id"]:
                self.client.call("account.dunning", "write", [existing["id"]], {"level": level["id"]})
                touched.append(existing["id"])
        return f"account.dunning,{touched}"
