"""The readable PDF and the one ``render`` door for every format."""

from __future__ import annotations

import io

import pytest

from o2c.adapters.formats.einvoice import FORMATS, render
from o2c.adapters.formats.einvoice.pdf import render_pdf

from .builders import customer_of, invoice_set

DOCUMENTS = invoice_set()


def pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf", reason="pypdf comes with the factur-x extra")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_is_the_same_bytes_for_the_same_invoice(seller):
    document = DOCUMENTS["INV-2026-000101"]
    assert render_pdf(document, customer_of(document), seller) == render_pdf(document, customer_of(document), seller)


def test_the_pdf_shows_parties_lines_vat_summary_totals_and_payment_instructions(seller):
    document = DOCUMENTS["INV-2026-000101"]
    text = pdf_text(render_pdf(document, customer_of(document), seller))
    for expected in ("Invoice INV-2026-000101", "Brightwater Drinks & Foods B.V.", "Albert Trading", "PO-101",
                     "Cola 24x33cl (list 12.00)", "Volume discount", "Loyalty rebate", "Freight",
                     "Exempt from VAT", "949.35 EUR", "NL91ABNA0417164300"):
        assert expected in text, expected


def test_an_intra_eu_invoice_pdf_carries_the_reverse_charge_note(seller):
    document = DOCUMENTS["INV-2026-000102"]
    text = " ".join(pdf_text(render_pdf(document, customer_of(document), seller)).split())
    assert "Reverse charge" in text and "Intra-community supply" in text


def test_a_credit_note_pdf_names_the_invoice_it_corrects(seller):
    document = DOCUMENTS["CN-2026-000013"]
    text = " ".join(pdf_text(render_pdf(document, customer_of(document), seller)).split())
    assert "Credit note CN-2026-000013" in text and "INV-2026-000105" in text and "VAT in EUR" in text


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_render_returns_a_file_name_and_bytes_for_every_format(fmt, seller):
    if fmt == "facturx":
        pytest.importorskip("facturx", reason="factur-x (the e-invoice extra) is not installed")
    document = DOCUMENTS["INV-2026-000104"]
    name, data = render(document, customer_of(document), seller, fmt)
    assert name.startswith(document.number) and data


def test_render_refuses_an_unknown_format_and_lists_the_known_ones(seller):
    document = DOCUMENTS["INV-2026-000104"]
    with pytest.raises(ValueError, match="ubl, cii, facturx, x12, edifact, pdf"):
        render(document, customer_of(document), seller, "docx")
