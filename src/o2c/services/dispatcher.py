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
from o2c.domain.events import Event
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
        return self.run_batch(1) > 0

    def run_batch(self, size: int = 500) -> int:
        """Handle up to ``size`` due dispatches of one agent in one transaction; how many were handled.

        The batch first runs straight through and commits once, every dispatch marked done together
        with its effects. Should any agent or handler fail, all of it is rolled back and the batch is
        run again carefully (``_run_careful``), each dispatch in its own savepoint, so that the failing
        one alone is undone and recorded for a retry or the dead-letter list. The agent sees one
        ``AgentDeps.scratch`` for the whole batch, for what it may reuse between events of the same
        transaction (nothing else writes while the batch holds it).
        """
        failed: dict[tuple[int, str], Exception] = {}
        if size > 1:
            with self.uow_factory() as uow:
                claims = uow.outbox.claim_batch(self.clock.now(), size)
                if not claims:
                    return 0
                deps = AgentDeps(uow, self.clock)
                events = uow.outbox.events([event_id for event_id, _ in claims])
                for claim in claims:
                    try:
                        self._handle(deps, events[claim[0]].event, claim[1])
                    except Exception as exc:  # recorded by the careful run, without calling the agent again
                        failed[claim] = exc
                        uow.rollback()
                        break
                else:
                    uow.outbox.mark_done_many(claims, self.clock.now())
                    uow.commit()
                    return len(claims)
        return self._run_careful(size, failed)

    def _handle(self, deps: AgentDeps, event: Event, subscriber: str) -> None:
        agent = next(a for a in self.agents if a.name == subscriber)
        for proposal in agent.handle(event, deps):
            submit(deps.uow, proposal, self.policy, self.company)

    def _run_careful(self, size: int, failed: dict[tuple[int, str], Exception] | None = None) -> int:
        with self.uow_factory() as uow:
            claims = uow.outbox.claim_batch(self.clock.now(), size)
            if not claims:
                return 0
            deps = AgentDeps(uow, self.clock)
            for event_id, subscriber in claims:
                try:
                    if (known := (failed or {}).get((event_id, subscriber))) is not None:
                        raise known
                    with uow.savepoint():
                        self._handle(deps, uow.outbox.event(event_id).event, subscriber)
                        uow.outbox.mark_done(event_id, subscriber, self.clock.now())
                except Exception as exc:  # an agent's failure is recorded, retried, then dead-lettered
                    deps.scratch.clear()
                    status = uow.outbox.record_failure(event_id, subscriber, f"{type(exc).__name__}: {exc}",
                                                       self.clock.now(), self.max_attempts)
                    log.warning("dispatch of event %s to %s failed (%s): %s", event_id, subscriber, status, exc)
            uow.commit()
        return len(claims)

    def drain(self, limit: int = 100_000, batch: int = 500) -> int:
        """Fan out and handle everything due now (events raised while handling included)."""
        handled = 0
        while handled < limit and self.fan_out() + self._pending() > 0:
            while handled < limit and (done := self.run_batch(min(batch, limit - handled))):
                handled += done
            if not self._pending_due():
                break
        return handled

    def _pending(self) -> int:
        with self.uow_factory() as uow:
            return uow.outbox.pending_count()

    def _pending_due(self) -> bool:
        with self.uow_factory() as uow:
            return uow.outbox.claim(self.clock.now()) is not None or uow.outbox.unfanned() > 0
