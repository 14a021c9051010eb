"""Billing's own tables: customer agreements, rebate accruals, billing holds and outbound documents.

- ``billing_agreements``: what was signed beyond the price list, one row per agreement: a volume
  rebate (``kind`` rebate, settled once: ``settled_by`` keeps the credit note), the header terms
  (``terms``: small-drop charge, pallet discount) and the contract prices (``contract``: the prices
  pre-issue validation checks an invoice against);
- ``rebate_accruals``: the expected rebate per agreement and day (a memo beside the ledger, which
  only sees the settlement credit note);
- ``billing_holds``: a delivery whose draft invoice failed pre-issue validation, its findings and the
  fixes applied so far; the delivery is invoiced when the findings are gone;
- ``outbound_documents``: every document handed to a channel (e-mail attachment, EDI interchange,
  Peppol file drop, portal upload); unique per (document, channel), so nothing is sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    delete,
    insert,
    select,
    update,
)

from o2c.adapters.store import tables as t
from o2c.domain.billing_checks import Finding
from o2c.domain.codec import decode, encode
from o2c.domain.money import Money
from o2c.domain.rebates import Accrual, InvoiceTerms, RebateAgreement

billing_agreements = Table(
    "billing_agreements", t.metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("kind", String(16), nullable=False, index=True),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("settled_by", String(32), nullable=True),
    Column("body", JSON, nullable=False),
)

rebate_accruals = Table(
    "rebate_accruals", t.metadata,
    Column("agreement_id", String(32), primary_key=True),
    Column("as_of", Date, primary_key=True),
    Column("currency", String(3), nullable=False),
    Column("volume_minor", BigInteger, nullable=False),
    Column("percent", String(16), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
)

billing_holds = Table(
    "billing_holds", t.metadata,
    Column("delivery_id", String(32), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("status", String(12), nullable=False, index=True),
    Column("findings", JSON, nullable=False),
    Column("fixes", JSON, nullable=False),
    Column("opened_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

outbound_documents = Table(
    "outbound_documents", t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document", String(32), nullable=False, index=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("format", String(16), nullable=False),
    Column("filename", String(120), nullable=False),
    Column("destination", String(200), nullable=False),
    Column("status", String(12), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("content", LargeBinary, nullable=True),
    UniqueConstraint("document", "channel", name="once_per_channel"),
)


@dataclass(frozen=True, slots=True)
class Hold:
    delivery_id: str
    customer_id: str
    status: str
    findings: tuple[Finding, ...]
    fixes: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outbound:
    document: str
    customer_id: str
    channel: str
    format: str
    filename: str
    destination: str
    status: str
    content: bytes | None = None


class BillingStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- agreements ----------------------------------------------------------------------------
    def add_rebate(self, agreement: RebateAgreement) -> None:
        self.conn.execute(insert(billing_agreements).values(
            id=agreement.id, customer_id=agreement.customer_id, kind="rebate", valid_from=agreement.period_start,
            valid_to=agreement.period_end, body=encode(agreement)))

    def rebates(self, *, unsettled: bool = False, customer_id: str | None = None) -> list[RebateAgreement]:
        query = select(billing_agreements.c.body).where(billing_agreements.c.kind == "rebate")
        if unsettled:
            query = query.where(billing_agreements.c.settled_by.is_(None))
        if customer_id:
            query = query.where(billing_agreements.c.customer_id == customer_id)
        rows = self.conn.execute(query.order_by(billing_agreements.c.id)).scalars()
        return [decode(RebateAgreement, body) for body in rows]

    def rebate(self, agreement_id: str) -> tuple[RebateAgreement, str | None] | None:
        row = self.conn.execute(select(billing_agreements.c.body, billing_agreements.c.settled_by).where(
            billing_agreements.c.id == agreement_id, billing_agreements.c.kind == "rebate")).first()
        return None if row is None else (decode(RebateAgreement, row.body), row.settled_by)

    def mark_settled(self, agreement_id: str, document: str) -> None:
        self.conn.execute(update(billing_agreements).where(billing_agreements.c.id == agreement_id)
                          .values(settled_by=document))

    def put_terms(self, customer_id: str, terms: InvoiceTerms) -> None:
        self._replace(f"TERMS-{customer_id}", customer_id, "terms", encode(terms))

    def terms(self, customer_id: str) -> InvoiceTerms | None:
        body = self._body(f"TERMS-{customer_id}")
        return None if body is None else decode(InvoiceTerms, body)

    def put_contract_prices(self, customer_id: str, currency: str, prices: dict[str, Decimal]) -> None:
        self._replace(f"CONTRACT-{customer_id}", customer_id, "contract",
                      {"currency": currency, "prices": {sku: str(p) for sku, p in sorted(prices.items())}})

    def contract_prices(self, customer_id: str, currency: str) -> dict[str, Decimal]:
        body = self._body(f"CONTRACT-{customer_id}")
        if body is None or body["currency"] != currency:
            return {}
        return {sku: Decimal(p) for sku, p in body["prices"].items()}

    def _replace(self, key: str, customer_id: str, kind: str, body: dict[str, Any]) -> None:
        self.conn.execute(delete(billing_agreements).where(billing_agreements.c.id == key))
        self.conn.execute(insert(billing_agreements).values(id=key, customer_id=customer_id, kind=kind, body=body))

    def _body(self, key: str) -> Any:
        return self.conn.execute(select(billing_agreements.c.body)
                                 .where(billing_agreements.c.id == key)).scalar_one_or_none()

    # --- accruals ------------------------------------------------------------------------------
    def record_accrual(self, accrual: Accrual) -> None:
        self.conn.execute(delete(rebate_accruals).where(rebate_accruals.c.agreement_id == accrual.agreement_id,
                                                        rebate_accruals.c.as_of == accrual.as_of))
        self.conn.execute(insert(rebate_accruals).values(
            agreement_id=accrual.agreement_id, as_of=accrual.as_of, currency=accrual.amount.currency,
            volume_minor=accrual.volume.quantize().to_minor(), percent=str(accrual.percent),
            amount_minor=accrual.amount.to_minor()))

    def latest_accrual(self, agreement_id: str) -> Accrual | None:
        row = self.conn.execute(select(rebate_accruals).where(rebate_accruals.c.agreement_id == agreement_id)
                                .order_by(rebate_accruals.c.as_of.desc()).limit(1)).mappings().first()
        if row is None:
            return None
        ccy = row["currency"]
        return Accrual(agreement_id, row["as_of"], Money.from_minor(row["volume_minor"], ccy),
                       Decimal(row["percent"]), Money.from_minor(row["amount_minor"], ccy))

    # --- holds ---------------------------------------------------------------------------------
    def hold(self, delivery_id: str, customer_id: str, findings: list[Finding], at: datetime) -> None:
        current = self.hold_of(delivery_id)
        values = {"findings": encode(findings), "status": "open", "updated_at": at}
        if current is None:
            self.conn.execute(insert(billing_holds).values(delivery_id=delivery_id, customer_id=customer_id,
                                                           fixes={}, opened_at=at, **values))
        else:
            self.conn.execute(update(billing_holds).where(billing_holds.c.delivery_id == delivery_id)
                              .values(**values))

    def hold_of(self, delivery_id: str) -> Hold | None:
        row = self.conn.execute(select(billing_holds).where(billing_holds.c.delivery_id == delivery_id)
                                ).mappings().first()
        if row is None:
            return None
        return Hold(row["delivery_id"], row["customer_id"], row["status"],
                    tuple(decode(Finding, f) for f in row["findings"]), dict(row["fixes"]))

    def add_fixes(self, delivery_id: str, customer_id: str, fixes: dict[str, Any], at: datetime) -> None:
        current = self.hold_of(delivery_id)
        if current is None:
            self.conn.execute(insert(billing_holds).values(
                delivery_id=delivery_id, customer_id=customer_id, status="open", findings=[], fixes=fixes,
                opened_at=at, updated_at=at))
            return
        merged = {**current.fixes, **fixes}
        merged["lines"] = {**current.fixes.get("lines", {}), **fixes.get("lines", {})}
        self.conn.execute(update(billing_holds).where(billing_holds.c.delivery_id == delivery_id)
                          .values(fixes=merged, updated_at=at))

    def release(self, delivery_id: str, at: datetime) -> None:
        self.conn.execute(update(billing_holds).where(billing_holds.c.delivery_id == delivery_id)
                          .values(status="released", updated_at=at))

    def holds(self, status: str = "open") -> list[Hold]:
        ids = self.conn.execute(select(billing_holds.c.delivery_id).where(billing_holds.c.status == status)
                                .order_by(billing_holds.c.delivery_id)).scalars().all()
        return [h for h in (self.hold_of(i) for i in ids) if h is not None]

    def holds_of(self, customer_id: str, status: str = "open") -> list[Hold]:
        ids = self.conn.execute(select(billing_holds.c.delivery_id).where(
            billing_holds.c.customer_id == customer_id, billing_holds.c.status == status)
            .order_by(billing_holds.c.delivery_id)).scalars().all()
        return [h for h in (self.hold_of(i) for i in ids) if h is not None]

    # --- outbound documents --------------------------------------------------------------------
    def add_outbound(self, doc: Outbound, at: datetime) -> bool:
        """Store a document handed to a channel; False (and nothing stored) when it was handed before."""
        exists = self.conn.execute(select(outbound_documents.c.id).where(
            outbound_documents.c.document == doc.document, outbound_documents.c.channel == doc.channel)).first()
        if exists:
            return False
        self.conn.execute(insert(outbound_documents).values(
            document=doc.document, customer_id=doc.customer_id, channel=doc.channel, format=doc.format,
            filename=doc.filename, destination=doc.destination, status=doc.status, created_at=at,
            content=doc.content))
        return True

    def outbound(self, document: str | None = None, status: str | None = None) -> list[Outbound]:
        query = select(outbound_documents).order_by(outbound_documents.c.id)
        if document:
            query = query.where(outbound_documents.c.document == document)
        if status:
            query = query.where(outbound_documents.c.status == status)
        return [Outbound(r["document"], r["customer_id"], r["channel"], r["format"], r["filename"],
                         r["destination"], r["status"], r["content"])
                for r in self.conn.execute(query).mappings()]

    def mark_outbound(self, document: str, channel: str, status: str) -> None:
        self.conn.execute(update(outbound_documents).where(outbound_documents.c.document == document,
                                                           outbound_documents.c.channel == channel)
                          .values(status=status))
