"""The knowledge evaluation: honest hit@3 on held-out questions, and "I don't know" when it should."""

from __future__ import annotations

from o2c.knowledge.answerer import KNOWN_THRESHOLD, KnowledgeBase
from o2c.knowledge.evaluation import (
    calibrate,
    evaluate_split,
    find_questions_file,
    hit_rate,
    load_questions,
    split_of,
)
from o2c.knowledge.retrieval import MODES


def _split(name: str):  # type: ignore[no-untyped-def]
    return [q for q in load_questions(find_questions_file()) if q.split == name]


def test_the_evaluation_set_is_large_enough_and_labels_real_sections(handbook: KnowledgeBase) -> None:
    questions = load_questions(find_questions_file())
    sections = {chunk.section_id for chunk in handbook.retriever.chunks}
    answerable = [q for q in questions if q.answerable]
    assert len(answerable) >= 60 and len(questions) - len(answerable) >= 12
    assert {s for q in answerable for s in q.sections} <= sections
    assert len({q.id for q in questions}) == len(questions)


def test_splits_are_deterministic_and_all_three_are_used() -> None:
    assert split_of("credit-01") == split_of("credit-01")
    assert {q.split for q in load_questions(find_questions_file())} == {"train", "dev", "test"}


def test_hybrid_retrieval_beats_or_equals_each_retriever_alone_on_the_dev_split(handbook: KnowledgeBase) -> None:
    dev = _split("dev")
    hybrid, bm25, dense = (hit_rate(handbook, dev, 3, mode) for mode in MODES)
    assert hybrid >= bm25 and hybrid >= dense


def test_retrieval_hit_at_3_on_the_test_split_is_at_least_0_9(handbook: KnowledgeBase) -> None:
    figures = evaluate_split(handbook, _split("test"))
    assert figures["answerable"] >= 20
    assert figures["hit_at_3"] >= 0.9, figures["misses_at_3"]


def test_most_unanswerable_test_questions_get_i_dont_know(handbook: KnowledgeBase) -> None:
    figures = evaluate_split(handbook, _split("test"))
    assert figures["idk_share"] >= 0.7, figures["wrongly_answered"]
    assert figures["answered_share"] >= 0.8


def test_the_threshold_in_force_is_the_one_calibrated_on_dev(handbook: KnowledgeBase) -> None:
    assert abs(calibrate(handbook, _split("dev")) - KNOWN_THRESHOLD) < 0.01
