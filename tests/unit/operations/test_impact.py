"""Impact analysis: from each kind of operational event to the open orders, customers and value it touches."""

from dataclasses import replace as copy
from datetime import date
from decimal import Decimal

from o2c.domain import operations as op
from o2c.domain.money import Money
from tests.unit.operations.book import BOOK, ON_ROAD_NL, TODAY


def test_a_network_stockout_touches_open_lines_needed_before_stock_is_back():
    assessment = op.assess(op.Stockout(None, "COLA", date(2026, 9, 5)), BOOK)
    [hit] = assessment.affected
    assert (hit.order_id, hit.line_nos, hit.promised) == ("SO-1", (1,), date(2026, 9, 3))
    assert hit.value_at_risk == Money.of("100.00", "EUR") and hit.expected == date(2026, 9, 7)
    assert assessment.incident_key == "supply:COLA@*" and assessment.team is op.Team.LOGISTICS


def test_a_stockout_at_one_warehouse_spares_orders_shipping_from_another():
    assert op.assess(op.Stockout("DUI", "COLA", date(2026, 9, 5)), BOOK).affected == ()


def test_a_line_breakdown_touches_every_product_the_line_makes():
    assessment = op.assess(op.LineBreakdown("L1", ("COLA", "WATER"), 30), BOOK)
    [hit] = assessment.affected
    assert hit.line_nos == (1, 2) and assessment.gap.until == date(2026, 9, 3)


def test_a_negative_stock_count_is_a_gap_and_a_positive_one_closes_it():
    short = op.assess(op.StockAdjustment("RTM", "WATER", Decimal(-40), "damaged"), BOOK)
    found = op.assess(op.StockAdjustment("RTM", "WATER", Decimal(40)), BOOK)
    assert [a.order_id for a in short.affected] == ["SO-1"]
    assert found.resolves and found.incident_key == short.incident_key


def test_a_stock_arrival_has_the_key_of_the_stockout_it_cancels():
    stockout = op.assess(op.Stockout("RTM", "COLA"), BOOK)
    arrival = op.assess(op.StockArrival("RTM", "COLA", Decimal(100)), BOOK)
    assert arrival.resolves and arrival.incident_key == stockout.incident_key


def test_a_carrier_delay_notice_touches_only_its_region_and_only_deliveries_that_become_late():
    assessment = op.assess(op.CarrierDelayNotice("DHLF", "NL", 2), BOOK)
    [hit] = assessment.affected
    assert (hit.order_id, hit.delivery_id, hit.expected) == ("SO-1", "DL-1", date(2026, 9, 4))
    assert op.assess(op.CarrierDelayNotice("DHLF", "NL", 1), BOOK).affected == ()


def test_a_missed_pickup_slips_what_the_carrier_should_have_collected():
    assessment = op.assess(op.MissedPickup("DHLF", "RTM", TODAY, date(2026, 9, 3)), BOOK)
    assert {a.delivery_id for a in assessment.affected} == {"DL-1", "DL-2"}


def test_a_shipment_update_with_a_late_eta_touches_its_order_and_delivered_closes_it():
    late = op.assess(op.ShipmentUpdate("DL-2", "delayed", date(2026, 9, 6)), BOOK)
    done = op.assess(op.ShipmentUpdate("DL-2", "delivered"), BOOK)
    assert [a.order_id for a in late.affected] == ["SO-3"]
    assert done.resolves and done.incident_key == late.incident_key


def test_a_short_delivery_puts_the_missing_goods_at_risk():
    assessment = op.assess(op.ProofOfDelivery("DL-1", "POD-1", {"COLA": Decimal(2)}, {"WATER": Decimal(1)}), BOOK)
    [hit] = assessment.affected
    assert hit.value_at_risk == Money.of("30.00", "EUR") and assessment.evidence["missing:COLA"] == "2"


def test_a_credit_block_touches_every_open_order_of_the_customer_and_belongs_to_finance():
    assessment = op.assess(op.CreditBlock("C2", "limit review"), BOOK)
    assert [a.order_id for a in assessment.affected] == ["SO-2"] and assessment.team is op.Team.FINANCE


def test_a_missing_gtin_blocks_billing_but_is_not_for_the_customer():
    assessment = op.assess(op.MasterDataError("product", "WATER", "missing_gtin"), BOOK)
    assert assessment.blocks_billing and not assessment.customer_visible
    assert assessment.team is op.Team.MASTER_DATA and [a.order_id for a in assessment.affected] == ["SO-1"]


def test_a_blocked_ship_to_is_for_the_customer_too():
    assessment = op.assess(op.MasterDataError("ship_to", "C1-S1", "blocked_ship_to"), BOOK)
    assert assessment.customer_visible and [a.order_id for a in assessment.affected] == ["SO-1"]


def test_master_data_changes_go_to_the_team_that_owns_the_field():
    bank = op.assess(op.MasterDataChange("customer", "C1", "bank_account", "NL01", "NL02"), BOOK)
    price = op.assess(op.MasterDataChange("product", "COLA", "price", "10", "11"), BOOK)
    address = op.assess(op.MasterDataChange("ship_to", "C1-S1", "ship_to_address", "a", "b"), BOOK)
    assert (bank.team, price.team, address.team) == (op.Team.FINANCE, op.Team.SALES, op.Team.LOGISTICS)
    assert not bank.customer_visible


def test_value_at_risk_is_summed_per_currency():
    assessment = op.assess(op.CreditBlock("C1", "x"), BOOK)
    assert assessment.value_at_risk() == {"EUR": Money.of("150.00", "EUR")}


def test_an_order_with_two_late_deliveries_is_affected_once():
    second = copy(ON_ROAD_NL, id="DL-9", expected_date=date(2026, 9, 3))
    book = copy(BOOK, deliveries=(ON_ROAD_NL, second))
    [hit] = op.assess(op.CarrierDelayNotice("DHLF", "NL", 2), book).affected
    assert hit.delivery_id == "DL-9" and hit.value_at_risk == Money.of("300.00", "EUR")
