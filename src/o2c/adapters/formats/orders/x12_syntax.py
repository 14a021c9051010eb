"""X12 syntax: how a file is cut into segments and elements, and how one is written back.

An X12 interchange declares its own delimiters in the fixed ISA header: the element separator is
the character right after ``ISA``, the component separator is ISA16 and the segment terminator is
the character after ISA16. Line breaks after terminators are layout, not data, and are dropped;
a file whose terminator *is* a line break works the same way. Positions are 1-based segment
counts from the start of the file, so an error can say "SE, segment 33".

Invariant: the whole file is read with the delimiters of its first ISA; a later ISA that declares
other delimiters is reported, not silently misread.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from o2c.adapters.formats.orders.model import FormatError

ISA_ELEMENTS = 16
LAYOUT = "\r\n"


class Delimiters(NamedTuple):
    element: str
    component: str
    terminator: str


class X12Segment:
    """One segment: ``elements[0]`` is the tag, so ``get(3)`` is the third element (BEG03)."""

    __slots__ = ("elements", "position", "tag")

    def __init__(self, tag: str, elements: list[str], position: int) -> None:
        self.tag, self.elements, self.position = tag, elements, position

    def get(self, index: int) -> str:
        """Element ``index`` (1-based, as X12 numbers them), '' if absent."""
        try:
            return self.elements[index]
        except IndexError:
            return ""

    def __repr__(self) -> str:
        return f"X12Segment({self.tag!r}, {self.elements!r}, {self.position})"


def decode(data: bytes) -> str:
    """X12 is ASCII in practice; UTF-8 is accepted and anything else is read as Latin-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_delimiters(text: str, file: str) -> Delimiters:
    if not text.startswith("ISA") or len(text) < 106:
        raise FormatError("the file does not start with an ISA interchange header", file=file,
                          segment="ISA", position=1)
    element = text[3]
    cut = -1
    for _ in range(ISA_ELEMENTS):
        cut = text.find(element, cut + 1)
        if cut < 0:
            raise FormatError("the ISA header has fewer than 16 elements", file=file,
                              segment="ISA", position=1)
    if cut + 2 >= len(text):
        raise FormatError("the ISA header ends before its segment terminator", file=file,
                          segment="ISA", position=1, field="ISA16")
    return Delimiters(element, text[cut + 1], text[cut + 2])


def split_segments(text: str, delimiters: Delimiters) -> tuple[list[X12Segment], str]:
    """The file's segments, and any text after the last terminator (a sign of truncation)."""
    pieces = text.split(delimiters.terminator)
    tail = pieces.pop().strip(LAYOUT + " ")
    element = delimiters.element
    segments: list[X12Segment] = []
    for piece in pieces:
        piece = piece.strip(LAYOUT)
        if piece:
            elements = piece.split(element)
            segments.append(X12Segment(elements[0], elements, len(segments) + 1))
    return segments, tail


def write_segments(segments: Iterable[Iterable[str]], delimiters: Delimiters) -> bytes:
    """Segments (tag first, then elements) as X12 bytes, one per line; trailing empty elements are
    dropped. X12 has no release character, so a value holding a delimiter is refused."""
    reserved = set(delimiters)
    layout = "" if delimiters.terminator in LAYOUT else "\n"
    out: list[str] = []
    for segment in segments:
        elements = list(segment)
        while len(elements) > 1 and elements[-1] == "":
            elements.pop()
        for value in elements if elements[0] != "ISA" else ():
            if reserved.intersection(value):
                raise ValueError(f"{value!r} holds an X12 delimiter and cannot be sent")
        out.append(delimiters.element.join(elements) + delimiters.terminator + layout)
    return "".join(out).encode("ascii")
