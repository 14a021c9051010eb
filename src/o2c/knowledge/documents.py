"""Company documents as sections: a folder of Markdown, HTML and PDF files read into one shape.

A ``Document`` has a title, the path it came from (relative to the folder) and ``Section``s in
reading order; a section is the heading trail that leads to it (``("Credit Management", "Credit
hold release approval thresholds")``) and its paragraphs. Every loader is offline: HTML is parsed
by lxml with network access and entity loading off, PDF text comes from pypdf.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, html


@dataclass(frozen=True)
class Section:
    """One heading's text: the trail of headings above it and its paragraphs."""

    headings: tuple[str, ...]
    paragraphs: tuple[str, ...]

    @property
    def heading(self) -> str:
        return self.headings[-1] if self.headings else ""


@dataclass(frozen=True)
class Document:
    """A handbook page: where it came from, its title and its sections in reading order."""

    path: str
    title: str
    sections: tuple[Section, ...] = field(default_factory=tuple)


class _SectionBuilder:
    """Collects paragraphs under the current heading trail (shared by the three loaders)."""

    def __init__(self) -> None:
        self.trail: list[tuple[int, str]] = []
        self.paragraphs: list[str] = []
        self.sections: list[Section] = []

    def heading(self, level: int, text: str) -> None:
        self.flush()
        self.trail = [(lvl, t) for lvl, t in self.trail if lvl < level] + [(level, text)]

    def paragraph(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.paragraphs.append(text)

    def flush(self) -> None:
        if self.paragraphs:
            self.sections.append(Section(tuple(t for _, t in self.trail), tuple(self.paragraphs)))
        self.paragraphs = []

    def done(self) -> tuple[Section, ...]:
        self.flush()
        return tuple(self.sections)


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def parse_markdown(text: str, path: str) -> Document:
    """Headings start sections; blank lines end paragraphs; list items stay one paragraph each."""
    builder = _SectionBuilder()
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        heading = _MD_HEADING.match(line)
        if heading or not line.strip() or _MD_LIST_ITEM.match(line):
            builder.paragraph(" ".join(block))
            block = []
        if heading:
            builder.heading(len(heading.group(1)), _strip_markup(heading.group(2)))
        elif line.strip():
            block.append(_strip_markup(_MD_LIST_ITEM.sub("", line)))
    sections = builder.done()
    return Document(path, _title_of(sections, path), sections)


def _strip_markup(text: str) -> str:
    """Links keep their text; code spans, bold and italics lose their marks (snake_case stays intact)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    return re.sub(r"(\*{1,3}|(?<!\w)_{1,3})(\S(?:.*?\S)?)\1(?!\w)", r"\2", text).strip()


_HTML_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_HTML_BLOCKS = {"p", "li", "tr", "dd", "dt", "blockquote", "pre"}
_HTML_SKIPPED = {"script", "style", "nav", "footer", "header", "noscript", "template"}


def parse_html(content: bytes, path: str) -> Document:
    """Headings h1..h6 start sections; p, li and table rows are paragraphs; scripts and navigation are left out."""
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    root = html.fromstring(content, parser=parser)
    builder = _SectionBuilder()
    for element in root.iter(*_HTML_HEADINGS, *_HTML_BLOCKS):
        if _inside_skipped(element):
            continue
        text = " ".join(t.strip() for t in element.itertext() if t.strip())
        if element.tag in _HTML_HEADINGS:
            builder.heading(_HTML_HEADINGS[element.tag], text)
        elif not _has_block_parent(element):
            builder.paragraph(text)
    sections = builder.done()
    title = root.findtext(".//title") or ""
    return Document(path, title.strip() or _title_of(sections, path), sections)


def _inside_skipped(element: etree._Element) -> bool:
    return any(parent.tag in _HTML_SKIPPED for parent in element.iterancestors())


def _has_block_parent(element: etree._Element) -> bool:
    return any(parent.tag in _HTML_BLOCKS for parent in element.iterancestors())


_PDF_HEADING = re.compile(r"^(\d{1,2})\s+([A-Z][^.:;]{2,80})$")


def parse_pdf(path_on_disk: Path, path: str) -> Document:
    """Text from pypdf; numbered lines ("3 Restocking fee") in sequence are the section headings."""
    from pypdf import PdfReader

    reader = PdfReader(path_on_disk)
    lines = [line.strip() for page in reader.pages for line in (page.extract_text() or "").splitlines()]
    title = str(reader.metadata.get("/Title") or "").strip() if reader.metadata else ""
    builder = _SectionBuilder()
    builder.heading(1, title or Path(path).stem)
    block: list[str] = []
    expected = 1
    for line in lines:
        heading = _PDF_HEADING.match(line)
        if heading and int(heading.group(1)) == expected:
            builder.paragraph(" ".join(block))
            block, expected = [], expected + 1
            builder.heading(2, heading.group(2).strip())
        elif line and line != title:
            block.append(line)
    builder.paragraph(" ".join(block))
    sections = builder.done()
    return Document(path, title or _title_of(sections, path), sections)


def _title_of(sections: Iterable[Section], path: str) -> str:
    for section in sections:
        if section.headings:
            return section.headings[0]
    return Path(path).stem.replace("-", " ").title()


Loader = Callable[[Path, str], Document]

LOADERS: dict[str, Loader] = {
    ".md": lambda file, rel: parse_markdown(file.read_text(encoding="utf-8"), rel),
    ".markdown": lambda file, rel: parse_markdown(file.read_text(encoding="utf-8"), rel),
    ".html": lambda file, rel: parse_html(file.read_bytes(), rel),
    ".htm": lambda file, rel: parse_html(file.read_bytes(), rel),
    ".pdf": parse_pdf,
}


def load_document(file: Path, root: Path) -> Document:
    """Read one file with the loader for its suffix; its path is kept relative to ``root``."""
    loader = LOADERS.get(file.suffix.lower())
    if loader is None:
        raise ValueError(f"no loader for {file.name} (supported: {', '.join(sorted(LOADERS))})")
    return loader(file, file.relative_to(root).as_posix())


def load_folder(root: Path) -> list[Document]:
    """Every supported file under ``root``, in path order (so chunk ids and rankings are stable)."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in LOADERS
                   and not any(part.startswith((".", "_")) for part in p.relative_to(root).parts))
    return [load_document(file, root) for file in files]
