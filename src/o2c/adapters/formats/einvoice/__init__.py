"""E-invoices and invoice documents: UBL 2.1 / Peppol BIS 3, CII / Factur-X, X12 810, EDIFACT INVOIC, PDF.

``render(invoice, customer, seller, fmt)`` is the one door: it returns the file name and bytes of
the document in ``fmt`` (one of ``FORMATS``), or raises ``UnrenderableDocument`` naming the document
and the reason when its content cannot be written in that syntax (an X12 delimiter in a value: X12
has no escape), so a caller rendering many documents can report one and go on. ``read_ubl`` reads a received UBL invoice back into the
o2c model; ``UblValidator`` checks a UBL document against the XSD, EN 16931 and Peppol rules.
Libraries: lxml (XML), saxonche (XSLT 2.0 rule sets), factur-x (PDF/A-3 embedding, CII/UBL schemas),
ReportLab (PDF), pydifact (EDIFACT syntax, through the orders adapters), babel (number formats).
Each format's module is imported only when that format is rendered, so the optional libraries
(saxonche, factur-x, reportlab) are needed only by the formats that use them.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from o2c.adapters.formats.einvoice.parties import Buyer, Endpoint, Seller, buyer_of, demo_seller
from o2c.adapters.formats.einvoice.ubl_reader import ReadDocument, read_ubl
from o2c.adapters.formats.einvoice.xml_guard import EInvoiceError
from o2c.domain.customers import Customer
from o2c.domain.invoices import Invoice


class UnrenderableDocument(EInvoiceError):
    """A document whose content the chosen syntax cannot carry; ``filename`` is the file it would be."""


Renderer = Callable[[Invoice, Customer | Buyer, Seller], bytes]
Namer = Callable[[Invoice], str]

FORMATS: dict[str, tuple[str, str, str]] = {  # format -> (module, renderer, file namer), imported on use
    "ubl": ("ubl", "render_ubl", "ubl_filename"),
    "cii": ("cii", "render_cii", "cii_filename"),
    "facturx": ("factur_x", "render_factur_x", "factur_x_filename"),
    "x12": ("x12_810", "render_810", "x12_filename"),
    "edifact": ("edifact_invoic", "render_invoic", "edifact_filename"),
    "pdf": ("pdf", "render_pdf", "pdf_filename"),
}


def render(invoice: Invoice, customer: Customer | Buyer, seller: Seller, fmt: str) -> tuple[str, bytes]:
    """``(filename, bytes)`` of ``invoice`` in format ``fmt``: ubl, cii, facturx, x12, edifact or pdf."""
    try:
        module_name, renderer_name, namer_name = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown invoice format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    module = import_module(f"{__name__}.{module_name}")
    renderer: Renderer = getattr(module, renderer_name)
    namer: Namer = getattr(module, namer_name)
    try:
        return namer(invoice), renderer(invoice, customer, seller)
    except (ValueError, UnicodeError) as error:
        if isinstance(error, EInvoiceError):
            raise
        raise UnrenderableDocument(namer(invoice), f"cannot be written as {fmt}: {error}") from error


__all__ = [
    "FORMATS",
    "Buyer",
    "EInvoiceError",
    "Endpoint",
    "ReadDocument",
    "Seller",
    "UnrenderableDocument",
    "buyer_of",
    "demo_seller",
    "read_ubl",
    "render",
]
