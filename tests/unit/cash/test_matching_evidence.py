"""Evidence a cash-application clerk accepts, and the doubts that still send a payment to a person."""

from dataclasses import replace
from datetime import date

from o2c.domain.ledger import OpenItem, Side
from o2c.domain.matching import IncomingPayment, MatchOutcome, Receivable, ReceivableIndex, match_payment
from o2c.domain.money import Money
from o2c.domain.remittance import Payer, PayerDirectory, read_references

DAY = date(2026, 9, 30)


def _invoice(document: str, customer: str, amount: str, n: int) -> Receivable:
    money = Money.of(amount, "EUR")
    item = OpenItem(
        f"OI{n}",
        customer,
        document,
        "invoice",
        Side.DEBIT,
        money,
        money,
        money,
        date(2026, 9, 1),
        date(2026, 10, 1),
    )
    return Receivable(item, date(2026, 9, 1), f"SO-{n:06d}", f"PO{n}777")


BOOK = [
    _invoice("INV-2025-008046", "C1", "648.17", 1),
    _invoice("INV-2026-007254", "C1", "3968.14", 2),
    _invoice("INV-2026-001617", "C1", "1174.66", 3),
    _invoice("INV-2026-002909", "C1", "577.76", 4),
    _invoice("INV-2026-000500", "C2", "8988.34", 5),
    _invoice("INV-2026-000600", "C3", "215.81", 6),
]
PAYERS = PayerDirectory(
    [
        Payer("C1", "Quint Elm Trading S.à r.l.", "EUR", ("NL87BANK0000000166",)),
        Payer("C2", "Quint Mosa Épicerie Inc.", "EUR", ("NL01BANK0000000002",)),
        Payer("C3", "Gärtner Polder Horeca Inc.", "EUR", ("NL01BANK0000000003",)),
        Payer("C4", "Gärtner Polder Horeca Noord Inc.", "EUR", ("NL01BANK0000000004",)),
    ]
)


def _match(
    amount: str,
    reference: str,
    name: str,
    account: str | None,
    index: ReceivableIndex | None = None,
    payment_id: str = "P1",
) -> MatchOutcome:
    return match_payment(
        IncomingPayment(payment_id, DAY, Money.of(amount, "EUR"), name, account, reference),
        PAYERS,
        index or ReceivableIndex(BOOK),
    )


def test_a_short_pay_quoting_an_invoice_of_the_account_holder_without_its_prefix_posts_with_a_deduction():
    outcome = _match("555.15", "INV 2025008046", "Quint Elm Trading", "NL87BANK0000000166")
    assert outcome.automatic, outcome.why_not_auto
    (alloc,) = outcome.best.allocations
    assert alloc.document == "INV-2025-008046" and alloc.deduction == Money.of("93.02", "EUR")


def test_a_short_pay_quoting_an_invoice_without_its_prefix_from_an_unknown_payer_goes_to_a_person():
    outcome = _match("555.15", "INV 2025008046", "ADYEN NV", "NL99PROV0000000001")
    assert not outcome.automatic


def test_a_mistyped_invoice_number_is_one_reference_not_an_unknown_number_beside_it():
    outcome = _match("3968.14", "INV-2206-007524", "Quint Elm Trading", "NL87BANK0000000166")
    assert outcome.automatic, outcome.why_not_auto
    assert outcome.best.documents == ("INV-2026-007254",)


def test_the_exact_name_of_one_customer_and_the_amount_of_its_one_open_item_post():
    outcome = _match("8988.34", "", "Quint Mosa Épicerie Inc.", "DE54NEW7592755645")
    assert outcome.automatic, outcome.why_not_auto
    assert outcome.best.customer_id == "C2"


def test_a_name_the_bank_cut_short_names_the_one_customer_whose_name_starts_so():
    outcome = _match("8988.34", "", "QUINT MOSA EPICERIE", "DE54NEW7592755645")
    assert outcome.best is not None and outcome.best.customer_id == "C2"
    assert "is the start of" in outcome.best.explanation[0]


def test_a_name_cut_short_that_two_customers_share_names_neither_for_sure():
    outcome = _match("215.81", "", "GAERTNER POLDER HORECA", "DE54NEW0000000001")
    assert not outcome.automatic


def test_a_number_with_digits_added_by_mistake_is_read_and_must_be_explained():
    assert "204261001617" in read_references("INV 2026002909, 204261001617").digits
    outcome = _match("1752.42", "INV 2026002909, 204261001617", "Quint Elm Trading", "NL87BANK0000000166")
    assert outcome.best is not None and set(outcome.best.documents) == {"INV-2026-002909", "INV-2026-001617"}
    assert outcome.best.unapplied.is_zero()


def test_the_same_payment_again_on_an_invoice_it_partly_paid_is_held_as_a_possible_duplicate():
    index = ReceivableIndex(BOOK)
    first = _match("2000.00", "INV-2026-007254", "Quint Elm Trading", "NL87BANK0000000166", index)
    assert first.automatic, first.why_not_auto
    payment = IncomingPayment(
        "P1", DAY, Money.of("2000.00", "EUR"), "Quint Elm Trading", "NL87BANK0000000166", "INV-2026-007254"
    )
    index.settle("OI2", Money.of("2000.00", "EUR"))
    index.record_receipt(payment, ["OI2"])
    again = _match("2000.00", "INV-2026-007254", "Quint Elm Trading", "NL87BANK0000000166", index, "P2")
    assert not again.automatic and "duplicate" in (again.why_not_auto or "")
    other = _match("1968.14", "INV-2026-007254", "Quint Elm Trading", "NL87BANK0000000166", index, "P3")
    assert other.automatic, other.why_not_auto


def test_a_key_two_of_the_payers_invoices_share_is_not_made_sure_by_the_account():
    book = [*BOOK, replace(_invoice("INV-2025-007254", "C1", "100.00", 9))]
    outcome = _match(
        "90.00", "Rechnung 007254", "Quint Elm Trading", "NL87BANK0000000166", ReceivableIndex(book)
    )
    assert not outcome.automatic
