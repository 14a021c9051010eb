"""The agent contract: observe an event, read shared state, return proposals; never write.

A ``Proposal`` is a command plus why (``reason``, in words), what it rests on (``evidence``: ids and
figures), how sure the agent is (``confidence`` 0..1) and the money at stake. The policy gate decides
what happens to it; the service layer executes it and writes the audit record in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from o2c.adapters.store.uow import UnitOfWork
from o2c.domain.commands import Command
from o2c.domain.events import Event
from o2c.domain.money import Money
from o2c.services.clock import Clock


@dataclass(frozen=True, slots=True)
class Proposal:
    agent: str
    action: str
    command: Command
    subject: str
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    amount_at_stake: Money | None = None
    segment: str | None = None
    requested_by: str | None = None
    """The person the agent acts for (a member of staff typing for a customer, or a customer's portal
    contact); None when the agent acts on its own. They are named as the requester in the audit."""


@dataclass(frozen=True, slots=True)
class AgentDeps:
    """An agent's only door to the system: state to read (through the unit of work) and the clock."""

    uow: UnitOfWork
    clock: Clock
    scratch: dict[str, Any] = field(default_factory=dict)
    """What an agent may keep between events handled in the same transaction (a batch)."""


class Agent(Protocol):
    name: str
    subscribes: frozenset[str]

    def handle(self, event: Event, deps: AgentDeps) -> list[Proposal]:
        """Proposals in answer to ``event`` (an empty list when there is nothing to do)."""
        ...
