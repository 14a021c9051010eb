"""BM25 and its tokeniser: exact business terms and amounts find their passage."""

from __future__ import annotations

from o2c.knowledge.bm25 import BM25, tokenize
from o2c.knowledge.fusion import ranks, reciprocal_rank_fusion
from o2c.knowledge.vocabulary import expand

PASSAGES = [
    "Unapplied cash is cleared within five working days.",
    "A credit hold above 50,000 EUR is released by the credit manager.",
    "Dunning reminders are not sent on Sundays.",
]


def test_bm25_ranks_the_passage_with_the_exact_term_first() -> None:
    index = BM25([tokenize(p) for p in PASSAGES])
    scores = index.scores(tokenize("what about unapplied cash?"))
    assert max(range(3), key=scores.__getitem__) == 0
    assert scores[2] == 0.0


def test_amounts_written_50k_or_50_000_are_the_same_token() -> None:
    assert "50000" in tokenize("release a hold above 50k") and "50000" in tokenize("50.000 EUR")
    index = BM25([tokenize(p) for p in PASSAGES])
    assert max(range(3), key=index.scores(tokenize("hold over 50k")).__getitem__) == 1


def test_inflections_share_a_stem() -> None:
    assert tokenize("releasing released releases") == ["releas"] * 3


def test_colloquial_words_are_expanded_to_the_handbooks_words() -> None:
    assert {"hold", "releas"} <= set(expand(tokenize("how do I unblock a stuck order")))
    assert "return" in expand(tokenize("they want to send the goods back"))


def test_reciprocal_rank_fusion_rewards_agreement_between_retrievers() -> None:
    assert ranks([0.1, 0.9, 0.5]) == [3, 1, 2]
    fused = reciprocal_rank_fusion([[3.0, 2.0, 1.0], [0.2, 0.9, 0.1]], k=10)
    assert max(range(3), key=fused.__getitem__) in (0, 1) and fused[2] == min(fused)
