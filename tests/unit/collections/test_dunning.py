"""Dunning strategies and rules: which invoices are reminded today, at which step, in one message."""

from datetime import date, datetime

from o2c.domain.dunning import Holds, Receivable, Tone, plan_reminders
from o2c.domain.money import Money
from o2c.services.collections import load_dunning_rules

TODAY = date(2026, 10, 20)
RULES = load_dunning_rules()
HORECA = RULES.for_segment("horeca")


def _item(doc: str, days_overdue: int, customer: str = "C1", sent: frozenset[str] = frozenset(),
          open_: str = "100") -> Receivable:
    return Receivable(doc, customer, Money.of(open_, "EUR"), date.fromordinal(TODAY.toordinal() - days_overdue), sent)


def test_the_shipped_strategies_cover_every_segment_with_steps_in_order_of_their_offsets():
    for segment in ("retail_chain", "wholesaler", "horeca"):
        offsets = [s.offset_days for s in RULES.for_segment(segment).steps]
        assert offsets == sorted(offsets) and len(offsets) >= 3


def test_only_the_latest_step_reached_is_sent_and_never_twice():
    assert HORECA.step_due(10, frozenset()).name == "second"
    assert HORECA.step_due(10, frozenset({"second"})) is None
    assert HORECA.step_due(1, frozenset()) is None


def test_a_customers_invoices_due_a_step_go_out_in_one_message_in_the_firmest_tone():
    [plan] = plan_reminders(HORECA, [_item("INV-1", 3), _item("INV-2", 19)], Holds(), TODAY)
    assert plan.documents == ("INV-1", "INV-2")
    assert plan.step.tone is Tone.FIRM and plan.steps == {"INV-1": "first", "INV-2": "third"}
    assert plan.total == Money.of("200", "EUR")


def test_disputed_promised_announced_and_paid_invoices_are_never_reminded():
    items = [_item("PAID", 10, open_="0"), _item("DISPUTED", 10), _item("PROMISED", 10), _item("ANNOUNCED", 10),
             _item("OTHER", 10, customer="C2"), _item("CHASED", 10)]
    holds = Holds(frozenset({"DISPUTED"}), frozenset({"PROMISED"}), frozenset({"ANNOUNCED"}), frozenset({"C2"}))
    [plan] = plan_reminders(HORECA, items, holds, TODAY)
    assert plan.documents == ("CHASED",)


def test_small_amounts_under_the_strategy_minimum_are_not_chased():
    assert plan_reminders(HORECA, [_item("TINY", 10, open_="2.00")], Holds(), TODAY) == []


def test_nothing_is_sent_in_quiet_hours_or_at_the_weekend():
    assert RULES.is_quiet(datetime(2026, 10, 20, 22, 0))
    assert RULES.is_quiet(datetime(2026, 10, 20, 6, 30))
    assert RULES.is_quiet(datetime(2026, 10, 24, 11, 0))
    assert not RULES.is_quiet(datetime(2026, 10, 20, 11, 0))
