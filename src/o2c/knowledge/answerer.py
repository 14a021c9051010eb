"""The knowledge agent's answer: a short extract of the best passage, cited, or "I don't know".

``KnowledgeBase.ask`` retrieves the three best chunks (hybrid BM25 + embeddings) and measures
the evidence of each: ``COVERAGE_WEIGHT`` x the idf-weighted share of the question's words
that the passage contains, plus the rest x the passage's cosine similarity to the question. A
question whose distinctive words the handbook never uses ("bitcoin", "excise") scores low on
coverage even when the passage is on a related topic. When the strongest is below
``KNOWN_THRESHOLD`` the answer is
"I don't know" with no sources (``known`` false). Both constants were calibrated on the dev split of
``eval/knowledge/questions.yaml`` (``o2c.knowledge.evaluation.calibrate``), never on its test split.

Otherwise the chunk with the strongest evidence among the three (a rerank: fusion orders by rank
only) is the answer's passage, and the answer is the one or two of its sentences that best match the
question, in the passage's order, with the source (title, section, path, chunk id). An optional
``AnswerWriter`` (an LLM) may rephrase that draft from the same passages; the sources stay the
retrieved ones and a failing writer leaves the draft.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from o2c.adapters.nlp.embeddings import Embedder, default_embedder
from o2c.knowledge.bm25 import tokenize
from o2c.knowledge.chunks import Chunk, chunk_documents, split_sentences
from o2c.knowledge.documents import load_folder
from o2c.knowledge.retrieval import Hit, Retriever
from o2c.knowledge.rewriting import AnswerWriter, AnswerWriterError
from o2c.knowledge.vocabulary import alternatives, expand

HANDBOOK_DIR = Path(__file__).resolve().parent / "handbook"
COVERAGE_WEIGHT = 0.5
KNOWN_THRESHOLD = 0.55
I_DONT_KNOW = "I don't know: the handbook does not cover this. Ask the process owner or the AR team lead."
MAX_ANSWER_WORDS = 70
MAX_LIST_WORDS = 130


@dataclass(frozen=True)
class Source:
    """Where an answer comes from: enough to open the page at the right section."""

    title: str
    section: str
    path: str
    chunk_id: str

    @classmethod
    def of(cls, chunk: Chunk) -> Source:
        return cls(chunk.title, chunk.section, chunk.path, chunk.chunk_id)


@dataclass(frozen=True)
class Answer:
    """The reply to one question; ``evidence`` is the strength the known/unknown decision used."""

    answer: str
    sources: list[Source] = field(default_factory=list)
    known: bool = False
    evidence: float = 0.0
    hits: list[Hit] = field(default_factory=list, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The ``o2c ask --json`` shape: answer, sources, known."""
        return {"answer": self.answer, "sources": [asdict(s) for s in self.sources], "known": self.known}


class KnowledgeBase:
    """A retriever over a folder of documents and the rules that turn hits into an answer."""

    def __init__(self, retriever: Retriever, writer: AnswerWriter | None = None,
                 threshold: float = KNOWN_THRESHOLD, coverage_weight: float = COVERAGE_WEIGHT) -> None:
        self.retriever = retriever
        self.writer = writer
        self.threshold, self.coverage_weight = threshold, coverage_weight

    @classmethod
    def from_folder(cls, folder: Path = HANDBOOK_DIR, embedder: Embedder | None = None,
                    writer: AnswerWriter | None = None) -> KnowledgeBase:
        """Load, chunk and index every Markdown, HTML and PDF file under ``folder``."""
        chunks = chunk_documents(load_folder(folder))
        return cls(Retriever(chunks, embedder or default_embedder()), writer)

    def ask(self, question: str, limit: int = 3) -> Answer:
        """Answer from the documents, or say "I don't know" when the evidence is too weak."""
        hits = self.retriever.search(question, limit)
        strengths = [self.evidence(question, hit) for hit in hits]
        strength = max(strengths, default=0.0)
        if strength < self.threshold:
            return Answer(I_DONT_KNOW, [], False, strength, hits)
        best = hits[strengths.index(strength)].chunk
        draft = self.extract(question, best)
        return Answer(self._written(question, hits, draft), [Source.of(best)], True, strength, hits)

    def evidence(self, question: str, hit: Hit) -> float:
        """How well the hit supports an answer: word coverage blended with cosine similarity."""
        covered = self.coverage(question, hit.chunk)
        return self.coverage_weight * covered + (1.0 - self.coverage_weight) * max(hit.semantic, 0.0)

    def coverage(self, question: str, chunk: Chunk) -> float:
        """Idf-weighted share of the question's content words that occur in the chunk."""
        tokens = tokenize(question)
        if not tokens:
            return 0.0
        present, synonyms, idf = self.retriever.words_of(chunk), alternatives(tokens), self.retriever.bm25.idf
        covered = {t for t in tokens if t in present or synonyms.get(t, set()) & present}
        return sum(idf(t) for t in covered) / sum(idf(t) for t in set(tokens))

    def extract(self, question: str, chunk: Chunk) -> str:
        """The passage's best one or two sentences for the question, in their original order.

        A short passage built around a list (thresholds, reason codes) is returned whole.
        """
        sentences = split_sentences(chunk.text)
        if any(s.endswith(":") for s in sentences) and len(chunk.text.split()) <= MAX_LIST_WORDS:
            return " ".join(sentences)  # a short ladder of thresholds or codes reads best whole
        scores = self._sentence_scores(question, [f"{chunk.section}. {sentence}" for sentence in sentences])
        ranked = sorted(range(len(sentences)), key=lambda i: -scores[i])
        chosen = _with_list_items(sentences, ranked[0])
        for index in ranked[1:2]:
            candidate = chosen | _with_list_items(sentences, index)
            words = sum(len(sentences[i].split()) for i in candidate)
            limit = MAX_LIST_WORDS if sentences[index].endswith(":") else MAX_ANSWER_WORDS
            if scores[index] >= 0.6 * scores[ranked[0]] and words <= limit:
                chosen = candidate
        return " ".join(sentences[i] for i in sorted(chosen))

    def _sentence_scores(self, question: str, sentences: list[str]) -> list[float]:
        terms = set(expand(tokenize(question)))
        idf = self.retriever.bm25.idf
        total = sum(idf(t) for t in terms) or 1.0
        similarities = self.retriever.embedder.embed(sentences) @ self.retriever.embedder.embed([question])[0]
        return [sum(idf(t) for t in terms & set(tokenize(s))) / total + float(sim)
                for s, sim in zip(sentences, similarities, strict=True)]

    def _written(self, question: str, hits: list[Hit], draft: str) -> str:
        if self.writer is None:
            return draft
        try:
            return self.writer.write(question, [hit.chunk for hit in hits], draft) or draft
        except AnswerWriterError:
            return draft


def _with_list_items(sentences: list[str], index: int) -> set[int]:
    """The sentence, and when it introduces a list ("...depends on the order value:") the list too."""
    chosen = {index}
    words = len(sentences[index].split())
    for follower in range(index + 1, len(sentences)):
        if not sentences[index].endswith(":") or words > MAX_LIST_WORDS:
            break
        chosen.add(follower)
        words += len(sentences[follower].split())
    return chosen


@cache
def default_knowledge_base() -> KnowledgeBase:
    """The demo handbook shipped with o2c, indexed once per process."""
    return KnowledgeBase.from_folder(HANDBOOK_DIR)
