"""The dashboard's cash-forecast card: a JSON endpoint the card's script draws from."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from o2c.adapters.store.receivables_history import ReceivablesHistory
from o2c.services.cash_forecast import forecast, to_json
from o2c.views.common import business_date
from o2c.web.auth import PageReader, PageViewer

router = APIRouter(include_in_schema=False)


@router.get("/dashboard/cash-forecast.json")
def cash_forecast_data(uow: PageReader, user: PageViewer) -> dict[str, Any]:
    """Expected receipts per week for the next 13 weeks (functional currency), with the range."""
    return to_json(forecast(ReceivablesHistory(uow.conn), business_date(uow), uow.functional_ccy))
