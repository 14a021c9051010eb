"""The knowledge agent answers from the handbook with its sources, or says it does not know."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic_ai.exceptions import UnexpectedModelBehavior
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from o2c.adapters.llm import LlmAnswerWriter, answer_writer
from o2c.config import LlmSettings
from o2c.knowledge.answerer import I_DONT_KNOW, KnowledgeBase
from o2c.knowledge.chunks import Chunk


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


def _llm(reply: str | Exception, seen: list[str]) -> LlmAnswerWriter:
    def answer(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        seen.append(str(messages))
        if isinstance(reply, Exception):
            raise reply
        return ModelResponse(parts=[TextPart(reply)])
    return LlmAnswerWriter(FunctionModel(answer))


def test_a_configured_llm_rewrites_the_answer_but_the_sources_stay_retrieved(small_base: KnowledgeBase) -> None:
    seen: list[str] = []
    small_base.writer = _llm("The credit manager releases it.", seen)
    answer = small_base.ask("who releases a credit hold above 50,000 EUR?")
    assert answer.answer == "The credit manager releases it."
    assert answer.sources[0].path == "credit.md"
    assert "credit manager" in seen[0] and "Use only the passages given" in seen[0]


def test_a_failing_llm_leaves_the_extractive_answer(small_base: KnowledgeBase) -> None:
    small_base.writer = _llm(UnexpectedModelBehavior("down"), [])
    answer = small_base.ask("who releases a credit hold above 50,000 EUR?")
    assert answer.answer == "A credit hold above 50,000 EUR is released by the credit manager."


def test_no_llm_is_configured_without_a_url() -> None:
    assert answer_writer(LlmSettings(base_url=None)) is None
    assert isinstance(answer_writer(LlmSettings(base_url="http://localhost:8000/v1", model="m")), LlmAnswerWriter)


def test_writer_protocol_accepts_any_object_with_write(small_base: KnowledgeBase) -> None:
    class Shouting:
        def write(self, question: str, passages: Sequence[Chunk], draft: str) -> str:
            return draft.upper()

    small_base.writer = Shouting()
    assert small_base.ask("restocking fee for returns?").answer.startswith("A RESTOCKING FEE")
