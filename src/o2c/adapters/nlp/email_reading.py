"""A free-text e-mail read into a typed result: what kind it is and the references it names.

`EmailReading` is what both readers return: the embedded one here (`read_email`: the intent
classifier for the kind, the entity rules for the numbers, amount and date) and the optional LLM
(`o2c.adapters.llm.LlmEmailReader`). A reading is only what the text says; before anything is
proposed from it, `o2c.services.email_reading.checked` keeps only the invoices and orders that exist
and belong to the sender's customer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from o2c.adapters.nlp.entities import extract_entities
from o2c.adapters.nlp.intents import IntentClassifier, default_classifier

EmailKind = Literal["order", "remittance", "dispute", "reply", "other"]
KIND_OF_INTENT: dict[str, EmailKind] = {
    "place_order": "order",
    "payment_query": "remittance",
    "invoice_query": "dispute",
    "report_problem": "dispute",
    "refund_request": "dispute",
    "other": "other",
    "unsure": "other",
}


class EmailReading(BaseModel):
    """What a free-text e-mail is and the references in it, as read (not yet checked against the records)."""

    kind: EmailKind
    invoice_numbers: list[str] = Field(default_factory=list)
    order_numbers: list[str] = Field(default_factory=list)
    amount: Decimal | None = Field(default=None, ge=0, lt=Decimal("1e15"))
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    on_date: date | None = None
    source: str = "embedded"


def read_email(text: str, today: date, classifier: IntentClassifier | None = None) -> EmailReading:
    """The embedded reading: the kind from the intent (anything else about an account is a reply)."""
    intent = (classifier or default_classifier()).classify(text).intent
    entities = extract_entities(text, today)
    amount = entities.amounts[0] if entities.amounts else None
    return EmailReading(
        kind=KIND_OF_INTENT.get(intent, "reply"),
        invoice_numbers=list(entities.invoice_numbers),
        order_numbers=list(entities.order_numbers),
        amount=amount.value if amount else None,
        currency=amount.currency if amount else None,
        on_date=entities.dates[0].start if entities.dates else None,
    )
