"""The collections agent: chases the right invoice, and stops when it is disputed, promised or paid.

On the daily ``CollectionsDayStarted`` it closes promises to pay (kept when their invoices are
settled, broken when their date and grace passed), closes payment announcements (found, or expired:
a person looks for the money), and plans the day's reminders per customer from the segment's
dunning strategy, skipping every invoice the shared state holds (open case, valid promise, announced
payment, already paid). A broken promise gets a follow-up message and a call. Each customer reply is
read and turned into an action (``services.replies``). It only proposes; handlers check again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from o2c.adapters.store import tables as t
from o2c.adapters.store.collections_store import CollectionsStore
from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.base import AgentDeps, Proposal
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.dunning import DunningRules, plan_reminders
from o2c.domain.payments import PromiseToPay
from o2c.services.collections import holds, load_dunning_rules, receivables
from o2c.services.replies import proposals_for_reply


@dataclass
class CollectionsAgent:
    name: str = "collections"
    subscribes: frozenset[str] = frozenset({"CollectionsDayStarted", "PromiseBroken", "CustomerReplyReceived"})
    rules: DunningRules | None = None

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        if isinstance(event, e.CollectionsDayStarted):
            rules = self.rules or load_dunning_rules()
            return [*self.close_promises(deps.uow, rules), *self.close_announcements(deps.uow),
                    *([] if rules.is_quiet(deps.clock.now()) else self.reminders(deps.uow, rules))]
        if isinstance(event, e.PromiseBroken):
            return [Proposal(self.name, "follow_up_broken_promise", c.FollowUpBrokenPromise(event.promise_id),
                             f"promise:{event.promise_id}", "the promised payment did not arrive: ask and call",
                             {"promise": event.promise_id, "customer": event.customer_id})]
        if isinstance(event, e.CustomerReplyReceived):
            found = deps.uow.messages.where(t.customer_messages.c.id == event.message_id, limit=1)
            return proposals_for_reply(deps.uow, found[0], self.name) if found else []
        return []

    def _settled(self, uow: UnitOfWork, documents: tuple[str, ...]) -> bool:
        items = [uow.ledger.item_for_document(d, "invoice") for d in documents]
        return bool(items) and all(i is None or i.is_settled for i in items)

    def _promise_outcome(self, uow: UnitOfWork, promise: PromiseToPay, today: date, grace: int) -> str | None:
        if promise.invoice_numbers and self._settled(uow, promise.invoice_numbers):
            return "kept"
        if (today - promise.promised_date).days > grace:
            return "broken"
        return None

    def close_promises(self, uow: UnitOfWork, rules: DunningRules) -> list[Proposal]:
        today = uow.clock.today()
        found = []
        for promise in uow.promises.where(t.promises.c.status == "open"):
            outcome = self._promise_outcome(uow, promise, today, rules.promise_grace_days)
            if outcome:
                found.append(Proposal(self.name, "close_promise", c.ClosePromise(promise.id, outcome),
                                      f"promise:{promise.id}",
                                      f"promise of {promise.amount} by {promise.promised_date} {outcome}",
                                      {"promise": promise.id, "invoices": list(promise.invoice_numbers)}))
        return found

    def close_announcements(self, uow: UnitOfWork) -> list[Proposal]:
        today = uow.clock.today()
        found = []
        for row in CollectionsStore(uow.conn).open_announcements():
            documents = tuple(row["documents"])
            if documents and self._settled(uow, documents):
                found.append(Proposal(self.name, "close_announcement", c.CloseAnnouncement(row["id"], "found"),
                                      f"announcement:{row['id']}", "the announced payment arrived", dict(row)))
            elif row["expires_on"] < today:
                found.append(Proposal(self.name, "close_announcement", c.CloseAnnouncement(row["id"], "expired"),
                                      f"announcement:{row['id']}", "no payment found: reminders resume",
                                      {"announcement": row["id"]}))
                found.append(Proposal(self.name, "hand_to_person", c.HandToPerson(
                    row["customer_id"], f"announcement:{row['id']}", "Find the payment the customer announced",
                    f"{row['customer_id']} said on {row['announced_on']}: {row['details']}", "payment_search"),
                    f"announcement:{row['id']}", "announced payment not found in time", {"announcement": row["id"]}))
        return found

    def reminders(self, uow: UnitOfWork, rules: DunningRules) -> list[Proposal]:
        today = uow.clock.today()
        held = holds(uow, rules, today)
        by_customer = defaultdict(list)
        for item in receivables(uow, uow.ledger.all_open()):
            by_customer[item.customer_id].append(item)
        found = []
        for customer_id, items in sorted(by_customer.items()):
            customer = uow.customers.get(customer_id)
            if customer is None:
                continue
            strategy = rules.for_segment(customer.segment.value)
            for plan in plan_reminders(strategy, items, held, today):
                found.append(Proposal(
                    self.name, "send_reminder",
                    c.SendReminder(customer.id, plan.documents, plan.steps, plan.step.channel.value,
                                   plan.step.tone.value, strategy.name),
                    f"customer:{customer.id}",
                    f"{plan.step.name} ({plan.step.tone.value}, {plan.step.channel.value}) for "
                    f"{', '.join(plan.documents)}", {"documents": list(plan.documents), "steps": plan.steps},
                    1.0, plan.total, customer.segment.value))
        return found
