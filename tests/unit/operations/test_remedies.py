"""Remedies: what is possible for an affected order, costed, ranked, and what the policy lets run alone."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from o2c.domain import operations as op
from o2c.domain.money import Money
from o2c.domain.remedies import (
    COSTLY,
    RemedyContext,
    RemedyKind,
    delivery_remedies,
    rank,
    replacement_remedies,
    supply_remedies,
)
from o2c.policy.gate import Outcome, load_policy
from tests.unit.operations.book import BOOK, CUSTOMERS, LATER, PRICES, PRODUCTS, RATES, SOON, TODAY


def _ctx(order=SOON, customer="C1", **kw) -> RemedyContext:
    return RemedyContext(TODAY, CUSTOMERS[customer], order, PRODUCTS, PRICES, RATES, **kw)


def _stockout_hit():
    return op.assess(op.Stockout(None, "COLA", date(2026, 9, 5)), BOOK).affected[0]


def test_a_like_for_like_substitute_comes_first_and_we_absorb_the_price_difference():
    best = supply_remedies(_ctx(blocked_skus=frozenset({"COLA"})), _stockout_hit())[0]
    assert best.kind is RemedyKind.SUBSTITUTE and best.params == {"lines": "1:COLA2"}
    assert best.cost == Money.of("5.00", "EUR") and best.meets_promise


def test_no_substitute_for_a_customer_who_does_not_accept_them_or_in_another_pack():
    hit = replace(_stockout_hit(), order_id="SO-2", customer_id="C2")
    kinds = [r.kind for r in supply_remedies(_ctx(LATER, "C2", blocked_skus=frozenset({"COLA"})), hit)]
    assert RemedyKind.SUBSTITUTE not in kinds
    no_like = {**PRODUCTS, "COLA": replace(PRODUCTS["COLA"], substitutes=("COLA6",))}
    ctx = RemedyContext(TODAY, CUSTOMERS["C1"], SOON, no_like, PRICES, RATES)
    assert RemedyKind.SUBSTITUTE not in [r.kind for r in supply_remedies(ctx, _stockout_hit())]


def test_without_a_substitute_the_rest_ships_now_or_the_order_gets_a_new_window():
    ctx = _ctx(blocked_skus=frozenset({"COLA", "COLA2"}))
    kinds = [r.kind for r in supply_remedies(ctx, _stockout_hit())]
    assert kinds == [RemedyKind.NEW_WINDOW, RemedyKind.SPLIT]


def test_another_warehouse_is_offered_when_it_has_the_goods():
    ctx = _ctx(blocked_skus=frozenset({"COLA", "COLA2"}), warehouse="RTM", free_warehouses=("ANR",))
    [warehouse] = [r for r in supply_remedies(ctx, _stockout_hit()) if r.kind is RemedyKind.CHANGE_WAREHOUSE]
    assert warehouse.params == {"warehouse": "ANR"}
    assert warehouse.cost == Money.of("95.00", "EUR")  # the cheapest carrier (55) plus the haulage surcharge (40)


def test_a_stuck_delivery_goes_with_the_cheapest_other_carrier_that_keeps_the_promise():
    hit = op.assess(op.MissedPickup("DHLF", "RTM", TODAY, date(2026, 9, 3)), BOOK).affected
    ranked = delivery_remedies(_ctx(failed_carrier="DHLF"), next(a for a in hit if a.order_id == "SO-1"),
                               collected=False)
    assert ranked[0].kind is RemedyKind.CHANGE_CARRIER and ranked[0].params["carrier"] == "PNLP"
    assert ranked[1].kind is RemedyKind.EMERGENCY


def test_a_delivery_already_on_the_road_can_only_be_overtaken_or_moved():
    hit = op.assess(op.CarrierDelayNotice("DHLF", "NL", 2), BOOK).affected[0]
    kinds = [r.kind for r in delivery_remedies(_ctx(failed_carrier="DHLF"), hit, collected=True)]
    assert kinds == [RemedyKind.EMERGENCY, RemedyKind.NEW_WINDOW]


def test_free_goods_replace_what_arrived_short():
    hit = op.assess(op.ProofOfDelivery("DL-1", "P", {"COLA": Decimal(2)}), BOOK).affected[0]
    [remedy] = replacement_remedies(_ctx(), hit, {"COLA": Decimal(2)})
    assert remedy.kind is RemedyKind.FREE_GOODS and remedy.kind in COSTLY and remedy.params == {"COLA": "2"}


def test_ranking_keeps_the_promise_first_then_the_cheapest():
    hit = op.assess(op.CarrierDelayNotice("DHLF", "NL", 2), BOOK).affected[0]
    ranked = rank(list(reversed(delivery_remedies(_ctx(), hit, collected=False))))
    assert [r.meets_promise for r in ranked] == sorted((r.meets_promise for r in ranked), reverse=True)
    keeping = [r.cost.amount for r in ranked if r.meets_promise]
    assert keeping == sorted(keeping)


def test_the_policy_runs_cheap_remedies_alone_and_sends_costly_ones_to_a_person():
    policy = load_policy()
    eur = Money.of
    assert policy.decide("substitute_item", eur("500", "EUR"), 0.9).outcome is Outcome.EXECUTE
    assert policy.decide("change_carrier", eur("95", "EUR"), 0.9).outcome is Outcome.EXECUTE
    assert policy.decide("change_carrier", eur("900", "EUR"), 0.9).outcome is Outcome.NEEDS_APPROVAL
    assert policy.decide("emergency_delivery", eur("1", "EUR"), 1.0).outcome is Outcome.NEEDS_APPROVAL
    assert policy.decide("free_goods", eur("1", "EUR"), 1.0).outcome is Outcome.NEEDS_APPROVAL
    assert policy.decide("notify_customer", None, 1.0).outcome is Outcome.EXECUTE
