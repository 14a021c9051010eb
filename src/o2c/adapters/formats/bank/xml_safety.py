"""Hardened XML loading for bank files, and a namespace-blind way to walk ISO 20022 documents.

A bank file comes from outside, so it is parsed as hostile: no DTD is loaded, no entity is
resolved, nothing is fetched from the network, and a document that declares a DOCTYPE at all
(entity expansion bombs, external entities) or is larger than ``MAX_XML_BYTES`` is refused before
anything is read from it. ISO 20022 messages carry their version in the namespace
(``urn:iso:std:iso:20022:tech:xsd:camt.053.001.08``); ``Iso`` looks elements up by local name in
whatever namespace the document uses, so one reader serves versions 02 to 08.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

from o2c.adapters.formats.bank.model import FormatError

MAX_XML_BYTES = 200 * 1024 * 1024
_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, dtd_validation=False, no_network=True,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )


def load_xml(data: bytes, filename: str, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """The root element of a bank XML file, or a FormatError saying why it was refused."""
    if len(data) > max_bytes:
        raise FormatError(filename, f"{len(data)} bytes is more than the {max_bytes} bytes allowed", field="XML")
    text = _as_ascii(data)
    declared = _DOCTYPE.search(text)
    if declared:
        raise FormatError(filename, "a DOCTYPE or ENTITY declaration is refused in a bank file",
                          line=text.count(b"\n", 0, declared.start()) + 1, field="XML")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise FormatError(filename, f"not well-formed XML ({error.msg})", line=error.lineno or None,
                          field="XML") from None
    if root.getroottree().docinfo.doctype:
        raise FormatError(filename, "a DOCTYPE declaration is refused in a bank file", field="XML")
    return root


def _as_ascii(data: bytes) -> bytes:
    """The document's bytes as ASCII-compatible text, so UTF-16 cannot hide a DOCTYPE."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) > 1 and b"\x00" in data[:4]):
        for codec in ("utf-16", "utf-32"):
            try:
                return data.decode(codec).encode("utf-8", "replace")
            except UnicodeDecodeError:
                continue
    return data


def namespace_of(element: etree._Element) -> str:
    return etree.QName(element).namespace or ""


class Iso:
    """Finds elements by slash-separated local names in one document's namespace.

    Steps are matched with lxml's C-level child iteration (much faster than ElementPath for the
    dozens of short look-ups an entry needs); like ElementPath, ``find`` returns the first match
    in document order, trying every branch.
    """

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def find(self, element: etree._Element | None, path: str) -> etree._Element | None:
        if element is None:
            return None
        return next(_descend(element, _qualified(self.namespace, path)), None)

    def findall(self, element: etree._Element | None, path: str) -> list[etree._Element]:
        if element is None:
            return []
        return list(_descend(element, _qualified(self.namespace, path)))

    def text(self, element: etree._Element | None, *paths: str) -> str | None:
        """Stripped text of the first of ``paths`` that is present and not empty."""
        for path in paths:
            found = self.find(element, path)
            if found is not None and found.text and found.text.strip():
                return found.text.strip()
        return None

    def texts(self, element: etree._Element | None, path: str) -> list[str]:
        return [f.text.strip() for f in self.findall(element, path) if f.text and f.text.strip()]


def _descend(element: etree._Element, steps: tuple[str, ...]) -> Iterator[etree._Element]:
    first, rest = steps[0], steps[1:]
    for child in element.iterchildren(first):
        if rest:
            yield from _descend(child, rest)
        else:
            yield child


@lru_cache(maxsize=1024)
def _qualified(namespace: str, path: str) -> tuple[str, ...]:
    return tuple(f"{{{namespace}}}{step}" if namespace else step for step in path.split("/"))
