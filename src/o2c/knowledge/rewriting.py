"""Optional LLM rewrite of an extractive answer, behind the small ``AnswerWriter`` port.

No LLM is needed: without one the knowledge agent answers with the extract. With an
OpenAI-compatible endpoint configured (``O2C_LLM_URL``, ``O2C_LLM_MODEL``, ``O2C_LLM_API_KEY``)
``OpenAICompatibleWriter`` asks it to rephrase the draft from the retrieved passages only. The HTTP
call is a replaceable function, so tests pass a fake and never reach a network. Any failure
(network, timeout, an unexpected reply) raises ``AnswerWriterError`` and the caller keeps the draft.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic_settings import BaseSettings, SettingsConfigDict

from o2c.knowledge.chunks import Chunk

PostJson = Callable[[str, dict[str, Any], dict[str, str], float], dict[str, Any]]

SYSTEM_PROMPT = (
    "You answer employees' questions about order-to-cash procedures. Use only the passages given. "
    "Keep the draft's facts, numbers and roles; write two sentences at most. If the passages do not "
    "answer the question, reply exactly with the draft."
)


class AnswerWriterError(Exception):
    """The writer could not produce an answer; the extractive draft stands."""


class AnswerWriter(Protocol):
    """Rephrases a drafted answer from the passages it was drawn from."""

    def write(self, question: str, passages: Sequence[Chunk], draft: str) -> str: ...


class LlmSettings(BaseSettings):
    """Where the optional LLM lives; no URL means no LLM."""

    model_config = SettingsConfigDict(env_prefix="O2C_", extra="ignore")

    llm_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = None
    llm_timeout_s: float = 10.0


def post_json(url: str, body: dict[str, Any], headers: dict[str, str], timeout: float) -> dict[str, Any]:
    """POST a JSON body and read a JSON reply (the real transport)."""
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            reply: dict[str, Any] = json.loads(response.read())
    except (OSError, ValueError) as error:
        raise AnswerWriterError(f"LLM call to {url} failed: {error}") from error
    return reply


@dataclass(frozen=True)
class OpenAICompatibleWriter:
    """Calls ``{url}/chat/completions`` of any OpenAI-compatible server."""

    url: str
    model: str
    api_key: str | None = None
    timeout_s: float = 10.0
    post: PostJson = post_json

    def write(self, question: str, passages: Sequence[Chunk], draft: str) -> str:
        reply = self.post(f"{self.url.rstrip('/')}/chat/completions", self._body(question, passages, draft),
                          self._headers(), self.timeout_s)
        try:
            return str(reply["choices"][0]["message"]["content"]).strip()
        except (KeyError, IndexError, TypeError) as error:
            raise AnswerWriterError(f"unexpected LLM reply: {str(reply)[:200]}") from error

    def _body(self, question: str, passages: Sequence[Chunk], draft: str) -> dict[str, Any]:
        context = "\n\n".join(f"[{p.title} > {p.section}]\n{p.text}" for p in passages)
        user = f"Passages:\n{context}\n\nQuestion: {question}\nDraft answer: {draft}"
        return {"model": self.model, "temperature": 0,
                "messages": [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]}

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}


def writer_from_settings(settings: LlmSettings | None = None) -> AnswerWriter | None:
    """The configured LLM writer, or None when no URL is set."""
    settings = settings or LlmSettings()
    if not settings.llm_url:
        return None
    return OpenAICompatibleWriter(settings.llm_url, settings.llm_model, settings.llm_api_key,
                                  settings.llm_timeout_s)
