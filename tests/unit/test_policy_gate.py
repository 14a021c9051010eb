from datetime import datetime

import pytest

from o2c.domain.errors import PolicyError
from o2c.domain.money import Money
from o2c.policy.gate import Outcome, load_policy, parse_policy

POLICY = """
default: {mode: needs_approval}
actions:
  write_off: {mode: auto, max_amount: {EUR: 50}, min_confidence: 0.8}
  release_credit_hold: {mode: auto, approval_segments: [retail_chain], business_hours: "08:00-18:00"}
  delete_customer: {mode: never}
"""


def test_a_small_confident_write_off_executes_automatically():
    decision = parse_policy(POLICY).decide("write_off", Money.of("12.40", "EUR"), 0.95)
    assert decision.outcome is Outcome.EXECUTE


def test_a_write_off_above_the_limit_waits_for_a_person_and_says_why():
    decision = parse_policy(POLICY).decide("write_off", Money.of("50.01", "EUR"), 0.95)
    assert decision.outcome is Outcome.NEEDS_APPROVAL
    assert "above the automatic limit 50 EUR" in decision.rule


def test_an_amount_in_a_currency_without_a_limit_is_never_automatic():
    decision = parse_policy(POLICY).decide("write_off", Money.of("1", "USD"), 0.99)
    assert decision.outcome is Outcome.NEEDS_APPROVAL and "no automatic limit in USD" in decision.rule


def test_low_confidence_segments_and_hours_each_send_it_to_a_person():
    policy = parse_policy(POLICY)
    assert "confidence" in policy.decide("write_off", Money.of("1", "EUR"), 0.5).rule
    assert policy.decide("release_credit_hold", None, 1.0, "retail_chain",
                         datetime(2026, 9, 2, 10)).outcome is Outcome.NEEDS_APPROVAL
    assert "outside business hours" in policy.decide("release_credit_hold", None, 1.0, "horeca",
                                                     datetime(2026, 9, 5, 10)).rule  # a Saturday
    assert policy.decide("release_credit_hold", None, 1.0, "horeca",
                         datetime(2026, 9, 2, 10)).outcome is Outcome.EXECUTE


def test_never_actions_are_refused_and_unknown_actions_follow_the_default():
    policy = parse_policy(POLICY)
    assert policy.decide("delete_customer", None, 1.0).outcome is Outcome.REFUSE
    assert policy.decide("something_new", None, 1.0).outcome is Outcome.NEEDS_APPROVAL


def test_a_policy_with_an_unknown_mode_is_refused_naming_the_action():
    with pytest.raises(PolicyError, match=r"actions\.write_off"):
        parse_policy("actions: {write_off: {mode: sometimes}}")


def test_the_shipped_policy_loads():
    assert load_policy().decide("hold_order", None, 1.0).outcome is Outcome.EXECUTE
