"""Loaders: Markdown, HTML and PDF files become titled documents with heading trails."""

from __future__ import annotations

from pathlib import Path

from o2c.knowledge.answerer import HANDBOOK_DIR
from o2c.knowledge.documents import load_folder, parse_html, parse_markdown, parse_pdf
from o2c.knowledge.handbook_pdf import RETURNS_POLICY, Chapter, render_pdf


def test_markdown_headings_start_sections_and_list_items_stay_paragraphs() -> None:
    document = parse_markdown("# Credit\n\nIntro.\n\n## Holds\n\nWho releases:\n\n- up to 5k: the agent\n"
                              "- above 50k: the **credit manager**\n\n### Retail\n\nNever automatic.\n", "c.md")
    assert document.title == "Credit"
    assert [s.headings for s in document.sections] == [("Credit",), ("Credit", "Holds"), ("Credit", "Holds", "Retail")]
    assert document.sections[1].paragraphs == ("Who releases:", "up to 5k: the agent", "above 50k: the credit manager")


def test_html_loader_reads_headings_paragraphs_and_tables_but_not_scripts_or_navigation() -> None:
    page = (b"<html><head><title>EDI</title><script>alert('x')</script></head><body><nav><p>Home</p></nav>"
            b"<h1>EDI</h1><h2>Testing</h2><p>Ten test orders.</p><table><tr><td>Orders</td><td>10</td></tr>"
            b"</table><footer><p>internal</p></footer></body></html>")
    document = parse_html(page, "edi.html")
    assert document.title == "EDI"
    assert document.sections[0].headings == ("EDI", "Testing")
    assert document.sections[0].paragraphs == ("Ten test orders.", "Orders 10")


def test_html_loader_does_not_expand_external_entities() -> None:
    page = (b'<!DOCTYPE html [<!ENTITY secret SYSTEM "file:///etc/passwd">]><html><body><h1>T</h1>'
            b"<p>value &secret; end</p></body></html>")
    document = parse_html(page, "x.html")
    assert "root:" not in " ".join(document.sections[0].paragraphs)


def test_pdf_loader_finds_numbered_section_headings(tmp_path: Path) -> None:
    chapter = Chapter("Returns Policy", "Owner: customer service.",
                      (("Time limits", ("Unopened goods within 14 days.",)), ("Fees", ("A 15% fee applies.",))))
    document = parse_pdf(render_pdf(chapter, tmp_path / "returns.pdf"), "returns.pdf")
    assert document.title == "Returns Policy"
    assert [s.heading for s in document.sections] == ["Returns Policy", "Time limits", "Fees"]
    assert document.sections[2].paragraphs == ("A 15% fee applies.",)


def test_the_shipped_handbook_has_markdown_html_and_pdf_pages() -> None:
    documents = load_folder(HANDBOOK_DIR)
    assert {Path(d.path).suffix for d in documents} == {".md", ".html", ".pdf"}
    pdf = next(d for d in documents if d.path.endswith(".pdf"))
    assert [s.heading for s in pdf.sections][1:] == [heading for heading, _ in RETURNS_POLICY.sections]
