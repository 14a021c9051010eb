"""The bridge to the customer-service agent, when it is installed.

The contract looked for: ``o2c.agents.service.converse(app, text, customer_id=..., conversation_id=..., acting=...)``
returning an object (or dict) with ``text`` (or ``reply``) and optionally ``intent`` and
``conversation_id``. Without it the chat says plainly that it is not available yet — it never makes
up an answer.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from o2c.bootstrap import App

NOT_AVAILABLE = ("The customer-service agent is not available yet in this installation, so no answer can be "
                 "given here. Please use the account view or ask a colleague.")


@dataclass(frozen=True, slots=True)
class Turn:
    available: bool
    reply: str
    conversation_id: str | None = None
    intent: str | None = None


def _converse() -> Any:
    try:
        module = importlib.import_module("o2c.agents.service")
    except ImportError:
        return None
    return getattr(module, "converse", None)


def available() -> bool:
    return _converse() is not None


def _field(result: Any, *names: str) -> Any:
    for name in names:
        value = result.get(name) if isinstance(result, dict) else getattr(result, name, None)
        if value is not None:
            return value
    return None


def ask(app: App, text: str, customer_id: str | None = None, conversation_id: str | None = None,
        acting: str | None = None) -> Turn:
    """One turn; ``acting`` names who typed it (a member of staff, or a customer's ``portal:`` access)."""
    converse = _converse()
    if converse is None:
        return Turn(False, NOT_AVAILABLE, conversation_id)
    result = converse(app, text, customer_id=customer_id, conversation_id=conversation_id, acting=acting)
    if isinstance(result, str):
        return Turn(True, result, conversation_id)
    return Turn(True, str(_field(result, "text", "reply", "answer") or ""),
                _field(result, "conversation_id") or conversation_id, _field(result, "intent"))
