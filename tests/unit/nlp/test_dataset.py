"""The labelled utterances and their split by paraphrase family."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from o2c.adapters.nlp.dataset import INTENTS, Utterance, held_out_families, load_utterances, split_by_family


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


def _families(prefix: str, intent: str, count: int, cohort: int) -> list[Utterance]:
    return [Utterance(f"text {prefix}{i}", intent, f"{prefix}{i}", "en", cohort) for i in range(count)]


def test_families_of_a_later_round_never_move_an_earlier_family_across_the_split() -> None:
    earlier = _families("os", "order_status", 40, 0) + _families("cd", "change_details", 20, 0)
    later = _families("os6_", "order_status", 30, 6) + _families("cd6_", "change_details", 15, 6)
    before = held_out_families(earlier)
    after = held_out_families(earlier + later)
    earlier_ids = {u.family for u in earlier}
    assert after & earlier_ids == before
    assert len(after - earlier_ids) == round(0.27 * 30) + round(0.27 * 15)


def test_a_family_of_a_later_round_is_read_with_its_round(tmp_path: Path) -> None:
    data = tmp_path / "families.yaml"
    data.write_text(
        '- family: a1\n  intent: other\n  en: ["hello"]\n'
        '- family: b1\n  intent: other\n  round: 6\n  en: ["hi there"]\n',
        encoding="utf-8",
    )
    assert [(u.family, u.cohort) for u in load_utterances(data)] == [("a1", 0), ("b1", 6)]
