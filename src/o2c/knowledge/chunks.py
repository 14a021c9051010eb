"""Chunks: the passages retrieval ranks and answers cite, with ids that survive a re-index.

A section becomes one chunk; a section longer than ``max_words`` is cut at paragraph boundaries
into parts. Ids are built from the document's path and the section's heading, never from a
position in the corpus, so adding a page elsewhere changes no existing id:
``credit-management/credit-hold-release-approval-thresholds`` (a section's first part) and
``...#2`` (its second part). ``section_id`` is the id without the part suffix; evaluation labels
point at sections.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from o2c.knowledge.documents import Document, Section

INTRODUCTION = "introduction"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])|\n")


@dataclass(frozen=True)
class Chunk:
    """A passage of one section of one document, with what a citation needs."""

    chunk_id: str
    section_id: str
    path: str
    title: str
    section: str
    text: str

    @property
    def indexed_text(self) -> str:
        """What retrieval reads: the title and heading give a short passage its context."""
        return f"{self.title}. {self.section}. {self.text}"


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Month-End Close" -> "month-end-close")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "section"


def document_slug(path: str) -> str:
    """The document part of an id: its path without the suffix ("policies/returns.pdf" -> "policies/returns")."""
    pure = PurePosixPath(path)
    return "/".join(slugify(part) for part in (*pure.parent.parts, pure.stem))


def chunk_document(document: Document, max_words: int = 160) -> list[Chunk]:
    """The document's chunks in reading order."""
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for section in document.sections:
        section_slug = _section_slug(section, document.title)
        seen[section_slug] = seen.get(section_slug, 0) + 1
        if seen[section_slug] > 1:
            section_slug = f"{section_slug}-{seen[section_slug]}"
        section_id = f"{document_slug(document.path)}/{section_slug}"
        for part, text in enumerate(_parts(section.paragraphs, max_words), start=1):
            chunk_id = section_id if part == 1 else f"{section_id}#{part}"
            chunks.append(Chunk(chunk_id, section_id, document.path, document.title,
                                _section_name(section, document.title), text))
    return chunks


def chunk_documents(documents: Iterable[Document], max_words: int = 160) -> list[Chunk]:
    """All chunks of all documents; raises when two chunks would share an id."""
    chunks = [chunk for document in documents for chunk in chunk_document(document, max_words)]
    ids = [chunk.chunk_id for chunk in chunks]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate chunk ids (two files with the same name?): {', '.join(duplicates)}")
    return chunks


def _section_slug(section: Section, title: str) -> str:
    trail = [h for h in section.headings if h != title]
    return slugify(trail[-1]) if trail else INTRODUCTION


def _section_name(section: Section, title: str) -> str:
    trail = [h for h in section.headings if h != title]
    return " > ".join(trail) if trail else "Introduction"


def _parts(paragraphs: tuple[str, ...], max_words: int) -> Iterator[str]:
    """Paragraphs packed greedily into parts of at most ``max_words`` (a longer paragraph stays whole)."""
    part: list[str] = []
    words = 0
    for paragraph in paragraphs:
        size = len(paragraph.split())
        if part and words + size > max_words:
            yield "\n".join(part)
            part, words = [], 0
        part.append(paragraph)
        words += size
    if part:
        yield "\n".join(part)


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of a passage, in order."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
