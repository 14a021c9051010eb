"""Finishing the work: correct a customer's master data, work the quarantine, mark a receipt that is not a
customer's payment. Each change is a command run as the token's user (audited); a refused one is 409."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from o2c.adapters.store.billing_store import BillingStore
from o2c.api.deps import AppDep, Clerk, Reader, Viewer
from o2c.api.routers.common import AUTH_ERRORS, NOT_FOUND, REFUSED, EntryId, found
from o2c.api.schemas import Model, ResultOut
from o2c.domain import commands as c
from o2c.domain.errors import DomainError
from o2c.services import quarantine as quarantined
from o2c.services.intake import IntakeService

router = APIRouter(prefix="/api", responses=AUTH_ERRORS)


class MasterDataIn(Model):
    """Fields to correct; one left out stays as it is, "" clears it (VAT id, GLN, e-mail)."""

    name: str | None = Field(None, max_length=200)
    vat_id: str | None = Field(None, max_length=40)
    gln: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=200)
    net_days: int | None = Field(None, ge=0, le=365)
    discount_days: int | None = Field(None, ge=0, le=365)
    discount_percent: Decimal | None = Field(None, ge=0, lt=100)
    ship_to: str | None = Field(None, max_length=32)
    ship_to_gln: str | None = Field(None, max_length=20)
    reason: str = Field("master data corrected through the API", max_length=1000)


class ReasonIn(Model):
    reason: str = Field(min_length=1, max_length=1000)


class OtherReceiptIn(ReasonIn):
    account: str = Field(
        description="2000 accounts_payable, 8100 interest_income, 2500 loans, 8900 other_income, "
        "2900 suspense (number or name)",
        max_length=32,
    )


@router.get("/customers/{customer_id}/master-data", tags=["customers"], responses=NOT_FOUND)
def master_data(customer_id: str, uow: Reader, _: Viewer) -> dict[str, Any]:
    """A customer's master data and the deliveries held before invoicing because of it."""
    customer = found(uow.customers.get(customer_id), f"customer {customer_id}")
    holds = BillingStore(uow.conn).holds_of(customer_id)
    return {
        "id": customer.id,
        "name": customer.name,
        "country": customer.country,
        "vat_id": customer.vat_id,
        "gln": customer.gln,
        "email": customer.email,
        "payment_terms": customer.terms.code,
        "ship_tos": [{"code": s.code, "name": s.name, "gln": s.gln} for s in customer.ship_tos],
        "billing_holds": [
            {
                "delivery": h.delivery_id,
                "reasons": sorted({f.code.value for f in h.findings}),
                "findings": [f.message for f in h.findings],
            }
            for h in holds
        ],
    }


@router.patch(
    "/customers/{customer_id}/master-data", response_model=ResultOut, tags=["customers"], responses=REFUSED
)
def correct_master_data(customer_id: str, body: MasterDataIn, app: AppDep, user: Clerk) -> ResultOut:
    """Correct master data (checked: nothing changes when a value is wrong); held deliveries that now pass
    are invoiced at once."""
    command = c.CorrectCustomer(
        customer_id,
        body.name,
        body.vat_id,
        body.gln,
        body.email,
        body.net_days,
        body.discount_days,
        body.discount_percent,
        body.ship_to,
        body.ship_to_gln,
        body.reason,
    )
    return ResultOut(result=app.execute(command, user.name, body.reason))


@router.get("/quarantine", tags=["imports"])
def quarantine(
    uow: Reader,
    _: Viewer,
    status: Annotated[str, Query(pattern="^(open|resolved|dismissed|all)$")] = "open",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    """Quarantined files (newest first) with their reason and the EDI senders it names."""
    return quarantined.entries(uow, None if status == "all" else status, limit)


@router.get("/quarantine/{entry_id}", tags=["imports"], responses=NOT_FOUND)
def quarantine_entry(entry_id: EntryId, uow: Reader, _: Viewer) -> dict[str, Any]:
    """An entry and what was kept of its file, as text (its first and last page when it was large)."""
    entry, content = found(quarantined.entry(uow, entry_id), f"quarantined file #{entry_id}")
    return entry | {
        "content": {
            "head": content.head,
            "tail": content.tail,
            "truncated": content.truncated,
            "size": content.size,
            "sha256": content.sha256,
        }
    }


@router.post("/quarantine/{entry_id}/retry", tags=["imports"], responses=REFUSED)
def retry_quarantined(entry_id: EntryId, app: AppDep, user: Clerk) -> dict[str, Any]:
    """Import the file again after a fix; 409 when it cannot be (unknown entry, closed, only pages kept)."""
    report = IntakeService.for_app(app).retry_quarantined(entry_id, user.name)
    app.dispatcher.drain()
    if report.status in ("not_found", "needs_original", "resolved", "dismissed"):
        raise DomainError(report.errors[0] if report.errors else report.status)
    return {
        "filename": report.filename,
        "status": report.status,
        "errors": list(report.errors),
        "orders": [
            {
                "source_ref": o.source_ref,
                "status": o.status,
                "reasons": list(o.reasons),
                "order_id": o.order_id,
            }
            for o in report.orders
        ],
    }


@router.post("/quarantine/{entry_id}/dismiss", response_model=ResultOut, tags=["imports"], responses=REFUSED)
def dismiss_quarantined(entry_id: EntryId, body: ReasonIn, app: AppDep, user: Clerk) -> ResultOut:
    """Close a quarantined file without importing it, with the reason (audited)."""
    return ResultOut(result=app.execute(c.DismissQuarantined(entry_id, body.reason), user.name, body.reason))


@router.post(
    "/payments/{payment_id}/other-receipt", response_model=ResultOut, tags=["payments"], responses=REFUSED
)
def other_receipt(payment_id: str, body: OtherReceiptIn, app: AppDep, user: Clerk) -> ResultOut:
    """Mark a receipt as not a customer's payment: posted from the bank to ``account``, out of the queue."""
    return ResultOut(
        result=app.execute(
            c.RecordOtherReceipt(payment_id, body.account, body.reason), user.name, body.reason
        )
    )
