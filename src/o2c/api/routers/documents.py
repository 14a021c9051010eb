"""Orders, invoices, payments, cases and customers: read them; capture and hold orders; record and
apply payments. Writes need a clerk."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from o2c.api import actions
from o2c.api.deps import AppDep, Clerk, Reader, Viewer
from o2c.api.paging import PageWindow, with_total
from o2c.api.routers.common import AUTH_ERRORS, NOT_FOUND, REFUSED, found
from o2c.api.schemas import (
    ApplicationIn,
    BestCandidateOut,
    CaseOut,
    CustomerOut,
    HoldIn,
    InvoiceOut,
    OrderIn,
    OrderOut,
    PaymentIn,
    PaymentOut,
    QueueEntryOut,
    ResultOut,
)
from o2c.domain import commands as c
from o2c.views import accounts, cash, documents, figures
from o2c.views.inbox import CaseView, case_page

router = APIRouter(prefix="/api", responses=AUTH_ERRORS)
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")]


@router.get("/customers", response_model=list[CustomerOut], tags=["customers"])
def list_customers(uow: Reader, _: Viewer, w: PageWindow, response: Response,
                   segment: Annotated[str, Query(max_length=32)] = "") -> list[accounts.CustomerRow]:
    """Customers whose name or id contains ``q``, with their open receivables, a page at a time (``offset``,
    ``limit``; the total in ``X-Total-Count``); ``sort`` by id, name, segment, country, credit_limit or
    open_ar (converted to the functional currency)."""
    return with_total(response, accounts.customer_page(uow, w, segment))


@router.get("/orders", response_model=list[OrderOut], tags=["orders"])
def list_orders(uow: Reader, _: Viewer, response: Response, customer_id: str | None = None,
                status: str | None = None, offset: Offset = 0, limit: Limit = 100) -> list[documents.OrderView]:
    """Orders, newest first, a page at a time (``offset``, ``limit``; the total in ``X-Total-Count``)."""
    return with_total(response, documents.order_page(uow, customer_id, status, offset, limit))


@router.get("/orders/{order_id}", response_model=OrderOut, tags=["orders"], responses=NOT_FOUND)
def get_order(order_id: str, uow: Reader, _: Viewer) -> documents.OrderView:
    return found(documents.order(uow, order_id), f"order {order_id}")


@router.post("/orders", response_model=ResultOut, status_code=201, tags=["orders"], responses=REFUSED)
def capture_order(body: OrderIn, app: AppDep, user: Clerk) -> ResultOut:
    """Capture an order (channel ``api``); the credit agent then confirms or holds it."""
    command = c.CaptureOrder(body.customer_id, body.ship_to, "api", body.requested_date,
                             tuple(c.CaptureOrderLine(ln.sku, ln.quantity) for ln in body.lines),
                             body.po_number, f"api:{body.reference}" if body.reference else None)
    return ResultOut(result=app.execute(command, user.name, "order entered through the API"))


@router.post("/orders/{order_id}/hold", response_model=ResultOut, tags=["orders"], responses=REFUSED)
def hold_order(order_id: str, body: HoldIn, app: AppDep, user: Clerk) -> ResultOut:
    return ResultOut(result=actions.hold_order(app, user, order_id, body.reason))


@router.get("/invoices", response_model=list[InvoiceOut], tags=["invoices"])
def list_invoices(uow: Reader, _: Viewer, response: Response, customer_id: str | None = None,
                  offset: Offset = 0, limit: Limit = 100) -> list[documents.InvoiceView]:
    """Invoices, latest first, a page at a time (``offset``, ``limit``; the total in ``X-Total-Count``)."""
    return with_total(response, documents.invoice_page(uow, customer_id, offset, limit))


@router.get("/invoices/{number}", response_model=InvoiceOut, tags=["invoices"], responses=NOT_FOUND)
def get_invoice(number: str, uow: Reader, _: Viewer) -> documents.InvoiceView:
    return found(documents.invoice(uow, number), f"invoice {number}")


@router.get("/payments", response_model=list[PaymentOut], tags=["payments"])
def list_payments(uow: Reader, _: Viewer, response: Response, customer_id: str | None = None,
                  status: str | None = None, offset: Offset = 0, limit: Limit = 100) -> list[documents.PaymentView]:
    """Payments, latest first, a page at a time (``offset``, ``limit``; the total in ``X-Total-Count``)."""
    return with_total(response, documents.payment_page(uow, customer_id, status, offset, limit))


@router.get("/payments/unmatched", response_model=list[QueueEntryOut], tags=["payments"])
def cash_queue(uow: Reader, _: Viewer, w: PageWindow, response: Response) -> list[cash.QueueEntry]:
    """The cash-application queue: unmatched payments with the engine's best match and candidate open
    items, a page at a time (``offset``, ``limit``; the total in ``X-Total-Count``); ``q`` searches id,
    payer and reference; ``sort`` by received_on, amount, payer or id."""
    return with_total(response, cash.queue_page(uow, w))


@router.get("/payments/{payment_id}/best-candidate", response_model=BestCandidateOut | None, tags=["payments"],
            responses=NOT_FOUND)
def best_candidate(payment_id: str, uow: Reader, _: Viewer) -> figures.BestCandidate | None:
    """The matching engine's best match for a payment (``null`` when it has none)."""
    found(uow.payments.get(payment_id), f"payment {payment_id}")
    return figures.best_candidate(uow, payment_id)


@router.get("/payments/{payment_id}", response_model=PaymentOut, tags=["payments"], responses=NOT_FOUND)
def get_payment(payment_id: str, uow: Reader, _: Viewer) -> documents.PaymentView:
    return found(documents.payment(uow, payment_id), f"payment {payment_id}")


@router.post("/payments", response_model=ResultOut, status_code=201, tags=["payments"], responses=REFUSED)
def record_payment(body: PaymentIn, app: AppDep, user: Clerk) -> ResultOut:
    """Record a payment the bank received (it waits in the cash-application queue until applied)."""
    return ResultOut(result=actions.record_payment(app, user, body.received_on, body.amount, body.currency,
                                                   body.payer_name, body.payer_account, body.reference))


@router.post("/payments/{payment_id}/apply", response_model=ResultOut, tags=["payments"], responses=REFUSED)
def apply_payment(payment_id: str, body: ApplicationIn, app: AppDep, user: Clerk) -> ResultOut:
    """Apply a payment to open invoices by hand; any rest stays on the customer's account."""
    allocations = [(a.document, a.amount) for a in body.allocations]
    return ResultOut(result=actions.apply_payment(app, user, payment_id, body.customer_id, allocations,
                                                  body.reason))


@router.get("/cases", response_model=list[CaseOut], tags=["cases"])
def list_cases(uow: Reader, _: Viewer, response: Response, status: str | None = None,
               customer_id: str | None = None, offset: Offset = 0, limit: Limit = 100) -> list[CaseView]:
    """Disputes and deductions, a page at a time (``offset``, ``limit``; the total in ``X-Total-Count``)."""
    return with_total(response, case_page(uow, status, customer_id, offset, limit))
