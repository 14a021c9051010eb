"""Reserving an order's lines takes the free stock of every SKU it names, one statement per SKU count."""

from __future__ import annotations

from decimal import Decimal

import pytest

from o2c.adapters.store.intake_store import IntakeStore
from o2c.domain.order_checks import StockPosition

SKUS = ("COLA", "WATER", "JUICE", "TEA")


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_an_order_of_several_skus_reserves_each_at_its_freest_warehouse(app, count):
    with app.uow() as uow:
        stock = IntakeStore(uow.conn).stock
        for sku in SKUS:
            stock.put(StockPosition(sku, "WH1", Decimal(100), Decimal(0)))
            stock.put(StockPosition(sku, "WH2", Decimal(300), Decimal(10)))
        stock.reserve_lines([(sku, Decimal(5)) for sku in SKUS[:count]] + [("UNTRACKED", Decimal(1))])
        reserved = {(p.sku, p.warehouse): p.reserved for p in stock.plan().positions}
        uow.commit()
    for sku in SKUS:
        assert reserved[(sku, "WH1")] == 0
        assert reserved[(sku, "WH2")] == (15 if sku in SKUS[:count] else 10)
