"""Pages that finish the work o2c hands a person: correct a customer's master data (and see its held
deliveries invoiced), the quarantine (inspect, map the EDI sender, retry, dismiss with a reason), and a
receipt that is not a customer's payment. Every post checks the role and the CSRF token and goes through
a command (audited with the person's name); a refused one comes back to the page with the reason.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from o2c.adapters.store.billing_store import BillingStore
from o2c.api.deps import AppDep
from o2c.api.routers.common import EntryId
from o2c.auth.roles import Role
from o2c.domain import commands as c
from o2c.domain.errors import DomainError
from o2c.domain.ledger import OTHER_RECEIPT_ACCOUNTS
from o2c.domain.partners import TradingPartner, parse_sender
from o2c.services import quarantine as quarantined
from o2c.services.intake import IntakeService
from o2c.web.auth import PageClerk, PageReader, PageViewer
from o2c.web.render import render
from o2c.web.work import _attempt, _back

router = APIRouter(include_in_schema=False)
Field = Annotated[str | None, Form(max_length=200)]
Reason = Annotated[str, Form(max_length=1000)]
OTHER_ACCOUNTS = [(a.value, text) for a, text in OTHER_RECEIPT_ACCOUNTS.items()]


# --- master data ------------------------------------------------------------------------------------------
@router.get("/accounts/{customer_id}/master-data", response_class=HTMLResponse)
def master_data_page(customer_id: str, request: Request, uow: PageReader, user: PageViewer) -> HTMLResponse:
    customer = uow.customers.get(customer_id)
    if customer is None:
        raise HTTPException(404, f"no customer {customer_id}")
    holds = BillingStore(uow.conn).holds_of(customer_id)
    senders = [p for p in uow.partners.all() if p.customer_id == customer_id]
    return render(
        request,
        "master_data.html",
        "accounts",
        customer=customer,
        holds=holds,
        senders=senders,
        clerk=Role.CLERK,
    )


@router.post("/accounts/{customer_id}/master-data")
def correct_master_data(
    customer_id: str,
    app: AppDep,
    user: PageClerk,
    legal_name: Field = None,
    vat_id: Field = None,
    gln: Field = None,
    email: Field = None,
    net_days: Field = None,
    discount_days: Field = None,
    discount_percent: Field = None,
    ship_to: Field = None,
    ship_to_gln: Field = None,
    reason: Reason = "",
) -> RedirectResponse:
    url = f"/accounts/{quote(customer_id)}/master-data"
    numbers = {"net_days": net_days, "discount_days": discount_days}
    wrong = [f"{k} {v!r} is not a whole number" for k, v in numbers.items() if v and not v.strip().isdigit()]
    percent = _percent(discount_percent)
    if discount_percent and percent is None:
        wrong.append(f"discount_percent {discount_percent!r} is not a number")
    if wrong:
        return _back(url, error="; ".join(wrong))
    command = c.CorrectCustomer(
        customer_id,
        legal_name,
        vat_id,
        gln,
        email,
        _int(net_days),
        _int(discount_days),
        percent,
        ship_to or None,
        ship_to_gln if ship_to else None,
        reason,
    )
    return _attempt(
        lambda: app.execute(command, user.name, reason or "master data corrected on the account page"), url
    )


def _int(text: str | None) -> int | None:
    return int(text) if text and text.strip() else None


def _percent(text: str | None) -> Decimal | None:
    try:
        value = Decimal(text.strip()) if text and text.strip() else None
    except InvalidOperation:
        return None
    return value if value is None or value.is_finite() else None


# --- quarantine -------------------------------------------------------------------------------------------
@router.get("/quarantine", response_class=HTMLResponse)
def quarantine_page(
    request: Request, uow: PageReader, user: PageViewer, status: str = "open"
) -> HTMLResponse:
    shown = status if status in ("open", "resolved", "dismissed") else None
    return render(
        request,
        "quarantine.html",
        "quarantine",
        entries=quarantined.entries(uow, shown),
        status=shown or "all",
    )


@router.get("/quarantine/{entry_id}", response_class=HTMLResponse)
def quarantine_entry_page(entry_id: EntryId, request: Request, uow: PageReader, user: PageViewer) -> HTMLResponse:
    found = quarantined.entry(uow, entry_id)
    if found is None:
        raise HTTPException(404, f"no quarantined file #{entry_id}")
    entry, content = found
    return render(
        request, "quarantine_entry.html", "quarantine", entry=entry, content=content, clerk=Role.CLERK
    )


@router.post("/quarantine/{entry_id}/retry")
def retry(entry_id: EntryId, app: AppDep, user: PageClerk) -> RedirectResponse:
    return _back(f"/quarantine/{entry_id}", **_retried(app, entry_id, user.name))


@router.post("/quarantine/{entry_id}/map")
def map_sender_and_retry(
    entry_id: EntryId,
    app: AppDep,
    user: PageClerk,
    sender: Annotated[str, Form(min_length=1, max_length=80)],
    customer_id: Annotated[str, Form(min_length=1, max_length=32)],
) -> RedirectResponse:
    """Map the sender to the customer, then import the file again: one step for the person."""
    parsed = parse_sender(sender)
    if parsed is None:
        return _back(f"/quarantine/{entry_id}", error=f"{sender!r} is not an EDI sender id")
    partner = TradingPartner(parsed.sender_id, customer_id.strip(), parsed.qualifier)
    try:
        app.execute(c.MapTradingPartner(partner), user.name, "mapped from the quarantine")
    except DomainError as refused:
        return _back(f"/quarantine/{entry_id}", error=str(refused))
    return _back(f"/quarantine/{entry_id}", **_retried(app, entry_id, user.name))


def _retried(app: AppDep, entry_id: EntryId, actor: str) -> dict[str, str]:
    report = IntakeService.for_app(app).retry_quarantined(entry_id, actor)
    app.dispatcher.drain()
    outcomes = ", ".join(f"{o.source_ref} {o.status}" for o in report.orders)
    unknown = any("unknown_customer" in o.reasons for o in report.orders)
    text = f"{report.filename}: {report.status}" + (f" ({outcomes})" if outcomes else "")
    if report.status != "imported" or unknown:
        return {"error": text + (f": {'; '.join(report.errors)}" if report.errors else "")}
    return {"ok": text}


@router.post("/quarantine/{entry_id}/dismiss")
def dismiss(
    entry_id: EntryId, app: AppDep, user: PageClerk, reason: Annotated[str, Form(max_length=1000)] = ""
) -> RedirectResponse:
    return _attempt(
        lambda: app.execute(c.DismissQuarantined(entry_id, reason), user.name, reason or "dismissed"),
        "/quarantine",
    )


# --- a receipt that is not a customer's payment -----------------------------------------------------------
@router.post("/cash/{payment_id}/other-receipt")
def other_receipt(
    payment_id: str,
    app: AppDep,
    user: PageClerk,
    account: Annotated[str, Form(max_length=32)],
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> RedirectResponse:
    try:
        return _back(
            "/cash",
            ok=app.execute(
                c.RecordOtherReceipt(payment_id, account, reason),
                user.name,
                reason or "not a customer payment",
            ),
        )
    except DomainError as refused:
        return _back(f"/cash/{quote(payment_id)}", error=str(refused))
