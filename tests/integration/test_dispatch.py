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


@dataclass
class PicksyAgent:
    """Proposes a task for every order but fails on one of them."""

    fail_on: str
    name: str = "picky"
    subscribes: frozenset[str] = frozenset({"OrderCaptured"})
    calls: list[str] = field(default_factory=list)

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        order_id = event.order_id  # type: ignore[attr-defined]
        self.calls.append(order_id)
        deps.scratch[order_id] = True
        if order_id == self.fail_on:
            raise RuntimeError(f"cannot read {order_id}")
        return [Proposal(self.name, "hold_order", c.HoldOrder(order_id, "checking"), f"order:{order_id}",
                         "a test hold", confidence=0.1)]


def test_a_batch_commits_the_good_dispatches_and_records_the_failing_one_alone(database_url, clock):
    picky = PicksyAgent(fail_on="SO-000002")
    app = bootstrap(Settings(database_url=database_url), clock=clock, agents=[picky])
    seed(app)
    _order(app, 3)
    app.dispatcher.drain()
    assert picky.calls.count("SO-000002") == 1  # the failing agent is not called twice for one attempt
    with app.uow() as uow:
        statuses = dict(uow.conn.execute(select(t.dispatches.c.event_id, t.dispatches.c.status)).all())
        proposals = uow.proposals.list(agent="picky")
        assert sorted(p.subject for p in proposals) == ["order:SO-000001", "order:SO-000003"]
        assert sorted(statuses.values()) == ["done", "done", "pending"]
        assert uow.audit.verify() == []
    app.close()


def test_a_savepoint_undoes_its_audit_records_numbers_and_events(database_url, clock):
    app = bootstrap(Settings(database_url=database_url), clock=clock, agents=[])
    seed(app)
    with app.uow() as uow:
        first = uow.sequences.next("probe", "PR")
        uow.audit.append(clock.now(), "test", "kept", "probe:1", "kept", {})
        try:
            with uow.savepoint():
                uow.sequences.next("probe", "PR")
                uow.sequences.next("other", "OT")
                uow.audit.append(clock.now(), "test", "undone", "probe:2", "undone", {})
                uow.emit(e.OrderCaptured("SO-X", "C1"))
                raise RuntimeError("undo")
        except RuntimeError:
            pass
        second = uow.sequences.next("probe", "PR")
        uow.commit()
    with app.uow() as uow:
        assert (first, second) == ("PR-000001", "PR-000002")
        assert uow.sequences.next("probe", "PR") == "PR-000003"  # written back at the commit, no gap
        assert uow.sequences.next("other", "OT") == "OT-000001"
        actions = [r.action for r in uow.audit.records(subject=None, limit=50)]
        assert "kept" in actions and "undone" not in actions
        assert uow.audit.verify() == []
        assert uow.conn.execute(select(func.count()).select_from(t.outbox)
                                .where(t.outbox.c.event_type == "OrderCaptured")).scalar_one() == 0
    app.close()
