"""Template rendering: the Jinja2 environment, its filters (money, dates, badges) and page context."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

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


TEMPLATES.env.filters.update(money=money, day=day, percent=percent, badge=lambda s: BADGES.get(str(s), "neutral"))


def render(request: Request, name: str, section: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    base = {"user": getattr(request.state, "user", None), "csrf": getattr(request.state, "csrf", ""),
            "nav": NAV, "section": section, "ok": request.query_params.get("ok"),
            "error": request.query_params.get("error")}
    return TEMPLATES.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
