"""The sentinel: turns an assessed incident into a proactive customer notice and a task for the right team.

On ``IncidentAssessed`` (after the fulfilment agent has proposed remedies for the same event, so the
notice can say what was done) it proposes one notice per affected customer for the orders new in
that wave, through the customer's channel and in their language, and a task with the evidence for
each team that owns the incident. Nothing is sent for an incident already resolved (a stock arrival
that cancels a stockout), and billing-only problems (a missing GTIN) reach master data, not the
customer.
"""

from __future__ import annotations

from dataclasses import dataclass

from o2c.adapters.store.operations_store import Incident, IncidentOrder, OperationsStore
from o2c.agents.base import AgentDeps, Proposal
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.operations import Team

EXTRA_TEAMS: dict[str, tuple[Team, ...]] = {
    "line_breakdown": (Team.SALES,),
    "stockout": (Team.SALES,),
    "proof_of_delivery": (Team.FINANCE,),
    "credit_block": (Team.SALES,),
    "master_data_error": (Team.FINANCE,),
}


@dataclass
class SentinelAgent:
    name: str = "sentinel"
    subscribes: frozenset[str] = frozenset({"IncidentAssessed"})

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        if not isinstance(event, e.IncidentAssessed):
            return []
        store = OperationsStore(deps.uow.conn)
        incident = store.incident(event.incident_id)
        if incident is None or incident.status != "open":
            return []
        rows = [r for r in store.affected(incident.id, event.wave) if not r.cleared]
        notices = self._notices(incident, rows) if incident.customer_visible else []
        return notices + self._tasks(incident, rows, event.wave)

    def _notices(self, incident: Incident, rows: list[IncidentOrder]) -> list[Proposal]:
        by_customer: dict[str, list[str]] = {}
        for row in rows:
            if row.told_at is None:
                by_customer.setdefault(row.customer_id, []).append(row.order_id)
        return [Proposal(self.name, "notify_customer", c.NotifyCustomer(incident.id, customer_id, tuple(orders)),
                         f"customer:{customer_id}", f"Tell the customer before they notice: {incident.title}",
                         {"incident": incident.id, "orders": orders}, 1.0)
                for customer_id, orders in sorted(by_customer.items())]

    def _tasks(self, incident: Incident, rows: list[IncidentOrder], wave: int) -> list[Proposal]:
        if wave > 1:
            return []
        teams = (Team(incident.team), *EXTRA_TEAMS.get(incident.kind, ()))
        detail = (f"{incident.title}. {len(rows)} open order(s) of {len({r.customer_id for r in rows})} "
                  f"customer(s) affected." + (" Invoicing from this record is blocked until it is fixed."
                                              if incident.blocks_billing else ""))
        return [Proposal(self.name, "alert_team", c.RaiseTask(incident.id, team.value, incident.title, detail),
                         f"incident:{incident.id}", f"{team.value} owns this: {incident.title}",
                         {"incident": incident.id, **incident.evidence}, 1.0)
                for team in dict.fromkeys(teams)]
