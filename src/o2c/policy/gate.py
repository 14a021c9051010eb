"""The policy gate: per action type, execute automatically, queue for a person, or refuse.

A policy file (YAML) names, for each action, a mode (``auto``, ``needs_approval``, ``never``) and the
limits within which ``auto`` holds: a maximum amount per currency, a minimum confidence, segments that
always need a person, and business hours. Anything an action's rule does not allow automatically
goes to a person; an action with no rule follows ``default``. Customer text can never change this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from o2c.domain.errors import PolicyError
from o2c.domain.money import Money


class Outcome(StrEnum):
    EXECUTE = "execute"
    NEEDS_APPROVAL = "needs_approval"
    REFUSE = "refuse"


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    rule: str


@dataclass(frozen=True, slots=True)
class ActionRule:
    mode: str = "needs_approval"
    max_amount: dict[str, Decimal] = field(default_factory=dict)
    max_amount_by_segment: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    min_confidence: float = 0.0
    approval_segments: tuple[str, ...] = ()
    business_hours: tuple[time, time] | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    rules: dict[str, ActionRule]
    default: ActionRule

    def decide(self, action: str, amount: Money | None, confidence: float, segment: str | None = None,
               at: datetime | None = None) -> Decision:
        rule = self.rules.get(action, self.default)
        name = action if action in self.rules else f"default for {action}"
        if rule.mode == "never":
            return Decision(Outcome.REFUSE, f"{name}: never automatic or approvable")
        if rule.mode == "needs_approval":
            return Decision(Outcome.NEEDS_APPROVAL, f"{name}: always needs approval")
        reasons = []
        if confidence < rule.min_confidence:
            reasons.append(f"confidence {confidence:.2f} < {rule.min_confidence:.2f}")
        caps = rule.max_amount_by_segment.get(segment or "", rule.max_amount)
        if amount is not None and caps:
            limit = caps.get(amount.currency)
            if limit is None:
                reasons.append(f"no automatic limit in {amount.currency}")
            elif amount.amount > limit:
                reasons.append(f"amount {amount} above the automatic limit {limit} {amount.currency}")
        if segment and segment in rule.approval_segments:
            reasons.append(f"segment {segment} needs a person")
        if rule.business_hours and at is not None:
            start, end = rule.business_hours
            if at.weekday() >= 5 or not start <= at.time() <= end:
                reasons.append("outside business hours")
        if reasons:
            return Decision(Outcome.NEEDS_APPROVAL, f"{name}: " + "; ".join(reasons))
        return Decision(Outcome.EXECUTE, f"{name}: automatic within policy")


def _rule(raw: dict[str, Any], where: str) -> ActionRule:
    mode = raw.get("mode", "needs_approval")
    if mode not in ("auto", "needs_approval", "never"):
        raise PolicyError(f"{where}: mode must be auto, needs_approval or never, not {mode!r}")
    hours = None
    if "business_hours" in raw:
        start, end = str(raw["business_hours"]).split("-")
        hours = (time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))
    return ActionRule(
        mode=mode,
        max_amount={ccy: Decimal(str(v)) for ccy, v in (raw.get("max_amount") or {}).items()},
        max_amount_by_segment={segment: {ccy: Decimal(str(v)) for ccy, v in (caps or {}).items()}
                               for segment, caps in (raw.get("max_amount_by_segment") or {}).items()},
        min_confidence=float(raw.get("min_confidence", 0.0)),
        approval_segments=tuple(raw.get("approval_segments", ())),
        business_hours=hours,
    )


def parse_policy(text: str, source: str = "policy") -> Policy:
    raw = yaml.safe_load(text) or {}
    if not isinstance(raw, dict):
        raise PolicyError(f"{source}: expected a mapping at the top")
    rules = {name: _rule(body or {}, f"{source}: actions.{name}")
             for name, body in (raw.get("actions") or {}).items()}
    return Policy(rules, _rule(raw.get("default") or {}, f"{source}: default"))


def load_policy(path: Path | None = None) -> Policy:
    """The policy in ``path``, or the one shipped with o2c."""
    if path is not None:
        return parse_policy(path.read_text(), str(path))
    text = resources.files("o2c.policy").joinpath("default_policy.yaml").read_text()
    return parse_policy(text, "default_policy.yaml")
