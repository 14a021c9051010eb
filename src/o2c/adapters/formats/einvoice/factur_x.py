"""Factur-X (ZUGFeRD 2): the readable PDF with its CII XML embedded, as PDF/A-3 (``factur-x`` package).

Invariants: the embedded XML is ``factur-x.xml`` at the EN 16931 level and passes the Factur-X XSD
before it is embedded (the library checks it); the visible PDF is ``pdf.render_pdf`` of the same
invoice, so the picture and the data cannot disagree; the library writes the PDF/A-3 XMP metadata
and the associated-file relation.
"""

from __future__ import annotations

from o2c.adapters.formats.einvoice.cii import render_cii
from o2c.adapters.formats.einvoice.parties import Buyer, Seller, buyer_of
from o2c.adapters.formats.einvoice.pdf import render_pdf
from o2c.domain.customers import Customer
from o2c.domain.invoices import DocumentKind, Invoice


def render_factur_x(invoice: Invoice, customer: Customer | Buyer, seller: Seller) -> bytes:
    """The Factur-X PDF (PDF/A-3 with ``factur-x.xml`` attached)."""
    from facturx import generate_from_binary  # optional extra: imported only when rendering Factur-X

    buyer = buyer_of(customer)
    title = "Credit note" if invoice.kind is DocumentKind.CREDIT_NOTE else "Invoice"
    metadata = {"author": seller.name, "keywords": "Factur-X, invoice",
                "title": f"{seller.name}: {title} {invoice.number}",
                "subject": f"{title} {invoice.number} dated {invoice.issue_date.isoformat()} for {buyer.name}"}
    return generate_from_binary(render_pdf(invoice, buyer, seller), render_cii(invoice, buyer, seller),
                                flavor="factur-x", level="en16931", check_xsd=True, pdf_metadata=metadata,
                                lang=buyer.language)


def factur_x_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.factur-x.pdf"
