"""Customer messages and people's tasks: what o2c tells customers and what it asks people to do.

A message is drafted in the customer's language and sent through its channel; a ``dedupe_key`` makes
sure the same notice or reminder is never sent twice. A task is work for a team (logistics, finance,
master data, sales, collections) with the evidence it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class CustomerMessage:
    id: str
    created_at: datetime
    customer_id: str | None
    direction: str
    channel: str
    kind: str
    subject: str
    body: str
    language: str = "en"
    related: str | None = None
    dedupe_key: str | None = None
    status: str = "queued"
    sent_at: datetime | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    created_at: datetime
    team: str
    kind: str
    subject: str
    title: str
    detail: str
    evidence: dict[str, Any] = field(default_factory=dict)
    status: str = "open"
    assignee: str | None = None
    due_at: datetime | None = None
    dedupe_key: str | None = None
