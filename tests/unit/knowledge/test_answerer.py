"""The knowledge agent answers from the handbook with its sources, or says it does not know."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from o2c.knowledge.answerer import I_DONT_KNOW, KnowledgeBase
from o2c.knowledge.chunks import Chunk
from o2c.knowledge.rewriting import (
    AnswerWriterError,
    LlmSettings,
    OpenAICompatibleWriter,
    writer_from_settings,
)


def test_ask_cites_the_credit_hold_section_with_its_path(handbook: KnowledgeBase) -> None:
    answer = handbook.ask("how do I release a credit hold above 50k?")
    assert answer.known
    assert "credit manager" in answer.answer
    source = answer.sources[0]
    assert source.path == "credit-management.md"
    assert source.title == "Credit Management"
    assert source.section == "Credit hold release approval thresholds"
    assert source.chunk_id == "credit-management/credit-hold-release-approval-thresholds"


def test_ask_answers_from_the_pdf_and_the_html_pages(handbook: KnowledgeBase) -> None:
    assert handbook.ask("is there a restocking fee on returns?").sources[0].path == "returns-policy.pdf"
    assert handbook.ask("which EDI messages do we exchange?").sources[0].path == "edi-onboarding.html"


def test_ask_says_i_dont_know_for_an_unrelated_question(handbook: KnowledgeBase) -> None:
    answer = handbook.ask("what is the daily meal allowance for business trips abroad?")
    assert not answer.known
    assert answer.answer == I_DONT_KNOW
    assert answer.sources == []


def test_the_json_shape_has_answer_sources_and_known(handbook: KnowledgeBase) -> None:
    payload = handbook.ask("what's the deduction write-off limit?").to_json()
    assert set(payload) == {"answer", "sources", "known"}
    assert set(payload["sources"][0]) == {"title", "section", "path", "chunk_id"}


class FakeLlm:
    def __init__(self, reply: dict[str, Any] | Exception) -> None:
        self.reply, self.requests = reply, []  # type: ignore[var-annotated]

    def __call__(self, url: str, body: dict[str, Any], headers: dict[str, str], timeout: float) -> dict[str, Any]:
        self.requests.append((url, body, headers))
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply


def test_a_configured_llm_rewrites_the_answer_but_the_sources_stay_retrieved(small_base: KnowledgeBase) -> None:
    fake = FakeLlm({"choices": [{"message": {"content": "The credit manager releases it."}}]})
    small_base.writer = OpenAICompatibleWriter("http://llm.test/v1", "tiny", "key", post=fake)
    answer = small_base.ask("who releases a credit hold above 50,000 EUR?")
    assert answer.answer == "The credit manager releases it."
    assert answer.sources[0].path == "credit.md"
    url, body, headers = fake.requests[0]
    assert url == "http://llm.test/v1/chat/completions" and body["model"] == "tiny"
    assert headers == {"Authorization": "Bearer key"}
    assert "credit manager" in body["messages"][1]["content"]


def test_a_failing_llm_leaves_the_extractive_answer(small_base: KnowledgeBase) -> None:
    small_base.writer = OpenAICompatibleWriter("http://llm.test/v1", "tiny", post=FakeLlm(AnswerWriterError("down")))
    answer = small_base.ask("who releases a credit hold above 50,000 EUR?")
    assert answer.answer == "A credit hold above 50,000 EUR is released by the credit manager."


def test_an_unexpected_llm_reply_leaves_the_extractive_answer(small_base: KnowledgeBase) -> None:
    small_base.writer = OpenAICompatibleWriter("http://llm.test/v1", "tiny", post=FakeLlm({"error": "quota"}))
    assert "credit manager" in small_base.ask("who releases a credit hold above 50,000 EUR?").answer


def test_no_llm_is_configured_without_a_url() -> None:
    assert writer_from_settings(LlmSettings(llm_url=None)) is None
    writer = writer_from_settings(LlmSettings(llm_url="http://localhost:8000/v1", llm_model="m"))
    assert isinstance(writer, OpenAICompatibleWriter) and writer.model == "m"


def test_writer_protocol_accepts_any_object_with_write(small_base: KnowledgeBase) -> None:
    class Shouting:
        def write(self, question: str, passages: Sequence[Chunk], draft: str) -> str:
            return draft.upper()

    small_base.writer = Shouting()
    assert small_base.ask("restocking fee for returns?").answer.startswith("A RESTOCKING FEE")
