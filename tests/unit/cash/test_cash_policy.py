"""Cash application's policy: amount caps per segment and currency, and tolerances read from YAML."""

from decimal import Decimal

import pytest

from o2c.domain.errors import PolicyError
from o2c.domain.money import Money
from o2c.policy.cash_matching import load_match_rules, match_rules_of
from o2c.policy.gate import Outcome, load_policy


def test_a_confident_two_million_payment_waits_for_a_person_whatever_the_confidence():
    decision = load_policy().decide("apply_payment", Money.of("2000000", "EUR"), 0.999, "wholesaler")
    assert decision.outcome is Outcome.NEEDS_APPROVAL and "above the automatic limit" in decision.rule


def test_the_cap_depends_on_the_segment():
    policy = load_policy()
    amount = Money.of("60000", "EUR")
    assert policy.decide("apply_payment", amount, 0.99, "wholesaler").outcome is Outcome.NEEDS_APPROVAL
    assert policy.decide("apply_payment", amount, 0.99, "retail_chain").outcome is Outcome.EXECUTE
    assert policy.decide("apply_payment", Money.of("12000", "EUR"), 0.99, "horeca").outcome is Outcome.NEEDS_APPROVAL


def test_the_shipped_policy_sets_the_matching_tolerances():
    rules = load_match_rules()
    assert rules.charges["EUR"] == Decimal(35) and rules.fuzzy_edits == 2
    assert rules.charges_limit("C1", Money.of("1000.00", "EUR")) == Money.of("10.00", "EUR")


def test_a_customer_gets_its_own_charges_limit():
    rules = match_rules_of({"customer_charges": {"C7": {"USD": 80}}, "charges_share": 0.05})
    assert rules.charges_limit("C7", Money.of("5000", "USD")) == Money.of("80", "USD")
    assert rules.charges_limit("C8", Money.of("5000", "USD")) == Money.of("45", "USD")


def test_an_unknown_or_malformed_tolerance_is_refused_with_its_key():
    with pytest.raises(PolicyError, match="unknown key"):
        match_rules_of({"charge": {"EUR": 35}})
    with pytest.raises(PolicyError, match=r"charges\.EUR"):
        match_rules_of({"charges": {"EUR": "lots"}})
    with pytest.raises(PolicyError, match="fuzzy_edits"):
        match_rules_of({"fuzzy_edits": 1.5})
