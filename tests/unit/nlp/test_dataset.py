"""The labelled utterances and their split by paraphrase family."""

from __future__ import annotations

from collections import Counter

from o2c.adapters.nlp.dataset import INTENTS, held_out_families, load_utterances, split_by_family


def test_train_and_test_families_are_disjoint() -> None:
    train, test = split_by_family(load_utterances())
    assert {u.family for u in train}.isdisjoint({u.family for u in test})


def test_the_split_is_deterministic_and_holds_out_about_a_quarter() -> None:
    utterances = load_utterances()
    assert held_out_families(utterances) == held_out_families(list(reversed(utterances)))
    _, test = split_by_family(utterances)
    assert 0.22 <= len(test) / len(utterances) <= 0.32


def test_every_intent_is_in_both_training_and_test() -> None:
    train, test = split_by_family(load_utterances())
    assert {u.intent for u in train} == set(INTENTS) == {u.intent for u in test}


def test_the_set_has_600_utterances_and_a_real_share_of_dutch_french_and_german() -> None:
    utterances = load_utterances()
    languages = Counter(u.language for u in utterances)
    assert len(utterances) >= 600
    assert 0.2 <= 1 - languages["en"] / len(utterances) <= 0.5
    assert all(languages[lang] >= 60 for lang in ("nl", "fr", "de"))


def test_every_family_has_one_intent() -> None:
    intents_by_family: dict[str, set[str]] = {}
    for u in load_utterances():
        intents_by_family.setdefault(u.family, set()).add(u.intent)
    assert all(len(intents) == 1 for intents in intents_by_family.values())
