"""Dunning: which overdue invoices to remind a customer of today, at which step, tone and channel.

A ``Strategy`` (one per customer segment, read from ``policy/dunning.yaml``) is a ladder of steps,
each ``offset_days`` after the due date (negative: a friendly pre-due notice), with a channel
(e-mail, letter, phone task, portal/EDI note) and a tone (friendly -> firm -> final).

Rules, applied per invoice before anything is planned (``blocked_reason`` names the one that holds):
- an invoice that is settled, under an open dispute or deduction case, covered by a valid promise to
  pay, or whose payment the customer announced, is never reminded;
- each step is sent at most once per invoice, and only the latest step reached (no catching up);
- all invoices of one customer due a step today go out together in one message, in the firmest tone;
- nothing is sent in quiet hours or on quiet days; the message is drafted in the customer's language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from o2c.domain.money import Money


class Tone(StrEnum):
    FRIENDLY = "friendly"
    FIRM = "firm"
    FINAL = "final"

    @property
    def rank(self) -> int:
        return list(Tone).index(self)


class DunningChannel(StrEnum):
    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"
    PORTAL = "portal"


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    offset_days: int
    channel: DunningChannel
    tone: Tone


@dataclass(frozen=True, slots=True)
class Strategy:
    name: str
    steps: tuple[Step, ...]
    min_amount: Money | None = None

    def step_due(self, days_past_due: int, sent: frozenset[str]) -> Step | None:
        """The latest step reached at ``days_past_due`` if it was not sent yet (earlier ones are skipped)."""
        reached = [s for s in self.steps if s.offset_days <= days_past_due]
        if not reached or reached[-1].name in sent:
            return None
        return reached[-1]


@dataclass(frozen=True, slots=True)
class DunningRules:
    strategies: dict[str, Strategy]
    default: str
    quiet_hours: tuple[time, time] = (time(19), time(8))
    quiet_days: frozenset[int] = frozenset({5, 6})
    promise_grace_days: int = 2
    announcement_days: int = 7

    def for_segment(self, segment: str) -> Strategy:
        return self.strategies.get(segment, self.strategies[self.default])

    def is_quiet(self, at: datetime) -> bool:
        start, end = self.quiet_hours
        now = at.time()
        in_quiet = (now >= start or now < end) if start > end else start <= now < end
        return in_quiet or at.weekday() in self.quiet_days


def _step(raw: dict[str, Any]) -> Step:
    return Step(str(raw["name"]), int(raw["offset_days"]), DunningChannel(raw.get("channel", "email")),
                Tone(raw.get("tone", "friendly")))


def parse_rules(raw: Mapping[str, Any]) -> DunningRules:
    """Rules from the plain data of ``dunning.yaml``; steps are kept in order of their offsets."""
    strategies = {}
    for segment, body in raw["strategies"].items():
        steps = tuple(sorted((_step(s) for s in body["steps"]), key=lambda s: s.offset_days))
        minimum = body.get("min_amount")
        strategies[segment] = Strategy(str(body.get("name", segment)), steps,
                                       Money.of(str(minimum["amount"]), minimum["currency"]) if minimum else None)
    quiet = str(raw.get("quiet_hours", "19:00-08:00")).split("-")
    return DunningRules(strategies, str(raw.get("default", next(iter(strategies)))),
                        (time.fromisoformat(quiet[0]), time.fromisoformat(quiet[1])),
                        frozenset(int(d) for d in raw.get("quiet_days", [5, 6])),
                        int(raw.get("promise_grace_days", 2)), int(raw.get("announcement_days", 7)))


@dataclass(frozen=True, slots=True)
class Receivable:
    """An invoice as dunning sees it: what is still open, when it was due, what was sent already."""

    document: str
    customer_id: str
    open: Money
    due_date: date
    sent_steps: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Holds:
    """What stops reminders today: documents under a case, a valid promise, or an announced payment."""

    disputed: frozenset[str] = frozenset()
    promised: frozenset[str] = frozenset()
    announced: frozenset[str] = frozenset()
    customers_promised: frozenset[str] = frozenset()

    def blocked_reason(self, item: Receivable) -> str | None:
        if item.open.is_zero():
            return "paid"
        if item.document in self.disputed:
            return "disputed"
        if item.document in self.promised or item.customer_id in self.customers_promised:
            return "promise to pay"
        if item.document in self.announced:
            return "payment announced"
        return None


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """One message to one customer: the documents and the step each has reached."""

    customer_id: str
    strategy: str
    step: Step
    documents: tuple[str, ...]
    steps: dict[str, str] = field(default_factory=dict)
    total: Money | None = None


def plan_reminders(strategy: Strategy, items: Iterable[Receivable], holds: Holds, today: date) -> list[ReminderPlan]:
    """Group each customer's invoices due a step today into one reminder, in the firmest tone reached."""
    due: dict[str, list[tuple[Receivable, Step]]] = defaultdict(list)
    for item in items:
        if holds.blocked_reason(item) is not None:
            continue
        if strategy.min_amount and item.open.currency == strategy.min_amount.currency \
                and item.open < strategy.min_amount:
            continue
        step = strategy.step_due((today - item.due_date).days, item.sent_steps)
        if step is not None:
            due[item.customer_id].append((item, step))
    plans = []
    for customer_id, found in sorted(due.items()):
        lead = max((s for _, s in found), key=lambda s: (s.tone.rank, s.offset_days))
        documents = tuple(sorted(i.document for i, _ in found))
        total = found[0][0].open
        for item, _ in found[1:]:
            total = total + item.open if item.open.currency == total.currency else total
        plans.append(ReminderPlan(customer_id, strategy.name, lead, documents,
                                  {i.document: s.name for i, s in found}, total))
    return plans
