"""Template rendering: the Jinja2 environment, its filters (money, dates, badges) and page context."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from o2c.domain.money import MINOR_UNITS

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

NAV = (("dashboard", "/dashboard", "Dashboard"), ("inbox", "/inbox", "Inbox"), ("accounts", "/accounts", "Accounts"),
       ("cash", "/cash", "Cash application"), ("quarantine", "/quarantine", "Quarantine"),
       ("collections", "/collections", "Collections"),
       ("chat", "/chat", "Customer chat"), ("audit", "/audit", "Audit trail"))

BADGES = {"pending": "warn", "on_hold": "warn", "received": "warn", "unmatched": "warn", "open": "warn",
          "executed": "ok", "approved": "ok", "confirmed": "ok", "delivered": "ok", "applied": "ok",
          "resolved": "ok", "dismissed": "neutral", "other_receipt": "neutral", "rejected": "bad", "refused": "bad", "cancelled": "bad", "dead": "bad"}


def money(amount: Decimal | int | None, currency: str | None = None) -> str:
    if amount is None:
        return "—"
    places = MINOR_UNITS.get(currency or "", 2)
    pattern = "#,##0." + "0" * places if places else "#,##0"
    text = format_decimal(Decimal(amount), format=pattern, locale="en_GB")
    return f"{text} {currency}" if currency else text


def day(value: date | datetime | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, date) else str(value)


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def with_query(request: Request, anchor: str = "", **changes: Any) -> str:
    """This page's URL with some query parameters changed (``None`` removes one); flash messages dropped."""
    params = {k: v for k, v in request.query_params.items() if k not in ("ok", "error")}
    params.update({k: str(v) for k, v in changes.items() if v is not None})
    for k in [k for k, v in changes.items() if v is None or v == ""]:
        params.pop(k, None)
    query = urlencode(params)
    return f"{request.url.path}{'?' + query if query else ''}{'#' + anchor if anchor else ''}"


ID_LINKS = re.compile(r"\b(C\d{5}|PAY-\d{6}|(?:SO|DL|INV|CN)-(?:\d{4}-)?\d{6})\b")


def _link_for(found: str) -> str:
    if found.startswith("C"):
        return f"/accounts/{found}"
    if found.startswith("PAY-"):
        return f"/cash/{found}"
    kind = {"SO": "order", "DL": "delivery", "INV": "invoice", "CN": "invoice"}[found.split("-")[0]]
    return f"/audit?subject={kind}:{found}"


def link_ids(text: object) -> Markup:
    """Text with customer, payment, order, delivery and invoice ids turned into links (escaped first)."""
    escaped = str(escape(str(text)))
    return Markup(ID_LINKS.sub(lambda m: f'<a href="{_link_for(m.group(1))}">{m.group(1)}</a>', escaped))


def subject_link(subject: str) -> str:
    """Where a proposal's or record's subject (``kind:id``) is shown to a person."""
    kind, _, key = subject.partition(":")
    if kind == "customer":
        return f"/accounts/{key}"
    if kind == "payment":
        return f"/cash/{key}"
    return f"/audit?subject={subject}"


TEMPLATES.env.filters.update(money=money, day=day, percent=percent, badge=lambda s: BADGES.get(str(s), "neutral"),
                             link_ids=link_ids, subject_link=subject_link)
TEMPLATES.env.globals.update(with_query=with_query)


def render(request: Request, name: str, section: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    base = {"user": getattr(request.state, "user", None), "csrf": getattr(request.state, "csrf", ""),
            "nav": NAV, "section": section, "ok": request.query_params.get("ok"),
            "error": request.query_params.get("error")}
    return TEMPLATES.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
