"""Optional LLM rewrite of an extractive answer, behind the small ``AnswerWriter`` port.

No LLM is needed: without one the knowledge agent answers with the extract. With the one optional
LLM configured (``o2c.config.LlmSettings``), ``o2c.adapters.llm.LlmAnswerWriter`` asks it to rephrase
the draft from the retrieved passages only. Any failure (network, timeout, an unexpected reply)
raises ``AnswerWriterError`` and the caller keeps the draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from o2c.knowledge.chunks import Chunk


class AnswerWriterError(Exception):
    """The writer could not produce an answer; the extractive draft stands."""


class AnswerWriter(Protocol):
    """Rephrases a drafted answer from the passages it was drawn from."""

    def write(self, question: str, passages: Sequence[Chunk], draft: str) -> str: ...
