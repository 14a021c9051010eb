"""The labelled customer utterances and their train/test split by paraphrase family.

The data lives in ``eval/nlu/utterances.yaml`` at the repository root: a list of families, each
with an id, one intent, and texts per language (``en``, ``nl``, ``fr``, ``de``). Variants of one
message share a family, and a family goes wholly to training or wholly to test, so the test
split measures messages the classifier has never seen a paraphrase of.

The split is deterministic and stratified: within each intent, families are ordered by a hash of
their id and the first `TEST_SHARE` of them are held out. Families added in a later data round carry
``round: N``, and the rule is applied to each round's families separately (per intent and round), so
adding families never moves an earlier family from one side of the split to the other.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

INTENTS: tuple[str, ...] = (
    "order_status",
    "delivery_options",
    "invoice_copy",
    "invoice_query",
    "payment_query",
    "refund_request",
    "report_problem",
    "complaint",
    "place_order",
    "change_order",
    "cancel_order",
    "change_details",
    "account_access",
    "talk_to_person",
    "other",
)
LANGUAGES: tuple[str, ...] = ("en", "nl", "fr", "de")
TEST_SHARE = 0.27
DEFAULT_DATA = Path(__file__).resolve().parents[4] / "eval" / "nlu" / "utterances.yaml"


@dataclass(frozen=True)
class Utterance:
    """One labelled customer message."""

    text: str
    intent: str
    family: str
    language: str
    cohort: int = 0


def load_utterances(path: Path = DEFAULT_DATA) -> list[Utterance]:
    """Read the families file; raise ValueError naming the family on a bad entry."""
    families = yaml.safe_load(path.read_text(encoding="utf-8"))
    utterances: list[Utterance] = []
    for entry in families:
        utterances.extend(_family_utterances(entry))
    return utterances


def _family_utterances(entry: dict[str, object]) -> list[Utterance]:
    family, intent = str(entry["family"]), str(entry["intent"])
    if intent not in INTENTS:
        raise ValueError(f"family {family}: unknown intent {intent!r}")
    texts = [(lang, text) for lang in LANGUAGES for text in entry.get(lang) or []]  # type: ignore[attr-defined]
    if not texts:
        raise ValueError(f"family {family}: no texts")
    cohort = int(entry.get("round") or 0)  # type: ignore[call-overload]
    return [Utterance(str(text), intent, family, lang, cohort) for lang, text in texts]


def family_rank(family: str) -> str:
    """A stable pseudo-random sort key for a family id."""
    return hashlib.sha256(family.encode("utf-8")).hexdigest()


def held_out_families(utterances: list[Utterance], share: float = TEST_SHARE) -> frozenset[str]:
    """The held-out families: per intent and data round, the first `share` of families in hash order."""
    by_intent: dict[tuple[str, int], set[str]] = defaultdict(set)
    for utterance in utterances:
        by_intent[(utterance.intent, utterance.cohort)].add(utterance.family)
    held_out: set[str] = set()
    for families in by_intent.values():
        ordered = sorted(families, key=family_rank)
        held_out.update(ordered[: round(share * len(ordered))])
    return frozenset(held_out)


def split_by_family(utterances: list[Utterance]) -> tuple[list[Utterance], list[Utterance]]:
    """(train, test), with no family on both sides."""
    held_out = held_out_families(utterances)
    train = [u for u in utterances if u.family not in held_out]
    test = [u for u in utterances if u.family in held_out]
    return train, test
