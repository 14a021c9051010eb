"""An e-mail's reading checked against the records before anything is proposed from it.

Whoever read the e-mail (the embedded rules or an LLM), a number in the reading is only a claim.
`checked` keeps the invoices and orders that exist and belong to the sender's customer, and names
the rest as refused (a number of another customer is refused exactly like one that does not exist);
an amount in another currency than the invoices it names is dropped. Proposals are made from a
`CheckedEmail` only.
"""

from __future__ import annotations

from dataclasses import dataclass

from o2c.adapters.nlp.email_reading import EmailReading
from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.service_records import own_invoice, own_order
from o2c.domain.customers import Customer
from o2c.domain.money import Money


@dataclass(frozen=True)
class CheckedEmail:
    """The reading's kind, the customer's own documents it names, and what was refused."""

    kind: str
    invoice_numbers: tuple[str, ...]
    order_ids: tuple[str, ...]
    amount: Money | None
    refused: tuple[str, ...]
    source: str


def checked(reading: EmailReading, customer: Customer, uow: UnitOfWork) -> CheckedEmail:
    """Only what the records confirm: own invoices and orders, an amount in their currency."""
    invoices = {ref: own_invoice(uow, customer, ref) for ref in dict.fromkeys(reading.invoice_numbers)}
    orders = {ref: own_order(uow, customer, ref) for ref in dict.fromkeys(reading.order_numbers)}
    refused = tuple(ref for ref, found in (*invoices.items(), *orders.items()) if found is None)
    currencies = {i.currency for i in invoices.values() if i is not None} or {customer.currency}
    amount = None
    if reading.amount is not None and reading.currency in currencies:
        amount = Money(reading.amount, reading.currency)
    return CheckedEmail(
        reading.kind,
        tuple(i.number for i in invoices.values() if i is not None),
        tuple(o.id for o in orders.values() if o is not None),
        amount,
        refused,
        reading.source,
    )
