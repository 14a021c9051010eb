"""The knowledge evaluation: retrieval hit@k, "I don't know" on unanswerable questions, latency.

Questions live in ``eval/knowledge/questions.yaml``. Each is assigned to a split by a hash of its id
(30% train, 30% dev, 40% test), so the split never depends on file order: train was read while
tuning retrieval (the fusion constant), dev calibrates the known/unknown threshold
(``calibrate``), test is reported and never tuned on. A hit@k counts when any of the k best chunks
belongs to a section that answers the question.
"""

from __future__ import annotations

import hashlib
import itertools
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from o2c.knowledge.answerer import KnowledgeBase
from o2c.knowledge.retrieval import MODES, Mode

Split = Literal["train", "dev", "test"]
SPLITS: tuple[Split, ...] = ("train", "dev", "test")
QUESTIONS_FILE = Path("eval/knowledge/questions.yaml")


@dataclass(frozen=True)
class Question:
    """An evaluation question; ``sections`` is empty for an unanswerable one."""

    id: str
    text: str
    sections: tuple[str, ...] = ()
    fact: str | None = None

    @property
    def answerable(self) -> bool:
        return bool(self.sections)

    @property
    def split(self) -> Split:
        return split_of(self.id)


def split_of(question_id: str) -> Split:
    """Train, dev or test from the id's hash: stable across runs, machines and file order."""
    bucket = int(hashlib.sha256(question_id.encode()).hexdigest()[:8], 16) % 10
    return "train" if bucket < 3 else "dev" if bucket < 6 else "test"


def load_questions(path: Path = QUESTIONS_FILE) -> list[Question]:
    """Answerable then unanswerable questions, as written in the YAML file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    answerable = [Question(q["id"], q["question"], (q["section"], *q.get("also", ())), q.get("fact"))
                  for q in raw["answerable"]]
    return answerable + [Question(q["id"], q["question"]) for q in raw["unanswerable"]]


def find_questions_file(start: Path | None = None) -> Path:
    """``eval/knowledge/questions.yaml`` from the working directory or the source checkout."""
    for root in (start or Path.cwd(), Path(__file__).resolve().parents[3]):
        if (root / QUESTIONS_FILE).is_file():
            return root / QUESTIONS_FILE
    raise FileNotFoundError(f"{QUESTIONS_FILE} not found (run from the o2c checkout)")


def hit_at(kb: KnowledgeBase, question: Question, k: int = 3, mode: Mode = "hybrid") -> bool:
    """Whether one of the k best chunks belongs to a section that answers the question."""
    return any(hit.chunk.section_id in question.sections for hit in kb.retriever.search(question.text, k, mode))


def hit_rate(kb: KnowledgeBase, questions: Iterable[Question], k: int = 3, mode: Mode = "hybrid") -> float:
    """Share of answerable questions with a hit in the k best chunks."""
    results = [hit_at(kb, q, k, mode) for q in questions if q.answerable]
    return sum(results) / len(results) if results else 0.0


def calibrate(kb: KnowledgeBase, questions: Sequence[Question]) -> float:
    """The evidence threshold that best separates answerable from unanswerable questions.

    Maximises balanced accuracy (mean of answered-share and "I don't know"-share), placing the
    threshold halfway between neighbouring evidence values; ties go to the lower threshold.
    """
    scored = [(kb.ask(q.text).evidence, q.answerable) for q in questions]
    values = sorted({s for s, _ in scored})
    candidates = [values[0] - 1e-6] + [(a + b) / 2 for a, b in itertools.pairwise(values)]
    return max(candidates, key=lambda t: (_balanced_accuracy(scored, t), -t))


def _balanced_accuracy(scored: list[tuple[float, bool]], threshold: float) -> float:
    known = [s >= threshold for s, answerable in scored if answerable]
    unknown = [s < threshold for s, answerable in scored if not answerable]
    return (sum(known) / max(len(known), 1) + sum(unknown) / max(len(unknown), 1)) / 2


def evaluate_split(kb: KnowledgeBase, questions: Sequence[Question]) -> dict[str, Any]:
    """Retrieval and answer figures for one split's questions."""
    answerable = [q for q in questions if q.answerable]
    unanswerable = [q for q in questions if not q.answerable]
    answers = {q.id: kb.ask(q.text) for q in questions}
    facts = [bool(q.fact) and answers[q.id].known and q.fact.lower() in answers[q.id].answer.lower()
             for q in answerable if q.fact]
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "hit_at_1": hit_rate(kb, answerable, 1),
        "hit_at_3": hit_rate(kb, answerable, 3),
        "hit_at_3_by_mode": {mode: hit_rate(kb, answerable, 3, mode) for mode in MODES},
        "answered_share": _share(answers[q.id].known for q in answerable),
        "fact_in_answer_share": _share(facts),
        "idk_share": _share(not answers[q.id].known for q in unanswerable),
        "misses_at_3": [q.id for q in answerable if not hit_at(kb, q, 3)],
        "wrongly_answered": [q.id for q in unanswerable if answers[q.id].known],
    }


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def latency_ms(kb: KnowledgeBase, questions: Sequence[Question]) -> dict[str, float]:
    """Median and 95th percentile of ``ask`` over the questions (the index is already built)."""
    timings = []
    for question in questions:
        started = time.perf_counter()
        kb.ask(question.text)
        timings.append((time.perf_counter() - started) * 1000.0)
    timings.sort()
    return {"median_ms": statistics.median(timings), "p95_ms": timings[int(0.95 * (len(timings) - 1))]}


def run_evaluation(kb: KnowledgeBase, questions: Sequence[Question]) -> dict[str, Any]:
    """Every split's figures, the dev-calibrated threshold in force, and latency over all questions."""
    by_split = {split: [q for q in questions if q.split == split] for split in SPLITS}
    return {
        "threshold": kb.threshold,
        "threshold_calibrated_on_dev": calibrate(kb, by_split["dev"]),
        "splits": {split: evaluate_split(kb, items) for split, items in by_split.items()},
        "latency": latency_ms(kb, questions),
        "questions": {"answerable": sum(q.answerable for q in questions),
                      "unanswerable": sum(not q.answerable for q in questions)},
    }
