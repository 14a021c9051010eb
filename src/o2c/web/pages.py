"""The read-only pages: dashboard, inbox, accounts and account 360, cash queue, collections, audit.

Each page reads through a view function on a read-only unit of work and renders one template.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from o2c.api import conversation
from o2c.auth.roles import Permission, Role
from o2c.domain.ledger import OTHER_RECEIPT_ACCOUNTS
from o2c.views import accounts, audit_trail, cash, collections, dashboard, inbox
from o2c.views.common import business_date
from o2c.views.dashboard import Dashboard
from o2c.web.auth import PageReader, PageViewer
from o2c.web.render import render

router = APIRouter(include_in_schema=False)
ROLES = {"approver": Role.APPROVER, "clerk": Role.CLERK}
OTHER_ACCOUNTS = [(a.value, text) for a, text in OTHER_RECEIPT_ACCOUNTS.items()]


def chart_data(d: Dashboard) -> dict[str, Any]:
    """The dashboard figures as plain JSON for the charts script."""
    days = sorted(d.agent_actions_per_day)
    agents = sorted({a for per_day in d.agent_actions_per_day.values() for a in per_day})
    return {
        "currency": d.functional_currency,
        "dso": {"labels": [p.day.isoformat() for p in d.dso_trend],
                "values": [None if p.dso is None else float(p.dso) for p in d.dso_trend]},
        "aging": {"labels": list(d.aging), "values": [float(v) for v in d.aging.values()]},
        "segment": {"labels": [s.replace("_", " ") for s in d.open_ar_by_segment],
                    "values": [float(v) for v in d.open_ar_by_segment.values()]},
        "agents": {"labels": days, "series": [{"name": a, "values": [d.agent_actions_per_day[day].get(a, 0) for day in days]}
                                              for a in agents]},
        "disputes": {"labels": list(d.disputes_by_reason), "values": list(d.disputes_by_reason.values())},
        "automation": [None if r is None else round(r * 100, 1) for r in (d.touchless_order_rate, d.cash_auto_match_rate)],
    }


@router.get("/", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, uow: PageReader, user: PageViewer) -> HTMLResponse:
    d = dashboard.dashboard(uow)
    waiting = len(inbox.proposals(uow)) + len(inbox.unmatched_payments(uow))
    return render(request, "dashboard.html", "dashboard", d=d, chart_data=chart_data(d), waiting=waiting)


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, uow: PageReader, user: PageViewer) -> HTMLResponse:
    return render(request, "inbox.html", "inbox", inbox=inbox.inbox(uow), approver=Role.APPROVER)


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(request: Request, uow: PageReader, user: PageViewer,
                  q: Annotated[str, Query(max_length=100)] = "") -> HTMLResponse:
    return render(request, "accounts.html", "accounts", customers=accounts.customers(uow, q), q=q)


@router.get("/accounts/{customer_id}", response_class=HTMLResponse)
def account_page(customer_id: str, request: Request, uow: PageReader, user: PageViewer) -> HTMLResponse:
    account = accounts.account_360(uow, customer_id)
    if account is None:
        raise HTTPException(404, f"no customer {customer_id}")
    return render(request, "account.html", "accounts", a=account, today=business_date(uow), clerk=Role.CLERK)


@router.get("/cash", response_class=HTMLResponse)
def cash_page(request: Request, uow: PageReader, user: PageViewer) -> HTMLResponse:
    return render(request, "cash.html", "cash", queue=cash.queue(uow), today=business_date(uow),
                  currency=uow.functional_ccy, clerk=Role.CLERK)


@router.get("/cash/{payment_id}", response_class=HTMLResponse)
def cash_payment_page(payment_id: str, request: Request, uow: PageReader, user: PageViewer,
                      customer: Annotated[str | None, Query(max_length=32)] = None,
                      q: Annotated[str, Query(max_length=100)] = "") -> HTMLResponse:
    entry = cash.entry(uow, payment_id)
    if entry is None:
        raise HTTPException(404, f"no payment {payment_id}")
    customer_id = customer or (entry.candidates[0].customer_id if entry.candidates else None)
    row = accounts.customer_row(uow, customer_id) if customer_id else None
    items = cash.open_invoices_of(uow, row.id) if row else []
    found = accounts.customers(uow, q.strip(), limit=20) if q.strip() else []
    return render(request, "cash_payment.html", "cash", e=entry, customer_id=customer_id,
                  customer_name=row.name if row else None, items=items, clerk=Role.CLERK, q=q, found=found,
                  other_accounts=OTHER_ACCOUNTS)


@router.get("/collections", response_class=HTMLResponse)
def collections_page(request: Request, uow: PageReader, user: PageViewer) -> HTMLResponse:
    as_of = business_date(uow)
    return render(request, "collections.html", "collections", items=collections.worklist(uow, as_of), as_of=as_of)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, uow: PageReader, user: PageViewer, subject: str = "", actor: str = "",
               action: str = "") -> HTMLResponse:
    trail = audit_trail.trail(uow, subject, actor, action)
    return render(request, "audit.html", "audit", trail=trail, subject=subject, actor=actor, action=action)


@router.get("/chat", response_class=HTMLResponse)
def chat_page(request: Request, user: PageViewer, customer_id: str | None = None) -> HTMLResponse:
    return render(request, "chat.html", "chat", available=conversation.available(), customer_id=customer_id,
                  can_act=user.may(Permission.ACT_FOR_CUSTOMER))
