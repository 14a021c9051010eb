"""Intake checks, one reason code at a time, on a small world (see ``world.py``): pure, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from o2c.domain.order_checks import OrderRequest, Reason, RequestedLine, check_order

from .world import ANTWERP_GLN, BUYER_GLN, reference


def _line(sku: str = "COLA", qty: str = "20", price: str | None = "14.40", **extra: object) -> RequestedLine:
    return RequestedLine("1", Decimal(qty), extra.pop("unit", "CS"), sku,  # type: ignore[arg-type]
                         unit_price=Decimal(price) if price else None, **extra)  # type: ignore[arg-type]


def _order(*lines: RequestedLine, **changes: object) -> OrderRequest:
    request = OrderRequest("edi", "x12:BUYER:1:1", BUYER_GLN, ANTWERP_GLN, "PO-NEW-1", date(2026, 9, 3),
                           lines or (_line(),))
    return replace(request, **changes)  # type: ignore[arg-type]


def _reasons(request: OrderRequest, **ref_changes: object) -> set[Reason]:
    return set(check_order(request, reference(**ref_changes)).reasons)


def test_a_clean_order_has_no_problems_and_books_at_the_customers_price():
    checked = check_order(_order(), reference())
    assert checked.is_clean
    assert (checked.customer.id, checked.ship_to) == ("C1", "C1-S2")
    assert checked.lines[0].expected_price == Decimal("14.4000")


def test_an_unknown_buyer_is_an_unknown_customer_and_nothing_else_is_checked():
    assert _reasons(_order(buyer="5400000000001")) == {Reason.UNKNOWN_CUSTOMER}


def test_a_ship_to_the_customer_does_not_have_is_reported():
    assert _reasons(_order(ship_to="5499999999999")) == {Reason.UNKNOWN_SHIP_TO}


def test_an_item_code_nobody_knows_is_an_unknown_sku_while_customer_item_codes_resolve():
    assert _reasons(_order(_line(sku=None, gtin="9999999999999"))) == {Reason.UNKNOWN_SKU}
    assert _reasons(_order(_line(sku=None, buyer_item="HK-COLA"))) == set()
    assert _reasons(_order(_line(sku=None, gtin="8712345000025"))) == set()


def test_eaches_of_a_case_product_are_a_unit_mismatch_converted_to_cases():
    checked = check_order(_order(_line(qty="480", price="0.60", unit="EA")), reference())
    assert checked.reasons == {Reason.UNIT_MISMATCH}
    assert checked.lines[0].quantity == Decimal(20)


def test_a_price_off_the_price_list_is_a_price_mismatch():
    assert _reasons(_order(_line(price="13.90"))) == {Reason.PRICE_MISMATCH}


def test_the_list_price_where_a_promotion_applies_is_a_promotion_not_applied():
    assert _reasons(_order(_line("WATER", qty="40", price="6.90"))) == {Reason.PROMOTION_NOT_APPLIED}
    assert _reasons(_order(_line("WATER", qty="40", price="6.21", promotion_rate=Decimal(10)))) == set()


def test_claiming_a_promotion_that_has_ended_is_an_expired_promotion_claimed():
    checked = check_order(_order(_line("OJ", price="13.26", promotion_rate=Decimal(15))), reference())
    assert checked.reasons == {Reason.EXPIRED_PROMOTION_CLAIMED}
    assert "P-OJ ended 2026-08-20" in checked.problems[0].message


def test_a_customer_who_requires_a_po_gets_po_missing_and_a_reused_po_is_a_duplicate():
    assert _reasons(_order(po_number=None)) == {Reason.PO_MISSING}
    assert _reasons(_order(po_number="PO-OLD-1")) == {Reason.PO_DUPLICATE}


def test_a_past_too_soon_or_sunday_delivery_date_is_impossible():
    for day in (date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 6)):
        assert _reasons(_order(requested_date=day)) == {Reason.DATE_IMPOSSIBLE}, day


def test_ten_times_the_usual_quantity_is_a_likely_typo():
    checked = check_order(_order(_line(qty="200")), reference(stock=reference().stock.__class__()))
    assert checked.reasons == {Reason.QUANTITY_OUTLIER}
    assert checked.problems[0].evidence["typical"] == "20"


def test_more_than_is_available_to_promise_is_stock_short_with_the_day_it_will_be_there():
    checked = check_order(_order(_line(qty="40")), reference())
    assert checked.reasons == {Reason.STOCK_SHORT}
    assert checked.problems[0].evidence == {"available": "30", "wanted": "40", "available_in_full_on": "2026-09-10"}


def test_every_problem_is_reported_at_once():
    request = _order(_line(price="13.90"), replace(_line(sku="NOPE"), line_ref="2"), po_number=None,
                     requested_date=date(2026, 9, 6))
    assert _reasons(request) == {Reason.PRICE_MISMATCH, Reason.UNKNOWN_SKU, Reason.PO_MISSING,
                                 Reason.DATE_IMPOSSIBLE}


def _seasonal(season: str) -> dict[str, object]:
    pattern = reference().patterns["C1"]
    return {"patterns": {"C1": replace(pattern, season=Decimal(season))}, "stock": reference().stock.__class__()}


def test_three_times_the_usual_quantity_is_an_outlier_out_of_season_but_not_in_the_customers_peak():
    three_times = _order(_line(qty="60"))
    assert _reasons(three_times, **_seasonal("1")) == {Reason.QUANTITY_OUTLIER}
    assert _reasons(three_times, **_seasonal("2.6")) == set()


def test_a_first_order_of_a_sku_is_judged_against_the_customers_overall_median_with_a_wider_margin():
    pattern = reference().patterns["C1"]
    first = {"patterns": {"C1": replace(pattern, typical_by_sku={})}, "stock": reference().stock.__class__()}
    assert _reasons(_order(_line(qty="60")), **first) == set()
    assert _reasons(_order(_line(qty="200")), **first) == {Reason.QUANTITY_OUTLIER}


def test_the_quantity_thresholds_come_from_the_rules_not_from_constants():
    from o2c.domain.order_checks import IntakeRules

    strict = IntakeRules(quantity_above_usual=Decimal("1.5"))
    assert _reasons(_order(_line(qty="35")), stock=reference().stock.__class__(), rules=strict) == {
        Reason.QUANTITY_OUTLIER}
    assert _reasons(_order(_line(qty="35")), stock=reference().stock.__class__()) == set()


def test_a_promotion_claimed_on_its_last_day_is_honoured_and_the_day_after_it_is_expired():
    claim = _order(_line("WATER", price="6.21", promotion_rate=Decimal("10")))
    assert _reasons(claim, today=date(2026, 9, 7)) - {Reason.DATE_IMPOSSIBLE} == set()
    assert Reason.EXPIRED_PROMOTION_CLAIMED in _reasons(claim, today=date(2026, 9, 8))


def test_the_seasonal_index_is_the_median_ratio_of_last_years_same_weeks_to_the_typical_quantity():
    from o2c.domain.order_checks import seasonal_index

    typical = {"A": Decimal(10), "B": Decimal(20)}
    lines = [("A", Decimal(30)), ("B", Decimal(50)), ("A", Decimal(25)), ("C", Decimal(999))]
    assert seasonal_index(lines, typical, 3) == Decimal("2.50")
    assert seasonal_index(lines[:2], typical, 3) == Decimal(1)
