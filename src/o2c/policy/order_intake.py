"""The order-intake thresholds of a policy file: its ``order_intake`` section read into ``IntakeRules``.

Intake judges a sent price, a quantity and a requested date by these numbers: the price tolerance,
how far above the customer's seasonal median a quantity may go (for a SKU it ordered before, and for
a first order of a SKU), how the season is found, the lead time and the days without deliveries. An
unknown key or a value of the wrong kind is refused with the key named, so a typo in a policy never
silently falls back to a default.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from o2c.domain.errors import PolicyError
from o2c.domain.order_checks import IntakeRules

_NUMBERS = ("price_tolerance", "quantity_above_usual", "quantity_below_usual", "new_item_above_usual")
_WHOLE = ("season_window_days", "min_season_lines", "lead_time_days")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _positive(value: Any, where: str) -> Decimal:
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        raise PolicyError(f"{where}: {value!r} is not a number") from None
    if not found.is_finite() or found <= 0:
        raise PolicyError(f"{where}: {value!r} must be a number above zero")
    return found


def _whole(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PolicyError(f"{where}: {value!r} must be a whole number of zero or more")
    return value


def _weekdays(value: Any, where: str) -> frozenset[int]:
    if not isinstance(value, list) or any(str(day).lower() not in WEEKDAYS for day in value):
        raise PolicyError(f"{where}: expected a list of weekday names ({', '.join(WEEKDAYS)})")
    return frozenset(WEEKDAYS.index(str(day).lower()) for day in value)


def intake_rules_of(raw: dict[str, Any] | None, source: str = "policy") -> IntakeRules:
    """``IntakeRules`` from an ``order_intake`` mapping; keys left out keep the defaults."""
    raw = raw or {}
    where = f"{source}: order_intake"
    if not isinstance(raw, dict):
        raise PolicyError(f"{where}: expected a mapping")
    unknown = sorted(set(raw) - {*_NUMBERS, *_WHOLE, "closed_weekdays"})
    if unknown:
        raise PolicyError(f"{where}: unknown key(s) {', '.join(unknown)}")
    given: dict[str, Any] = {key: _positive(raw[key], f"{where}.{key}") for key in _NUMBERS if key in raw}
    given |= {key: _whole(raw[key], f"{where}.{key}") for key in _WHOLE if key in raw}
    if "closed_weekdays" in raw:
        given["closed_weekdays"] = _weekdays(raw["closed_weekdays"], f"{where}.closed_weekdays")
    return IntakeRules(**given)


def load_intake_rules(path: Path | None = None) -> IntakeRules:
    """The intake thresholds of the policy in ``path``, or of the one shipped with o2c."""
    if path is not None:
        text, source = path.read_text(), str(path)
    else:
        text, source = (
            resources.files("o2c.policy").joinpath("default_policy.yaml").read_text(),
            "default_policy.yaml",
        )
    raw = yaml.safe_load(text) or {}
    if not isinstance(raw, dict):
        raise PolicyError(f"{source}: expected a mapping at the top")
    return intake_rules_of(raw.get("order_intake"), source)
