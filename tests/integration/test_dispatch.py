"""Outbox dispatch: every (event, agent) handled exactly once, failures retried then dead-lettered."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from o2c.adapters.store import tables as t
from o2c.agents.base import AgentDeps, Proposal
from o2c.bootstrap import bootstrap
from o2c.config import Settings
from o2c.domain import commands as c
from o2c.domain import events as e
from tests.factories import seed

DAY = date(2026, 9, 1)


@dataclass
class CountingAgent:
    name: str = "counter"
    subscribes: frozenset[str] = frozenset({"OrderCaptured"})
    seen: list[str] = field(default_factory=list)

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        self.seen.append(event.order_id)  # type: ignore[attr-defined]
        return []


@dataclass
class BrokenAgent:
    name: str = "broken"
    subscribes: frozenset[str] = frozenset({"OrderCaptured"})
    calls: int = 0

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        self.calls += 1
        raise RuntimeError("upstream credit bureau unavailable")


def _order(app, n: int = 1) -> None:
    for _ in range(n):
        app.execute(c.CaptureOrder("C1", "C1-S1", "email", DAY + timedelta(days=3),
                                   (c.CaptureOrderLine("COLA", Decimal(2)),)), "test", "order")


def test_each_event_reaches_each_subscribed_agent_exactly_once(database_url, clock):
    counter = CountingAgent()
    app = bootstrap(Settings(database_url=database_url), clock=clock, agents=[counter])
    seed(app)
    _order(app, 3)
    assert app.dispatcher.drain() == 3
    assert app.dispatcher.drain() == 0
    assert sorted(counter.seen) == ["SO-000001", "SO-000002", "SO-000003"]
    app.close()


def test_a_failing_agent_is_retried_then_dead_lettered_while_others_carry_on(database_url, clock):
    counter, broken = CountingAgent(), BrokenAgent()
    app = bootstrap(Settings(database_url=database_url, dispatch_max_attempts=3), clock=clock,
                    agents=[counter, broken])
    seed(app)
    _order(app)
    for _ in range(3):
        app.dispatcher.drain()
        clock.tick(3600)
    assert counter.seen == ["SO-000001"]
    assert broken.calls == 3
    with app.uow() as uow:
        dead = uow.outbox.dead_letters()
        assert [(d["subscriber"], d["attempts"]) for d in dead] == [("broken", 3)]
        assert "credit bureau unavailable" in dead[0]["last_error"]
        uow.outbox.retry_dead(dead[0]["event_id"], "broken")
        uow.commit()
    app.dispatcher.drain()
    assert broken.calls == 4
    app.close()


def test_an_agent_crash_rolls_back_its_proposals_and_leaves_the_dispatch_pending(database_url, clock):
    @dataclass
    class ProposeThenCrash:
        name: str = "crashy"
        subscribes: frozenset[str] = frozenset({"OrderCaptured"})
        crash: bool = True

        def handle(self, event, deps):
            from o2c.services.proposals import submit
            submit(deps.uow, Proposal(self.name, "hold_order", c.HoldOrder(event.order_id, "test"),
                                      f"order:{event.order_id}", "test hold"), app.policy, app.company)
            if self.crash:
                raise RuntimeError("killed mid-way")
            return []

    agent = ProposeThenCrash()
    app = bootstrap(Settings(database_url=database_url), clock=clock, agents=[agent])
    seed(app)
    _order(app)
    app.dispatcher.drain()
    with app.uow() as uow:
        assert uow.conn.execute(select(func.count()).select_from(t.proposals)).scalar_one() == 0
        assert uow.orders.get("SO-000001").status.value == "captured"
    agent.crash = False
    clock.tick(3600)
    app.dispatcher.drain()
    with app.uow() as uow:
        assert uow.conn.execute(select(func.count()).select_from(t.proposals)).scalar_one() == 1
        assert uow.orders.get("SO-000001").status.value == "on_hold"
    app.close()
