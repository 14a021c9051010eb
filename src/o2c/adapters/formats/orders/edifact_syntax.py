"""EDIFACT syntax: cutting an interchange into segments, data elements and components, and back.

The delimiters come from the UNA service string advice when the file has one (component, element,
decimal mark, release, reserved, terminator: ``UNA:+.? '``), else ISO 9735's defaults. The release
character (``?``) makes the next character plain data, so ``?'`` inside a name is an apostrophe,
not the end of a segment. Line breaks and blanks after a terminator are layout and are dropped.

Tokenising uses pydifact's ``Characters`` and ``Tokenizer``. Because pydifact reads one character
at a time, a file in which the release character never occurs is cut with ``str.split`` instead:
with nothing released, splitting on the delimiters yields exactly pydifact's tokens (a test holds
the two paths equal), at the speed the intake benchmark needs. Rendering uses pydifact's
``Serializer``, which releases delimiters found in values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from pydifact.control import Characters
from pydifact.exceptions import EDISyntaxError
from pydifact.parser import Parser, TokenIterator
from pydifact.segments import Segment
from pydifact.serializer import Serializer
from pydifact.tokenizer import Tokenizer

LAYOUT = " \r\n"


class EdifactSegment:
    """One segment: ``elements[0]`` holds the tag, so ``get(1, 2)`` is the first data element's
    second component (QTY+21:8 gives '8')."""

    __slots__ = ("elements", "position", "tag")

    def __init__(self, tag: str, elements: list[list[str]], position: int) -> None:
        self.tag, self.elements, self.position = tag, elements, position

    def get(self, element: int, component: int = 1) -> str:
        """Component ``component`` of data element ``element`` (both 1-based), '' if absent."""
        try:
            return self.elements[element][component - 1]
        except IndexError:
            return ""

    def __repr__(self) -> str:
        return f"EdifactSegment({self.tag!r}, {self.elements!r}, {self.position})"


class Tokens(NamedTuple):
    characters: Characters
    segments: list[EdifactSegment]
    tail: str  # text after the last terminator: a truncated file when not empty


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def tokenise(text: str) -> Tokens:
    text = text.lstrip(LAYOUT)
    if text.startswith("UNA") and len(text) >= 9:
        characters = Characters.from_str(text[:9])
        body = text[9:].lstrip(LAYOUT)
    else:
        characters, body = Characters(), text
    release = characters.escape_character
    if release.strip() and release in body:  # a blank release character in UNA means "none"
        segments, tail = _tokenise_with_pydifact(body, characters)
    else:
        segments, tail = _tokenise_by_splitting(body, characters)
    return Tokens(characters, segments, tail)


def _tokenise_by_splitting(body: str, characters: Characters) -> tuple[list[EdifactSegment], str]:
    pieces = body.split(characters.segment_terminator)
    tail = pieces.pop().strip(LAYOUT)
    element, component = characters.data_separator, characters.component_separator
    segments: list[EdifactSegment] = []
    for piece in pieces:
        piece = piece.lstrip(LAYOUT)
        if piece:
            elements = [value.split(component) for value in piece.split(element)]
            segments.append(EdifactSegment(elements[0][0], elements, len(segments) + 1))
    return segments, tail


def _tokenise_with_pydifact(body: str, characters: Characters) -> tuple[list[EdifactSegment], str]:
    tokens = TokenIterator(Tokenizer().get_tokens(body, characters))
    segments: list[EdifactSegment] = []
    try:
        for raw in Parser().convert_tokens_to_raw_segments(tokens):
            elements = [value if isinstance(value, list) else [value] for value in raw]
            segments.append(EdifactSegment(elements[0][0], elements, len(segments) + 1))
    except EDISyntaxError:
        return segments, _unterminated_tail(body, characters)
    return segments, ""


def _unterminated_tail(body: str, characters: Characters) -> str:
    return body.rsplit(characters.segment_terminator, 1)[-1].strip(LAYOUT) or "?"


def render(segments: Sequence[Sequence[str | Sequence[str]]], characters: Characters | None = None) -> bytes:
    """Segments (tag first, then data elements, composites as sequences) as EDIFACT bytes with a
    UNA header, one segment per line; trailing empty elements are dropped. The bytes are Latin-1,
    the character set of syntax level UNOC the renderers declare; other characters are refused."""
    chosen = characters or Characters.from_str("UNA:+.? '")
    built = []
    for tag, *values in segments:
        elements = [list(value) if not isinstance(value, str) else value for value in values]
        while elements and elements[-1] in ("", []):
            elements.pop()
        built.append(Segment(str(tag), *elements))
    return Serializer(chosen).serialize(built, with_una_header=True, break_lines=True).encode("latin-1")
