"""Hardened XML loading for e-invoices received from outside.

A received invoice is parsed as hostile: a document larger than ``MAX_XML_BYTES`` or one that declares
a DOCTYPE or ENTITY at all (entity expansion bombs, external entities) is refused before it is parsed;
the parser itself loads no DTD, resolves no entity and fetches nothing from the network.
"""

from __future__ import annotations

import re

from lxml import etree

MAX_XML_BYTES = 20 * 1024 * 1024
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


class EInvoiceError(ValueError):
    """A file that is not a readable e-invoice; the message names the file and the reason."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{filename}: {reason}")
        self.filename, self.reason = filename, reason


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, load_dtd=False, dtd_validation=False, no_network=True,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def load_xml(data: bytes, filename: str = "document", max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """The root element of ``data``, or an ``EInvoiceError`` saying why the file was refused."""
    if len(data) > max_bytes:
        raise EInvoiceError(filename, f"{len(data)} bytes is more than the {max_bytes} allowed")
    if _DECLARATION.search(_ascii_view(data)):
        raise EInvoiceError(filename, "a DOCTYPE or ENTITY declaration is refused")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise EInvoiceError(filename, f"not well-formed XML (line {error.lineno}: {error.msg})") from None
    if root.getroottree().docinfo.doctype:
        raise EInvoiceError(filename, "a DOCTYPE declaration is refused")
    return root


def _ascii_view(data: bytes) -> bytes:
    """The bytes as ASCII-compatible text, so a UTF-16 or UTF-32 file cannot hide a DOCTYPE."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        for codec in ("utf-32", "utf-16"):
            try:
                return data.decode(codec).encode("utf-8", "replace")
            except UnicodeDecodeError:
                continue
    return data
