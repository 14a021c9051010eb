"""Chunk ids come from the document path and the section heading, so they survive re-indexing."""

from __future__ import annotations

from pathlib import Path

from o2c.knowledge.chunks import chunk_document, chunk_documents, slugify
from o2c.knowledge.documents import Document, Section, load_folder


def test_chunk_ids_are_the_document_slug_and_the_section_slug(small_folder: Path) -> None:
    ids = [c.chunk_id for c in chunk_documents(load_folder(small_folder))]
    assert ids == ["credit/holds", "credit/limits", "returns/fees"]


def test_chunk_ids_do_not_change_when_another_document_is_added(small_folder: Path) -> None:
    before = {c.chunk_id: c.text for c in chunk_documents(load_folder(small_folder))}
    (small_folder / "aaa-first.md").write_text("# First\n\n## Anything\n\nText.\n", encoding="utf-8")
    after = {c.chunk_id: c.text for c in chunk_documents(load_folder(small_folder))}
    assert {k: after[k] for k in before} == before


def test_a_long_section_is_cut_at_paragraphs_into_numbered_parts() -> None:
    paragraphs = tuple(" ".join(["word"] * 60) + f" p{i}." for i in range(3))
    document = Document("policies/Credit Rules.md", "Credit", (Section(("Credit", "Holds"), paragraphs),))
    chunks = chunk_document(document, max_words=100)
    assert [c.chunk_id for c in chunks] == ["policies/credit-rules/holds", "policies/credit-rules/holds#2",
                                            "policies/credit-rules/holds#3"]
    assert {c.section_id for c in chunks} == {"policies/credit-rules/holds"}


def test_slugs_are_lower_case_ascii_words() -> None:
    assert slugify("Month-End Close: FX & Provisions (EUR)") == "month-end-close-fx-provisions-eur"
    assert slugify("Créances à recouvrer") == "creances-a-recouvrer"
