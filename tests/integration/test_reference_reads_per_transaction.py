"""Price lists, promotions, customers and products are read once per unit of work (intake books every
order of a file against them): a change made in the same unit of work, an undone savepoint and a later
unit of work each see what the database holds, never a stale copy."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from o2c.domain import commands as c
from o2c.domain.catalog import Promotion, Scope
from o2c.services.handlers import Company, capture_order
from tests.factories import seed

COMPANY = Company("Test BV", "NL", "EUR")


def _cola_price(uow, n: int) -> Decimal:
    result = capture_order(
        uow,
        c.CaptureOrder(
            "C1",
            "C1-S1",
            "edi",
            date(2026, 9, 10),
            (c.CaptureOrderLine("COLA", Decimal(1)),),
            source_ref=f"ref-{n}",
        ),
        COMPANY,
    )
    order = uow.orders.get(result.split()[1])
    return order.lines[0].unit_price


def _with_cola_at(uow, price: str) -> None:
    euro = uow.price_lists.get("PL-EUR")
    uow.price_lists.save(replace(euro, prices={**euro.prices, "COLA": Decimal(price)}))


def test_an_order_booked_after_a_price_change_in_the_same_unit_of_work_gets_the_new_price(app):
    seed(app)
    with app.uow() as uow:
        before = _cola_price(uow, 1)
        _with_cola_at(uow, "12.00")
        after = _cola_price(uow, 2)
        uow.commit()
    assert (before, after) == (Decimal("10.00"), Decimal("12.00"))


def test_a_promotion_added_in_the_same_unit_of_work_applies_to_the_next_order(app):
    seed(app)
    with app.uow() as uow:
        before = _cola_price(uow, 1)
        uow.promotions.add(
            Promotion(
                "P-COLA", "Cola days", ("COLA",), Decimal("20"), date(2026, 8, 25), date(2026, 9, 5), Scope()
            )
        )
        after = _cola_price(uow, 2)
    assert (before, after) == (Decimal("10.00"), Decimal("8.00"))


def test_a_price_change_undone_by_a_savepoint_no_longer_prices_orders(app):
    seed(app)
    with app.uow() as uow:
        _cola_price(uow, 1)
        try:
            with uow.savepoint():
                _with_cola_at(uow, "12.00")
                assert _cola_price(uow, 2) == Decimal("12.00")
                raise RuntimeError("undo")
        except RuntimeError:
            pass
        assert _cola_price(uow, 3) == Decimal("10.00")
        assert uow.price_lists.get("PL-EUR").prices["COLA"] == Decimal("10.00")


def test_a_later_unit_of_work_sees_the_price_list_and_customer_another_one_changed(app):
    seed(app)
    with app.uow() as reader:
        assert _cola_price(reader, 1) == Decimal("10.00")
        assert reader.customers.get("C1").name == "Customer C1"
        reader.commit()
        with app.uow() as writer:
            _with_cola_at(writer, "11.50")
            writer.customers.save(replace(writer.customers.get("C1"), name="Renamed"))
            writer.commit()
        assert _cola_price(reader, 2) == Decimal("11.50")  # the same unit of work object, a new transaction
        assert reader.customers.get("C1").name == "Renamed"


def test_a_customer_change_undone_by_a_savepoint_is_forgotten(app):
    seed(app)
    with app.uow() as uow:
        customer = uow.customers.get("C1")
        try:
            with uow.savepoint():
                uow.customers.save(replace(customer, name="Renamed"))
                raise RuntimeError("undo")
        except RuntimeError:
            pass
        assert uow.customers.get("C1").name == "Customer C1"
