"""The matching engine on worked cases, one per kind of noise payers make."""

from datetime import date
from decimal import Decimal

from o2c.domain.ledger import OpenItem, Side
from o2c.domain.matching import (
    AdvisedLine,
    IncomingPayment,
    MatchOutcome,
    Receivable,
    ReceivableIndex,
    find_subsets,
    match_payment,
)
from o2c.domain.money import Money
from o2c.domain.remittance import Payer, PayerDirectory, normalise_name, read_references

DAY = date(2026, 9, 20)
EUR = "EUR"


def _invoice(n: int, customer: str, amount: str, ccy: str = EUR, discount: bool = False) -> Receivable:
    money = Money.of(amount, ccy)
    item = OpenItem(f"OI{n}", customer, f"INV-2026-{n:06d}", "invoice", Side.DEBIT, money, money, money,
                    date(2026, 9, 1), date(2026, 10, 1))
    return Receivable(item, date(2026, 9, 1), f"SO-{n:06d}", f"PO{n}777",
                      Decimal(2) if discount else Decimal(0), date(2026, 9, 11) if discount else None)


BOOK = [_invoice(123, "C1", "100.00", discount=True), _invoice(124, "C1", "250.00"), _invoice(125, "C1", "80.00"),
        _invoice(200, "C2", "640.00"), _invoice(300, "C3", "300.00"), _invoice(400, "C4", "500.00", "USD"),
        _invoice(500, "C00009", "75.50"), _invoice(600, "C6", "3210.00")]
PAYERS = PayerDirectory([
    Payer("C1", "Bakker Foods B.V.", EUR, ("NL00BANK0001",)),
    Payer("C2", "Jansen Horeca GmbH", EUR, ("DE00BANK0002",)),
    Payer("C3", "Jansen Horeca Noord GmbH", EUR, ("DE00BANK0003",), parent_id="C2"),
    Payer("C4", "Atlantic Drinks Inc.", "USD", ("US00BANK0004",), aliases=("ATL DRINKS",)),
    Payer("C00009", "Café de Kroon", EUR),
    Payer("C6", "Kroon Foods B.V.", EUR, ("NL00BANK0006",)),
])


def _match(amount: str, reference: str, *, name: str = "Bakker Foods", account: str | None = "NL00BANK0001",
           ccy: str = EUR, day: date = DAY, advice: tuple[AdvisedLine, ...] = ()) -> MatchOutcome:
    index = ReceivableIndex(BOOK, {"EUR": Decimal(1), "USD": Decimal("1.10")})
    return match_payment(IncomingPayment("P1", day, Money.of(amount, ccy), name, account, reference, advice),
                         PAYERS, index)


def _applied(outcome: MatchOutcome) -> list[tuple[str, str]]:
    assert outcome.best is not None
    return [(a.document, str(a.cash.amount)) for a in outcome.best.allocations]


def test_exact_invoice_number_and_amount_post_automatically():
    outcome = _match("100.00", "INV-2026-000123")
    assert outcome.automatic and _applied(outcome) == [("INV-2026-000123", "100.00")]
    assert "reference names INV-2026-000123" in outcome.best.explanation


def test_invoice_number_without_its_prefix_is_found():
    assert _applied(_match("250.00", "2026-000124")) == [("INV-2026-000124", "250.00")]


def test_transposed_digits_are_forgiven_when_the_amount_agrees():
    outcome = _match("250.00", "INV-2026-000142")
    assert outcome.automatic and _applied(outcome) == [("INV-2026-000124", "250.00")]


def test_several_invoices_in_one_line_are_all_settled():
    outcome = _match("330.00", "inv 2026000124, 2026000125 thanks")
    assert outcome.automatic and sorted(_applied(outcome)) == [("INV-2026-000124", "250.00"),
                                                                ("INV-2026-000125", "80.00")]


def test_order_and_po_numbers_point_to_the_invoice():
    assert _applied(_match("80.00", "our order SO-000125")) == [("INV-2026-000125", "80.00")]
    assert _applied(_match("80.00", "P.O. 125777")) == [("INV-2026-000125", "80.00")]


def test_customer_number_and_amount_identify_the_one_open_item():
    outcome = _match("75.50", "CUST C00009 SEPT", name="Unknown Ltd", account=None)
    assert outcome.automatic and _applied(outcome) == [("INV-2026-000500", "75.50")]


def test_early_payment_discount_within_terms_settles_the_invoice():
    outcome = _match("98.00", "INV-2026-000123", day=date(2026, 9, 10))
    allocation = outcome.best.allocations[0]
    assert outcome.automatic and allocation.discount == Money.of("2.00", EUR)


def test_unexplained_short_pay_opens_a_deduction_for_the_difference():
    outcome = _match("243.63", "INV-2026-000124")
    assert outcome.automatic and outcome.best.allocations[0].deduction == Money.of("6.37", EUR)


def test_bank_charges_of_any_cents_within_the_policy_limit_close_the_invoice():
    outcome = _match("3196.73", "INV-2026-000600", name="Kroon Foods", account="NL00BANK0006")
    assert outcome.automatic and outcome.best.allocations[0].charges == Money.of("13.27", EUR)


def test_a_difference_above_the_policy_share_of_a_small_invoice_stays_open_as_a_deduction():
    outcome = _match("240.00", "INV-2026-000124")  # 10.00 of 250.00 is 4 %: no bank keeps that
    assert outcome.best.allocations[0].charges is None
    assert outcome.best.allocations[0].deduction == Money.of("10.00", EUR)


def test_charges_above_the_limit_count_as_charges_when_the_payer_bank_charged_as_much_before():
    index = ReceivableIndex(BOOK)
    payment = IncomingPayment("P9", DAY, Money.of("3162.41", EUR), "Kroon Foods", "NL00BANK0006", "INV-2026-000600")
    before = match_payment(payment, PAYERS, index)
    assert before.best.allocations[0].charges is None  # 47.59 is above the EUR 35 limit
    index.record_charges("C6", Money.of("45.10", EUR))
    after = match_payment(payment, PAYERS, index)
    assert after.automatic and after.best.allocations[0].charges == Money.of("47.59", EUR)
    assert "as this payer's bank charged before" in after.best.explanation[-1]


def test_a_stated_reason_makes_a_small_difference_a_deduction_not_charges():
    outcome = _match("3196.73", "INV-2026-000600 less damaged goods", name="Kroon Foods", account="NL00BANK0006")
    allocation = outcome.best.allocations[0]
    assert allocation.charges is None and allocation.deduction == Money.of("13.27", EUR)
    assert allocation.reason.startswith("less damaged")


def test_a_reference_two_edits_off_the_only_near_invoice_posts_when_the_amount_agrees():
    outcome = _match("3210.00", "INV-2026-006100", name="Kroon Foods", account="NL00BANK0006")  # 000600: 2 edits
    assert outcome.automatic and _applied(outcome) == [("INV-2026-000600", "3210.00")]


def test_a_reference_two_edits_off_with_an_amount_that_does_not_agree_goes_to_a_person():
    assert not _match("2900.00", "INV-2026-006100", name="Kroon Foods", account="NL00BANK0006").automatic


def test_a_discount_taken_after_its_terms_stays_open_as_a_deduction():
    outcome = _match("98.00", "INV-2026-000123", day=date(2026, 9, 25))  # terms ended 11 September
    allocation = outcome.best.allocations[0]
    assert allocation.discount is None and allocation.deduction == Money.of("2.00", EUR)


def test_a_short_reference_that_fits_another_invoice_of_the_amount_goes_to_a_person():
    # 80.00 quoted as 000124 (250.00), but 000125 is exactly 80.00: two explanations
    assert not _match("80.00", "INV-2026-000124").automatic


def test_short_pay_leaves_a_deduction_with_the_remittance_reason():
    advice = (AdvisedLine("INV-2026-000124", Money.of("230.00", EUR), None, Money.of("-20.00", EUR), "DAMAGED"),)
    outcome = _match("230.00", "remittance", advice=advice)
    allocation = outcome.best.allocations[0]
    assert allocation.deduction == Money.of("20.00", EUR) and allocation.reason == "DAMAGED"


def test_overpayment_leaves_unapplied_credit():
    outcome = _match("260.00", "INV-2026-000124")
    assert outcome.automatic and outcome.best.unapplied == Money.of("10.00", EUR)


def test_a_large_overpayment_goes_to_a_person():
    assert not _match("400.00", "INV-2026-000124").automatic


def test_partial_payment_applies_what_was_paid():
    outcome = _match("100.00", "INV-2026-000124")
    assert _applied(outcome) == [("INV-2026-000124", "100.00")] and outcome.best.allocations[0].deduction is None


def test_payment_in_another_currency_settles_within_the_fx_tolerance():
    outcome = _match("456.00", "INV-2026-000400", name="Atlantic Drinks", account="US00BANK0004")
    assert outcome.best.received_as == Money.of("500.00", "USD")
    assert _applied(outcome) == [("INV-2026-000400", "500.00")]


def test_parent_pays_for_its_subsidiary():
    outcome = _match("940.00", "INV-2026-000200 INV-2026-000300", name="Jansen Horeca", account="DE00BANK0002")
    assert outcome.automatic and outcome.best.customer_id == "C2"
    assert {a.customer_id for a in outcome.best.allocations} == {"C2", "C3"}


def test_payment_without_reference_is_matched_by_a_unique_subset_sum():
    outcome = _match("180.00", "PAYMENT")
    assert sorted(_applied(outcome)) == [("INV-2026-000123", "100.00"), ("INV-2026-000125", "80.00")]


def test_learned_alias_identifies_a_payer_with_a_new_account():
    outcome = _match("500.00", "thanks", name="ATL DRINKS", account="XX99", ccy="USD")
    assert outcome.best.customer_id == "C4" and "confirmed before" in outcome.best.explanation[0]


def test_unknown_payer_without_references_goes_to_a_person():
    outcome = _match("77.00", "hello", name="Nobody", account=None)
    assert outcome.best is None and outcome.why_not_auto == "payer not identified"


def test_amounts_in_the_text_are_not_read_as_references():
    refs = read_references("INV 2026-000123 EUR 1.234,56 PO 4711999")
    assert "123456" not in refs.digits and refs.purchase_orders == ("PO4711999",)


def test_names_are_compared_without_legal_forms_and_abbreviations():
    assert normalise_name("Bakker Intl. Foods B.V.") == "bakker international foods"


def test_subset_search_is_bounded_and_reports_ambiguity():
    assert find_subsets([100, 200, 300, 50], 350, 3, 5) == [(2, 3), (0, 1, 3)]
    assert find_subsets([1] * 40, 20, 20, 2, budget=50) != []


def test_subsets_of_up_to_four_are_searched_completely_and_agree_with_brute_force():
    import itertools
    import random

    rng = random.Random(3)
    for _ in range(300):
        values = [rng.choice((rng.randint(1, 40), rng.randint(100, 9000))) for _ in range(rng.randint(1, 10))]
        size = rng.randint(1, 4)
        target = sum(rng.sample(values, min(size, len(values)))) - rng.choice((0, 0, 7))
        slack = rng.choice((0, 25))
        low, high = (target + 1, target + slack) if slack else (target, target)
        minimal = {c for r in range(1, size + 1) for c in itertools.combinations(range(len(values)), r)
                   if low <= (s := sum(values[i] for i in c)) <= high and all(s - values[i] < low for i in c)}
        assert set(find_subsets(values, target, size, 10**6, slack)) == minimal
    # one four-invoice payment among forty open items is found, and found to be the only one
    values = [rng.randint(5_000, 2_000_000) for _ in range(40)]
    assert find_subsets(values, sum(values[5:9]), 4, 2) == [(5, 6, 7, 8)]
