"""Reading UBL back: the official Peppol examples keep their totals through read -> render -> read,
and hostile XML is refused before it is parsed."""

from __future__ import annotations

import pytest

from o2c.adapters.formats.einvoice import EInvoiceError, read_ubl
from o2c.adapters.formats.einvoice.ubl import render_ubl
from o2c.domain.invoices import DocumentKind

from .builders import customer_of, invoice_set
from .conftest import peppol_examples

EXAMPLES = peppol_examples()


def _examples():
    if not EXAMPLES:
        pytest.skip("the Peppol examples are missing (tests/data/einvoice)")
    return EXAMPLES


@pytest.mark.parametrize("name", [p.name for p in EXAMPLES] or ["absent"])
def test_a_peppol_example_is_read_with_the_totals_it_states(name):
    path = next((p for p in _examples() if p.name == name), None)
    document = read_ubl(path.read_bytes(), name)
    assert document.discrepancies() == []
    assert document.invoice.payable == document.stated.payable
    assert document.invoice.lines and document.seller.name and document.buyer.name


@pytest.mark.parametrize("name", [p.name for p in EXAMPLES] or ["absent"])
def test_a_peppol_example_re_rendered_keeps_its_totals_and_validates(name, validator):
    path = next((p for p in _examples() if p.name == name), None)
    original = read_ubl(path.read_bytes(), name)
    xml = render_ubl(original.invoice, original.buyer, original.seller)
    again = read_ubl(xml, f"re-rendered {name}")
    assert again.discrepancies() == []
    assert again.stated == original.stated
    assert [ln.net(again.invoice.currency) for ln in again.invoice.lines] == \
           [ln.net(original.invoice.currency) for ln in original.invoice.lines]
    report = validator.validate(xml, name)
    assert report.passed, f"re-rendered {name} fails:\n{report.describe()}"


def test_the_allowance_example_keeps_its_prepaid_amount_and_swedish_vat_total():
    path = next((p for p in _examples() if p.name == "Allowance-example.xml"), None)
    if path is None:
        pytest.skip("Allowance-example.xml is not among the samples")
    invoice = read_ubl(path.read_bytes()).invoice
    assert str(invoice.prepaid) == "1,000.00 EUR" and str(invoice.payable) == "6,125.00 EUR"
    assert str(invoice.accounting_tax_total) == "9,324.00 SEK"
    assert str(invoice.allowance_total) == "200.00 EUR" and str(invoice.charge_total) == "200.00 EUR"


def test_an_o2c_credit_note_reads_back_as_the_same_document(seller):
    original = invoice_set()["CN-2026-000011"]
    read = read_ubl(render_ubl(original, customer_of(original), seller)).invoice
    assert read.kind is DocumentKind.CREDIT_NOTE and read.corrects == original.corrects
    assert (read.net_total, read.tax_total, read.gross_total) == (original.net_total, original.tax_total,
                                                                 original.gross_total)
    assert read.tax_subtotals == original.tax_subtotals


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol2;</Invoice>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&xxe;</Invoice>"""


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY, BILLION_LAUGHS.decode().encode("utf-16")],
                         ids=["entity-expansion", "external-entity", "utf-16-doctype"])
def test_hostile_xml_with_a_doctype_or_entities_is_refused(hostile):
    with pytest.raises(EInvoiceError, match="DOCTYPE or ENTITY"):
        read_ubl(hostile, "hostile.xml")


def test_a_huge_document_is_refused_before_it_is_parsed():
    from o2c.adapters.formats.einvoice.xml_guard import MAX_XML_BYTES

    huge = b"<Invoice>" + b" " * MAX_XML_BYTES + b"</Invoice>"
    with pytest.raises(EInvoiceError, match="more than the"):
        read_ubl(huge, "huge.xml")


def test_a_file_that_is_not_a_ubl_invoice_names_what_it_is():
    with pytest.raises(EInvoiceError, match="neither a UBL Invoice nor a CreditNote"):
        read_ubl(b"<Order xmlns='urn:x'/>", "order.xml")
    with pytest.raises(EInvoiceError, match="not well-formed"):
        read_ubl(b"<Invoice>", "cut.xml")
