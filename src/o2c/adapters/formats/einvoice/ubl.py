"""UBL 2.1 Invoice and CreditNote in the Peppol BIS Billing 3.0 profile (EN 16931 CIUS).

Invariants of what is written:
- CustomizationID and ProfileID of Peppol BIS 3; one ``cbc:Note`` at most; a buyer reference or a
  purchase-order reference always (PEPPOL-EN16931-R003: the customer id stands in for a missing one);
- both parties have an electronic address (``EndpointID``), a postal address and a legal name; VAT ids
  are left out when a line is not subject to VAT (category O, BR-O-02);
- the totals are the domain's (BT-106 .. BT-115), never recomputed here; each VAT group names its
  exemption (VATEX code and text) for E, AE, K, G and O;
- a document in another currency than the seller's VAT currency carries ``TaxCurrencyCode`` and a
  second ``TaxTotal`` with the tax in that currency (BT-6, BT-111);
- a credit note has a ``BillingReference`` to the invoice it corrects; an invoice has a due date and
  payment means (credit transfer to the seller's IBAN, the invoice number as payment reference).
"""

from __future__ import annotations

from lxml import etree

from o2c.adapters.formats.einvoice import ubl_parts as p
from o2c.adapters.formats.einvoice.codes import (
    CREDIT_TRANSFER,
    CUSTOMIZATION_ID,
    PROFILE_ID,
    TYPE_CODES,
    number,
)
from o2c.adapters.formats.einvoice.parties import Buyer, Seller, buyer_of
from o2c.domain.customers import Customer
from o2c.domain.invoices import DocumentKind, Invoice, InvoiceLine, accounting_tax_total
from o2c.domain.money import Money


def render_ubl(invoice: Invoice, customer: Customer | Buyer, seller: Seller) -> bytes:
    """The invoice or credit note as UTF-8 UBL 2.1 XML (Peppol BIS Billing 3.0)."""
    buyer = buyer_of(customer)
    credit = invoice.kind is DocumentKind.CREDIT_NOTE
    root = etree.Element(f"{{{p.CREDIT_NOTE_NS if credit else p.INVOICE_NS}}}{'CreditNote' if credit else 'Invoice'}",
                         nsmap={None: p.CREDIT_NOTE_NS if credit else p.INVOICE_NS, "cac": p.CAC, "cbc": p.CBC})
    _header(root, invoice, buyer, seller)
    _parties(root, invoice, buyer, seller)
    _payment(root, invoice, buyer, seller)
    for ac in invoice.allowance_charges:
        p.allowance_charge(root, ac, invoice.currency, document_level=True)
    p.tax_totals(root, invoice.tax_total, invoice.tax_subtotals, _accounting(invoice, seller))
    _monetary_total(root, invoice)
    for line in invoice.lines:
        _line(root, line, invoice)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def ubl_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.ubl.xml"


def _accounting(invoice: Invoice, seller: Seller) -> Money | None:
    found = accounting_tax_total(invoice, seller.accounting_currency)
    return found if found is not None and found.currency != invoice.currency else None


def _note(invoice: Invoice) -> str | None:
    return " / ".join(text for text in (invoice.reason, invoice.tax_note) if text) or None


def _header(root: etree._Element, invoice: Invoice, buyer: Buyer, seller: Seller) -> None:
    credit = invoice.kind is DocumentKind.CREDIT_NOTE
    p.el(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    p.el(root, "cbc:ProfileID", PROFILE_ID)
    p.el(root, "cbc:ID", invoice.number)
    p.el(root, "cbc:IssueDate", invoice.issue_date.isoformat())
    if not credit:
        p.el(root, "cbc:DueDate", invoice.due_date.isoformat())
    p.el(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", TYPE_CODES[invoice.kind])
    p.opt(root, "cbc:Note", _note(invoice))
    p.el(root, "cbc:DocumentCurrencyCode", invoice.currency)
    accounting = _accounting(invoice, seller)
    if accounting is not None:
        p.el(root, "cbc:TaxCurrencyCode", accounting.currency)
    buyer_reference = invoice.buyer_reference or (None if invoice.po_number else buyer.id)
    p.opt(root, "cbc:BuyerReference", buyer_reference)
    _references(root, invoice)


def _references(root: etree._Element, invoice: Invoice) -> None:
    if invoice.po_number:
        order = p.el(root, "cac:OrderReference")
        p.el(order, "cbc:ID", invoice.po_number)
        p.opt(order, "cbc:SalesOrderID", invoice.order_id)
    if invoice.corrects:
        ref = p.el(p.el(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        p.el(ref, "cbc:ID", invoice.corrects)
        if invoice.corrects_issue_date:
            p.el(ref, "cbc:IssueDate", invoice.corrects_issue_date.isoformat())
    if invoice.delivery_id:
        p.el(p.el(root, "cac:DespatchDocumentReference"), "cbc:ID", invoice.delivery_id)


def _parties(root: etree._Element, invoice: Invoice, buyer: Buyer, seller: Seller) -> None:
    with_vat = all(s.category != "O" for s in invoice.tax_subtotals)
    p.seller_party(root, seller, with_vat)
    p.buyer_party(root, buyer, (invoice.buyer_vat_id or buyer.vat_id) if with_vat else None)
    if invoice.delivery_date or any(s.category == "K" for s in invoice.tax_subtotals):
        delivery = p.el(root, "cac:Delivery")
        p.el(delivery, "cbc:ActualDeliveryDate", (invoice.delivery_date or invoice.issue_date).isoformat())
        location = p.el(p.el(delivery, "cac:DeliveryLocation"), "cac:Address")
        p.el(p.el(location, "cac:Country"), "cbc:IdentificationCode", buyer.address.country)


def _payment(root: etree._Element, invoice: Invoice, buyer: Buyer, seller: Seller) -> None:
    if invoice.kind is DocumentKind.INVOICE:
        means = p.el(root, "cac:PaymentMeans")
        p.el(means, "cbc:PaymentMeansCode", CREDIT_TRANSFER, name="Credit transfer")
        p.el(means, "cbc:PaymentID", invoice.number)
        account = p.el(means, "cac:PayeeFinancialAccount")
        p.el(account, "cbc:ID", seller.iban)
        p.opt(account, "cbc:Name", seller.account_name)
        if seller.bic:
            p.el(p.el(account, "cac:FinancialInstitutionBranch"), "cbc:ID", seller.bic)
    p.el(p.el(root, "cac:PaymentTerms"), "cbc:Note", _terms_note(invoice, buyer))


def _terms_note(invoice: Invoice, buyer: Buyer) -> str:
    if invoice.kind is DocumentKind.CREDIT_NOTE:
        return f"Credit for invoice {invoice.corrects}: settled against open items or refunded"
    terms = f"Payment terms {buyer.payment_terms}; " if buyer.payment_terms else ""
    return f"{terms}due {invoice.due_date.isoformat()}"


def _monetary_total(root: etree._Element, invoice: Invoice) -> None:
    node = p.el(root, "cac:LegalMonetaryTotal")
    p.money(node, "cbc:LineExtensionAmount", invoice.line_total)
    p.money(node, "cbc:TaxExclusiveAmount", invoice.net_total)
    p.money(node, "cbc:TaxInclusiveAmount", invoice.gross_total)
    if any(not ac.charge for ac in invoice.allowance_charges):
        p.money(node, "cbc:AllowanceTotalAmount", invoice.allowance_total)
    if any(ac.charge for ac in invoice.allowance_charges):
        p.money(node, "cbc:ChargeTotalAmount", invoice.charge_total)
    if invoice.prepaid is not None:
        p.money(node, "cbc:PrepaidAmount", invoice.prepaid)
    if invoice.rounding is not None:
        p.money(node, "cbc:PayableRoundingAmount", invoice.rounding)
    p.money(node, "cbc:PayableAmount", invoice.payable)


def _line(root: etree._Element, line: InvoiceLine, invoice: Invoice) -> None:
    credit = invoice.kind is DocumentKind.CREDIT_NOTE
    node = p.el(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    p.el(node, "cbc:ID", str(line.line_no))
    p.el(node, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity", number(line.quantity),
         unitCode=line.unit_code)
    p.money(node, "cbc:LineExtensionAmount", line.net(invoice.currency))
    if line.order_line_no is not None and invoice.po_number:
        p.el(p.el(node, "cac:OrderLineReference"), "cbc:LineID", str(line.order_line_no))
    for ac in line.allowance_charges:
        p.allowance_charge(node, ac, invoice.currency, document_level=False)
    item = p.el(node, "cac:Item")
    p.el(item, "cbc:Name", line.description or line.sku)
    p.el(p.el(item, "cac:SellersItemIdentification"), "cbc:ID", line.sku)
    p.tax_category(item, "cac:ClassifiedTaxCategory", line.tax_category, line.tax_rate)
    _price(node, line, invoice.currency)


def _price(parent: etree._Element, line: InvoiceLine, currency: str) -> None:
    node = p.el(parent, "cac:Price")
    p.el(node, "cbc:PriceAmount", number(line.unit_price), currencyID=currency)
    if line.base_quantity != 1:
        p.el(node, "cbc:BaseQuantity", number(line.base_quantity), unitCode=line.unit_code)
    if line.price_discount:
        discount = p.el(node, "cac:AllowanceCharge")
        p.el(discount, "cbc:ChargeIndicator", "false")
        p.el(discount, "cbc:Amount", number(line.price_discount), currencyID=currency)
        p.el(discount, "cbc:BaseAmount", number(line.list_price or line.unit_price), currencyID=currency)
