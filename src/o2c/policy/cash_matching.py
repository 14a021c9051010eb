"""The cash-matching tolerances of a policy file: its ``cash_matching`` section read into ``MatchRules``.

The agent judges bank charges, discounts, short pays and FX differences by these numbers (per
currency, per customer, scaled by the amount due) and by what the payer did before; never by the
shape of the numbers it expects. An unknown key or a value that is not a number is refused with the
key named, so a typo in a policy never silently falls back to a default.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from o2c.domain.errors import PolicyError
from o2c.domain.matching import MatchRules

_NUMBERS = ("charges_share", "history_margin", "fx_tolerance", "short_pay_share")
_WHOLE = ("discount_grace_days", "fuzzy_edits")


def _decimal(value: Any, where: str) -> Decimal:
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        raise PolicyError(f"{where}: {value!r} is not a number") from None
    if not found.is_finite() or found < 0:
        raise PolicyError(f"{where}: {value!r} must be a number of zero or more")
    return found


def _per_currency(raw: Any, where: str) -> dict[str, Decimal]:
    if not isinstance(raw, dict):
        raise PolicyError(f"{where}: expected a mapping of currency to amount")
    return {str(ccy): _decimal(v, f"{where}.{ccy}") for ccy, v in raw.items()}


def match_rules_of(raw: dict[str, Any] | None, source: str = "policy") -> MatchRules:
    """``MatchRules`` from a ``cash_matching`` mapping; keys left out keep the engine's defaults."""
    raw = raw or {}
    where = f"{source}: cash_matching"
    known = {"charges", "customer_charges", *_NUMBERS, *_WHOLE}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise PolicyError(f"{where}: unknown key(s) {', '.join(unknown)}")
    given: dict[str, Any] = {}
    if "charges" in raw:
        given["charges"] = _per_currency(raw["charges"], f"{where}.charges")
    if "customer_charges" in raw:
        customers = raw["customer_charges"] or {}
        if not isinstance(customers, dict):
            raise PolicyError(f"{where}.customer_charges: expected a mapping of customer to charges")
        given["customer_charges"] = {str(c): _per_currency(v, f"{where}.customer_charges.{c}")
                                     for c, v in customers.items()}
    for key in _NUMBERS:
        if key in raw:
            given[key] = _decimal(raw[key], f"{where}.{key}")
    for key in _WHOLE:
        if key in raw:
            value = raw[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise PolicyError(f"{where}.{key}: {value!r} must be a whole number of zero or more")
            given[key] = value
    return MatchRules(**given)


def load_match_rules(path: Path | None = None) -> MatchRules:
    """The tolerances of the policy in ``path``, or of the one shipped with o2c."""
    if path is not None:
        text, source = path.read_text(), str(path)
    else:
        text, source = resources.files("o2c.policy").joinpath("default_policy.yaml").read_text(), "default_policy.yaml"
    raw = yaml.safe_load(text) or {}
    if not isinstance(raw, dict):
        raise PolicyError(f"{source}: expected a mapping at the top")
    return match_rules_of(raw.get("cash_matching"), source)
