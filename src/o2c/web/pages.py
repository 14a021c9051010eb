"""The read-only pages: dashboard, inbox, accounts and account 360, cash queue, collections, audit.

Each page reads through a view function on a read-only unit of work and renders one template.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from o2c.api import conversation
from o2c.api.paging import PageWindow
from o2c.auth.roles import Permission, Role
from o2c.domain.ledger import OTHER_RECEIPT_ACCOUNTS
from o2c.views import accounts, audit_trail, cash, collections, dashboard, figures, inbox
from o2c.views.common import business_date
from o2c.views.dashboard import Dashboard
from o2c.web.auth import PageReader, PageViewer
from o2c.web.render import render

router = APIRouter(include_in_schema=False)
ROLES = {"approver": Role.APPROVER, "clerk": Role.CLERK}
OTHER_ACCOUNTS = [(a.value, text) for a, text in OTHER_RECEIPT_ACCOUNTS.items()]


def chart_data(d: Dashboard) -> dict[str, Any]:
    """The dashboard figures as plain JSON for the charts script, each chart with the list behind it."""
    days = sorted(d.agent_actions_per_day)
    agents = sorted({a for per_day in d.agent_actions_per_day.values() for a in per_day})
    overdue = d.overdue_aging
    return {
        "currency": d.functional_currency,
        "dso": {"labels": [p.day.isoformat() for p in d.dso_trend],
                "values": [None if p.dso is None else float(p.dso) for p in d.dso_trend],
                "links": ["/collections"] * len(d.dso_trend)},
        "aging": {"labels": list(overdue), "values": [float(v) for v in overdue.values()],
                  "links": [f"/collections?bucket={quote(b)}" for b in overdue]},
        "segment": {"labels": [s.replace("_", " ") for s in d.open_ar_by_segment],
                    "values": [float(v) for v in d.open_ar_by_segment.values()],
                    "links": [f"/accounts?segment={quote(s)}&sort=-open_ar" for s in d.open_ar_by_segment]},
        "agents": {"labels": days, "series": [{"name": a, "values": [d.agent_actions_per_day[day].get(a, 0) for day in days],
                                               "link": f"/audit?actor={quote(a)}"} for a in agents]},
        "disputes": {"labels": list(d.dispute_root_causes), "values": list(d.dispute_root_causes.values()),
                     "links": [f"/inbox?reason={quote(r)}#cases" for r in d.dispute_root_causes]},
        "cash_age": {"labels": [f"{b} days" for b in d.cash_queue_age], "values": list(d.cash_queue_age.values()),
                     "links": [f"/cash?age={quote(b)}" for b in d.cash_queue_age]},
        "automation": [None if r is None else round(r * 100, 1) for r in (d.touchless_order_rate, d.cash_auto_match_rate)],
        "automation_links": ["/audit?action=confirm_order:executed", "/cash"],
    }


@router.get("/", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, uow: PageReader, user: PageViewer) -> HTMLResponse:
    d = dashboard.dashboard(uow)
    return render(request, "dashboard.html", "dashboard", d=d, chart_data=chart_data(d), waiting=d.figures.waiting)


Filter = Annotated[str, Query(max_length=64)]


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, uow: PageReader, user: PageViewer, w: PageWindow, action: Filter = "",
               customer: Filter = "", group: Filter = "", reason: Filter = "") -> HTMLResponse:
    page = inbox.proposal_page(uow, w, action, customer)
    cases = [c for c in inbox.open_cases(uow) if reason in ("", c.reason)]
    return render(request, "inbox.html", "inbox", page=page, groups=inbox.grouped(page.items, group),
                  waiting=figures.waiting_items(uow), payments=inbox.unmatched_payments(uow), cases=cases,
                  quarantined=inbox.quarantined(uow), dead_letters=inbox.dead_letters(uow), tasks=inbox.open_tasks(uow),
                  actions=inbox.action_choices(uow), groupings=inbox.GROUPINGS, approver=Role.APPROVER,
                  action=action, customer=customer, group=group, reason=reason)


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(request: Request, uow: PageReader, user: PageViewer, w: PageWindow,
                  segment: Filter = "") -> HTMLResponse:
    return render(request, "accounts.html", "accounts", page=accounts.customer_page(uow, w, segment), page_q=w.q,
                  functional_currency=uow.functional_ccy)


@router.get("/accounts/{customer_id}", response_class=HTMLResponse)
def account_page(customer_id: str, request: Request, uow: PageReader, user: PageViewer) -> HTMLResponse:
    account = accounts.account_360(uow, customer_id)
    if account is None:
        raise HTTPException(404, f"no customer {customer_id}")
    return render(request, "account.html", "accounts", a=account, today=business_date(uow), clerk=Role.CLERK)


@router.get("/cash", response_class=HTMLResponse)
def cash_page(request: Request, uow: PageReader, user: PageViewer, w: PageWindow, age: Filter = "") -> HTMLResponse:
    today = business_date(uow)
    return render(request, "cash.html", "cash", page=cash.queue_page(uow, w, today, age), today=today,
                  currency=uow.functional_ccy, clerk=Role.CLERK, age=age)


@router.get("/cash/{payment_id}", response_class=HTMLResponse)
def cash_payment_page(payment_id: str, request: Request, uow: PageReader, user: PageViewer,
                      customer: Annotated[str | None, Query(max_length=32)] = None,
                      q: Annotated[str, Query(max_length=100)] = "") -> HTMLResponse:
    entry = cash.entry(uow, payment_id)
    if entry is None:
        raise HTTPException(404, f"no payment {payment_id}")
    customer_id = customer or (entry.best.customer_id if entry.best else None) or (
        entry.candidates[0].customer_id if entry.candidates else None)
    row = accounts.customer_row(uow, customer_id) if customer_id else None
    items = cash.open_invoices_of(uow, row.id) if row else []
    found = accounts.customers(uow, q.strip(), limit=20) if q.strip() else []
    return render(request, "cash_payment.html", "cash", e=entry, customer_id=customer_id,
                  customer_name=row.name if row else None, items=items, clerk=Role.CLERK, q=q, found=found,
                  other_accounts=OTHER_ACCOUNTS)


@router.get("/collections", response_class=HTMLResponse)
def collections_page(request: Request, uow: PageReader, user: PageViewer, w: PageWindow,
                     bucket: Filter = "") -> HTMLResponse:
    as_of = business_date(uow)
    return render(request, "collections.html", "collections", page=collections.worklist_page(uow, w, as_of, bucket),
                  as_of=as_of, bucket=bucket, currency=uow.functional_ccy)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, uow: PageReader, user: PageViewer, w: PageWindow,
               subject: Annotated[str, Query(max_length=200)] = "", actor: Filter = "",
               action: Filter = "") -> HTMLResponse:
    trail = audit_trail.trail(uow, limit=1)
    page = audit_trail.record_page(uow, w, subject, actor, action)
    return render(request, "audit.html", "audit", trail=trail, page=page, subject=subject, actor=actor, action=action)


@router.get("/chat", response_class=HTMLResponse)
def chat_page(request: Request, user: PageViewer, customer_id: str | None = None) -> HTMLResponse:
    return render(request, "chat.html", "chat", available=conversation.available(), customer_id=customer_id,
                  can_act=user.may(Permission.ACT_FOR_CUSTOMER))
