"""Dispute reasons from customers' words, and resolutions from the evidence."""

from decimal import Decimal

from o2c.domain.disputes import (
    Evidence,
    InvoicedLine,
    ReasonCode,
    ResolutionKind,
    classify_reason,
    propose_resolution,
    root_causes,
)
from o2c.domain.money import Money

LIMIT = Money.of("50", "EUR")


def _evidence(**kw) -> Evidence:
    lines = (InvoicedLine("COLA", Decimal(10), Decimal("11.00"), Decimal("11.00")),)
    return Evidence("INV-1", Money.of("133.10", "EUR"), kw.pop("lines", lines), **kw)


def test_reasons_are_read_in_four_languages_with_typos():
    assert classify_reason("three cases arrived brokne")[0] is ReasonCode.DAMAGE
    assert classify_reason("Er ontbreken 6 dozen")[0] is ReasonCode.SHORTAGE
    assert classify_reason("La remise promotionnelle n'a pas été appliquée")[0] is ReasonCode.PROMOTION
    assert classify_reason("Die MwSt ist falsch")[0] is ReasonCode.TAX
    assert classify_reason("hello")[0] is ReasonCode.OTHER


def test_an_overcharge_against_the_price_list_is_credited_for_the_difference_only():
    res = propose_resolution(ReasonCode.PRICE, Money.of("30", "EUR"), _evidence(price_list_prices={"COLA": Decimal("10.00")}), LIMIT)
    assert res.kind is ResolutionKind.CREDIT_NOTE and res.amount == Money.of("10.00", "EUR")


def test_a_missed_promotion_in_force_is_credited():
    res = propose_resolution(ReasonCode.PROMOTION, Money.of("200", "EUR"), _evidence(promotions_in_force={"COLA": Decimal(10)}), LIMIT)
    assert res.kind is ResolutionKind.CREDIT_NOTE and res.amount == Money.of("11.00", "EUR")


def test_a_shortage_claim_against_a_clean_pod_is_rejected_above_the_write_off_threshold_and_written_off_below():
    big = propose_resolution(ReasonCode.SHORTAGE, Money.of("120", "EUR"), _evidence(pod_reference="POD-1"), LIMIT)
    small = propose_resolution(ReasonCode.SHORTAGE, Money.of("20", "EUR"), _evidence(pod_reference="POD-1"), LIMIT)
    assert big.kind is ResolutionKind.REJECT and "POD-1" in big.reason
    assert small.kind is ResolutionKind.WRITE_OFF


def test_a_duplicate_bill_is_credited_when_another_invoice_covers_the_same_delivery():
    res = propose_resolution(ReasonCode.DUPLICATE, Money.of("133.10", "EUR"), _evidence(duplicates=("INV-0",)), LIMIT)
    assert res.kind is ResolutionKind.CREDIT_NOTE


def test_not_ordered_is_rejected_with_the_order_source():
    res = propose_resolution(ReasonCode.NOT_ORDERED, Money.of("133.10", "EUR"),
                             _evidence(order_source="edi", po_number="PO-9"), LIMIT)
    assert res.kind is ResolutionKind.REJECT and "edi" in res.reason


def test_root_causes_are_counted_most_frequent_first():
    assert list(root_causes(["price", "damage", "damage"]).items()) == [("damage", 2), ("price", 1)]
