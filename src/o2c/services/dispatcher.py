"""Event dispatch from the outbox to the agents: each (event, agent) exactly once.

``fan_out`` turns each new outbox event into one pending dispatch per subscribed agent. ``run_once``
claims one dispatch, lets the agent propose, submits the proposals through the policy gate and marks
the dispatch done, all in one transaction: a crash before commit leaves it pending, a commit makes it
done together with its effects. A failing agent is retried with back-off and, after ``max_attempts``,
moved to the dead-letter list a person sees (``o2c events dead``) — never dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.base import Agent, AgentDeps
from o2c.policy.gate import Policy
from o2c.services.clock import Clock
from o2c.services.handlers import Company
from o2c.services.proposals import submit

log = logging.getLogger(__name__)


@dataclass
class Dispatcher:
    uow_factory: Callable[[], UnitOfWork]
    agents: Sequence[Agent]
    policy: Policy
    company: Company
    clock: Clock
    max_attempts: int = 5

    def subscriptions(self) -> dict[str, set[str]]:
        subs: dict[str, set[str]] = {}
        for agent in self.agents:
            for event_name in agent.subscribes:
                subs.setdefault(event_name, set()).add(agent.name)
        return subs

    def fan_out(self) -> int:
        with self.uow_factory() as uow:
            count = uow.outbox.fan_out(self.subscriptions())
            uow.commit()
        return count

    def run_once(self) -> bool:
        """Handle one due dispatch; False when none is due."""
        by_name = {a.name: a for a in self.agents}
        with self.uow_factory() as uow:
            claim = uow.outbox.claim(self.clock.now())
            if claim is None:
                return False
            event_id, subscriber = claim
            try:
                stored = uow.outbox.event(event_id)
                agent = by_name[subscriber]
                for proposal in agent.handle(stored.event, AgentDeps(uow, self.clock)):
                    submit(uow, proposal, self.policy, self.company)
                uow.outbox.mark_done(event_id, subscriber, self.clock.now())
                uow.commit()
            except Exception as exc:  # an agent's failure is recorded, retried, then dead-lettered
                uow.rollback()
                status = uow.outbox.record_failure(event_id, subscriber, f"{type(exc).__name__}: {exc}",
                                                   self.clock.now(), self.max_attempts)
                uow.commit()
                log.warning("dispatch of event %s to %s failed (%s): %s", event_id, subscriber, status, exc)
        return True

    def drain(self, limit: int = 100_000) -> int:
        """Fan out and handle everything due now (events raised while handling included)."""
        handled = 0
        while handled < limit and self.fan_out() + self._pending() > 0:
            while handled < limit and self.run_once():
                handled += 1
            if not self._pending_due():
                break
        return handled

    def _pending(self) -> int:
        with self.uow_factory() as uow:
            return uow.outbox.pending_count()

    def _pending_due(self) -> bool:
        with self.uow_factory() as uow:
            return uow.outbox.claim(self.clock.now()) is not None or uow.outbox.unfanned() > 0
