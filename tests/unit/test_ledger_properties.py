"""Random sequences of postings never break the ledger invariants (hypothesis state machine)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from o2c.domain.errors import OverApplication, UnbalancedEntry
from o2c.domain.ledger import (
    Ledger,
    Posting,
    Settlement,
    Side,
    post_document,
    receive_payment,
    revalue,
    settle_items,
    write_off,
)
from o2c.domain.money import Money

CUSTOMERS = {"A": "EUR", "B": "GBP", "C": "USD"}
amounts = st.integers(min_value=1, max_value=5_000_000)
rates = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("1.5"), places=4)
DAY = date(2026, 9, 1)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger("EUR")
        self.n = 0
        self.payments: list[Posting] = []

    def _id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def _rate(self, ccy: str, rate: Decimal) -> Decimal:
        return Decimal(1) if ccy == "EUR" else rate

    def _open(self, customer: str, side: Side) -> list:
        return [i for i in self.ledger.items.values()
                if i.customer_id == customer and i.side is side and not i.is_settled]

    @rule(customer=st.sampled_from(sorted(CUSTOMERS)), net=amounts, tax_pct=st.sampled_from([0, 6, 9, 20, 21]),
          rate=rates, credit=st.booleans())
    def post_a_document(self, customer, net, tax_pct, rate, credit):
        ccy = CUSTOMERS[customer]
        net_m = Money.from_minor(net, ccy)
        tax_m = (net_m * Decimal(tax_pct) / 100).quantize()
        kind = "credit_note" if credit else "invoice"
        doc = self._id("D")
        self.ledger.apply(post_document(self._id("J"), DAY, self._id("OI"), customer, doc, kind,
                                        DAY + timedelta(days=30), net_m, tax_m, self._rate(ccy, rate), "EUR"))

    @rule(customer=st.sampled_from(sorted(CUSTOMERS)), data=st.data(), rate=rates,
          extra=st.integers(min_value=-100_000, max_value=100_000))
    def receive_a_payment(self, customer, data, rate, extra):
        ccy = CUSTOMERS[customer]
        items = self._open(customer, Side.DEBIT)
        chosen = data.draw(st.lists(st.sampled_from(items), unique_by=lambda i: i.id, max_size=4)) if items else []
        settlements = []
        for item in chosen:
            part = data.draw(st.integers(min_value=1, max_value=item.open.to_minor()))
            settlements.append(Settlement(item, Money.from_minor(part, ccy)))
        applied = sum(s.cash.to_minor() for s in settlements)
        received = Money.from_minor(max(applied + extra, applied, 1), ccy)
        posting = receive_payment(self._id("J"), DAY, self._id("PAY"), customer, received,
                                  self._rate(ccy, rate), settlements, "EUR", unapplied_item_id=self._id("OI"))
        self.ledger.apply(posting)
        self.payments.append(posting)

    @rule(customer=st.sampled_from(sorted(CUSTOMERS)), data=st.data())
    def settle_a_credit_against_an_invoice(self, customer, data):
        debits, credits = self._open(customer, Side.DEBIT), self._open(customer, Side.CREDIT)
        if not debits or not credits:
            return
        debit, credit = data.draw(st.sampled_from(debits)), data.draw(st.sampled_from(credits))
        most = min(debit.open.to_minor(), credit.open.to_minor())
        amount = Money.from_minor(data.draw(st.integers(min_value=1, max_value=most)), debit.open.currency)
        self.ledger.apply(settle_items(self._id("J"), DAY, debit, credit, amount, "EUR"))

    @rule(customer=st.sampled_from(sorted(CUSTOMERS)), data=st.data())
    def write_off_part_of_an_invoice(self, customer, data):
        debits = self._open(customer, Side.DEBIT)
        if not debits:
            return
        item = data.draw(st.sampled_from(debits))
        amount = Money.from_minor(data.draw(st.integers(min_value=1, max_value=item.open.to_minor())),
                                  item.open.currency)
        self.ledger.apply(write_off(self._id("J"), DAY, item, amount, "EUR", "small balance"))

    @rule(gbp=rates, usd=rates)
    def revalue_foreign_items(self, gbp, usd):
        posting = revalue(self._id("J"), DAY, list(self.ledger.items.values()), {"GBP": gbp, "USD": usd}, "EUR")
        if posting is not None:
            self.ledger.apply(posting)

    @precondition(lambda self: self.payments)
    @rule(data=st.data())
    def reverse_a_payment(self, data):
        """A reversal applies whole or not at all: refused if it would break an item, never half-done."""
        original = data.draw(st.sampled_from(self.payments))
        before = (dict(self.ledger.items), len(self.ledger.entries))
        try:
            self.ledger.apply(original.reversed(self._id("J"), DAY))
        except (UnbalancedEntry, OverApplication):
            assert (dict(self.ledger.items), len(self.ledger.entries)) == before

    @invariant()
    def ledger_invariants_hold(self):
        assert self.ledger.problems() == []


LedgerMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
test_ledger_invariants_hold_after_every_random_posting = LedgerMachine.TestCase
