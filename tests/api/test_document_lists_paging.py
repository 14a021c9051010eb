"""Every document list of the API answers a page and says its total, so none stops silently."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from o2c.domain import commands as c
from tests.api.conftest import DAY, bearer
from tests.factories import customer, seed


def _three_orders(app) -> list[str]:
    seed(app, customer(limit="100000"))
    return [app.execute(c.CaptureOrder("C1", "C1-S1", "email", DAY + timedelta(days=3),
                                       (c.CaptureOrderLine("COLA", Decimal(n)),)), "channel:email", "order").split()[1]
            for n in (1, 2, 3)]


def test_orders_come_a_page_at_a_time_with_their_total(app, client, people):
    orders = _three_orders(app)
    first = client.get("/api/orders?limit=2", headers=bearer(people["viewer"]))
    rest = client.get("/api/orders?limit=2&offset=2", headers=bearer(people["viewer"]))
    assert first.status_code == rest.status_code == 200
    assert first.headers["X-Total-Count"] == rest.headers["X-Total-Count"] == "3"
    seen = [o["id"] for o in first.json()] + [o["id"] for o in rest.json()]
    assert sorted(seen) == sorted(orders) and len(first.json()) == 2


def test_invoices_payments_and_cases_say_their_totals(app, client, people):
    _three_orders(app)
    for path in ("/api/invoices", "/api/payments", "/api/cases"):
        answer = client.get(f"{path}?offset=0&limit=5", headers=bearer(people["viewer"]))
        assert answer.status_code == 200, path
        assert answer.headers["X-Total-Count"] == str(len(answer.json())), path


def test_a_negative_offset_is_refused(client, people):
    assert client.get("/api/orders?offset=-1", headers=bearer(people["viewer"])).status_code == 422
