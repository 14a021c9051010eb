"""UN/CEFACT Cross Industry Invoice D16B in the EN 16931 profile (the XML inside Factur-X / ZUGFeRD 2).

Invariants: the guideline is ``urn:cen.eu:en16931:2017`` (Factur-X EN16931 level); elements follow the
D16B sequences (lines before the header agreement, delivery and settlement); dates are ``102``
(CCYYMMDD); amounts and VAT groups are the domain's, as in the UBL rendering: same totals, same
exemption codes, the tax total also in the seller's VAT currency when the document's differs (BT-111).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from o2c.adapters.formats.einvoice.codes import CREDIT_TRANSFER, TYPE_CODES, amount, exemption, number
from o2c.adapters.formats.einvoice.parties import Buyer, Endpoint, Seller, buyer_of
from o2c.domain.customers import Address, Customer
from o2c.domain.invoices import AllowanceCharge, DocumentKind, Invoice, InvoiceLine, accounting_tax_total
from o2c.domain.money import Money

GUIDELINE = "urn:cen.eu:en16931:2017"
NSMAP = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    prefix, local = tag.split(":")
    child = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{local}", attrs)
    if text is not None:
        child.text = text
    return child


def _opt(parent: etree._Element, tag: str, text: str | None, **attrs: str) -> None:
    if text:
        _el(parent, tag, text, **attrs)


def _date(parent: etree._Element, tag: str, day: date, qualified: bool = False) -> None:
    _el(_el(parent, tag), "qdt:DateTimeString" if qualified else "udt:DateTimeString",
        day.strftime("%Y%m%d"), format="102")


def _money(parent: etree._Element, tag: str, value: Money, with_currency: bool = False) -> None:
    attrs = {"currencyID": value.currency} if with_currency else {}
    _el(parent, tag, amount(value), **attrs)


def render_cii(invoice: Invoice, customer: Customer | Buyer, seller: Seller) -> bytes:
    """The invoice or credit note as CII D16B XML (Factur-X EN16931 profile)."""
    buyer = buyer_of(customer)
    root = etree.Element(f"{{{NSMAP['rsm']}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE)
    _document(_el(root, "rsm:ExchangedDocument"), invoice)
    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    for line in invoice.lines:
        _line(transaction, line, invoice)
    _agreement(_el(transaction, "ram:ApplicableHeaderTradeAgreement"), invoice, buyer, seller)
    _delivery(_el(transaction, "ram:ApplicableHeaderTradeDelivery"), invoice, buyer)
    _settlement(_el(transaction, "ram:ApplicableHeaderTradeSettlement"), invoice, buyer, seller)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def cii_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.cii.xml"


def _document(node: etree._Element, invoice: Invoice) -> None:
    _el(node, "ram:ID", invoice.number)
    _el(node, "ram:TypeCode", TYPE_CODES[invoice.kind])
    _date(node, "ram:IssueDateTime", invoice.issue_date)
    note = " / ".join(text for text in (invoice.reason, invoice.tax_note) if text)
    if note:
        _el(_el(node, "ram:IncludedNote"), "ram:Content", note)


def _tax(parent: etree._Element, tag: str, category: str, rate: Decimal) -> None:
    node = _el(parent, tag)
    _el(node, "ram:TypeCode", "VAT")
    _el(node, "ram:CategoryCode", category)
    if category != "O":
        _el(node, "ram:RateApplicablePercent", number(rate))


def _allowance(parent: etree._Element, tag: str, ac: AllowanceCharge, currency: str) -> None:
    node = _el(parent, tag)
    _el(_el(node, "ram:ChargeIndicator"), "udt:Indicator", "true" if ac.charge else "false")
    if ac.percent is not None and ac.base_amount is not None:
        _el(node, "ram:CalculationPercent", number(ac.percent))
        _money(node, "ram:BasisAmount", Money(ac.base_amount, currency))
    _money(node, "ram:ActualAmount", Money(ac.amount, currency))
    _opt(node, "ram:ReasonCode", ac.reason_code)
    _opt(node, "ram:Reason", ac.reason)
    if ac.tax_category is not None:
        _tax(node, "ram:CategoryTradeTax", ac.tax_category, ac.tax_rate or Decimal(0))


def _line(parent: etree._Element, line: InvoiceLine, invoice: Invoice) -> None:
    node = _el(parent, "ram:IncludedSupplyChainTradeLineItem")
    _el(_el(node, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(line.line_no))
    product = _el(node, "ram:SpecifiedTradeProduct")
    _el(product, "ram:SellerAssignedID", line.sku)
    _el(product, "ram:Name", line.description or line.sku)
    _line_prices(_el(node, "ram:SpecifiedLineTradeAgreement"), line, invoice)
    _el(_el(node, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", number(line.quantity),
        unitCode=line.unit_code)
    settlement = _el(node, "ram:SpecifiedLineTradeSettlement")
    _tax(settlement, "ram:ApplicableTradeTax", line.tax_category, line.tax_rate)
    for ac in line.allowance_charges:
        _allowance(settlement, "ram:SpecifiedTradeAllowanceCharge", ac, invoice.currency)
    summation = _el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _money(summation, "ram:LineTotalAmount", line.net(invoice.currency))


def _line_prices(agreement: etree._Element, line: InvoiceLine, invoice: Invoice) -> None:
    if line.order_line_no is not None and invoice.po_number:
        _el(_el(agreement, "ram:BuyerOrderReferencedDocument"), "ram:LineID", str(line.order_line_no))
    if line.price_discount:
        gross = _el(agreement, "ram:GrossPriceProductTradePrice")
        _el(gross, "ram:ChargeAmount", number(line.list_price or line.unit_price))
        discount = _el(gross, "ram:AppliedTradeAllowanceCharge")
        _el(_el(discount, "ram:ChargeIndicator"), "udt:Indicator", "false")
        _el(discount, "ram:ActualAmount", number(line.price_discount))
    net = _el(agreement, "ram:NetPriceProductTradePrice")
    _el(net, "ram:ChargeAmount", number(line.unit_price))
    if line.base_quantity != 1:
        _el(net, "ram:BasisQuantity", number(line.base_quantity), unitCode=line.unit_code)


def _party(parent: etree._Element, tag: str, name: str, where: Address, endpoint: Endpoint | None,
           legal: tuple[str | None, str | None], vat_id: str | None, email: str | None,
           gln: str | None) -> None:
    node = _el(parent, tag)
    if gln:
        _el(node, "ram:GlobalID", gln, schemeID="0088")
    _el(node, "ram:Name", name)
    if legal[0]:
        attrs = {"schemeID": legal[1]} if legal[1] else {}
        _el(_el(node, "ram:SpecifiedLegalOrganization"), "ram:ID", legal[0], **attrs)
    if email:
        contact = _el(node, "ram:DefinedTradeContact")
        _el(_el(contact, "ram:EmailURIUniversalCommunication"), "ram:URIID", email)
    address = _el(node, "ram:PostalTradeAddress")
    _opt(address, "ram:PostcodeCode", where.postcode)
    _opt(address, "ram:LineOne", where.street)
    _opt(address, "ram:CityName", where.city)
    _el(address, "ram:CountryID", where.country)
    _opt(address, "ram:CountrySubDivisionName", where.region)
    if endpoint and endpoint.value:
        _el(_el(node, "ram:URIUniversalCommunication"), "ram:URIID", endpoint.value, schemeID=endpoint.scheme)
    if vat_id:
        _el(_el(node, "ram:SpecifiedTaxRegistration"), "ram:ID", vat_id, schemeID="VA")


def _agreement(node: etree._Element, invoice: Invoice, buyer: Buyer, seller: Seller) -> None:
    with_vat = all(s.category != "O" for s in invoice.tax_subtotals)
    _opt(node, "ram:BuyerReference", invoice.buyer_reference or (None if invoice.po_number else buyer.id))
    _party(node, "ram:SellerTradeParty", seller.name, seller.address, seller.endpoint,
           (seller.company_id, seller.company_id_scheme), seller.vat_id if with_vat else None, seller.email,
           seller.gln)
    _party(node, "ram:BuyerTradeParty", buyer.name, buyer.address, buyer.endpoint,
           (buyer.legal_id, buyer.legal_id_scheme), (invoice.buyer_vat_id or buyer.vat_id) if with_vat else None,
           buyer.email, buyer.gln)
    if invoice.po_number:
        _el(_el(node, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", invoice.po_number)


def _delivery(node: etree._Element, invoice: Invoice, buyer: Buyer) -> None:
    if invoice.delivery_date or any(s.category == "K" for s in invoice.tax_subtotals):
        ship_to = _el(node, "ram:ShipToTradeParty")
        _el(_el(ship_to, "ram:PostalTradeAddress"), "ram:CountryID", buyer.address.country)
        event = _el(node, "ram:ActualDeliverySupplyChainEvent")
        _date(event, "ram:OccurrenceDateTime", invoice.delivery_date or invoice.issue_date)
    if invoice.delivery_id:
        _el(_el(node, "ram:DespatchAdviceReferencedDocument"), "ram:IssuerAssignedID", invoice.delivery_id)


def _settlement(node: etree._Element, invoice: Invoice, buyer: Buyer, seller: Seller) -> None:
    accounting = accounting_tax_total(invoice, seller.accounting_currency)
    accounting = accounting if accounting is not None and accounting.currency != invoice.currency else None
    _el(node, "ram:PaymentReference", invoice.number)
    if accounting is not None:
        _el(node, "ram:TaxCurrencyCode", accounting.currency)
    _el(node, "ram:InvoiceCurrencyCode", invoice.currency)
    if invoice.kind is DocumentKind.INVOICE:
        _payment_means(node, seller)
    for sub in invoice.tax_subtotals:
        _tax_breakdown(node, sub.category, sub.rate, sub.taxable, sub.tax, exemption(sub))
    for ac in invoice.allowance_charges:
        _allowance(node, "ram:SpecifiedTradeAllowanceCharge", ac, invoice.currency)
    terms = _el(node, "ram:SpecifiedTradePaymentTerms")
    if invoice.kind is DocumentKind.INVOICE:
        _el(terms, "ram:Description", f"Payment terms {buyer.payment_terms or 'as agreed'}")
        _date(terms, "ram:DueDateDateTime", invoice.due_date)
    else:
        _el(terms, "ram:Description", f"Credit for invoice {invoice.corrects}")
    _summation(_el(node, "ram:SpecifiedTradeSettlementHeaderMonetarySummation"), invoice, accounting)
    if invoice.corrects:
        reference = _el(node, "ram:InvoiceReferencedDocument")
        _el(reference, "ram:IssuerAssignedID", invoice.corrects)
        if invoice.corrects_issue_date:
            _date(reference, "ram:FormattedIssueDateTime", invoice.corrects_issue_date, qualified=True)


def _payment_means(node: etree._Element, seller: Seller) -> None:
    means = _el(node, "ram:SpecifiedTradeSettlementPaymentMeans")
    _el(means, "ram:TypeCode", CREDIT_TRANSFER)
    account = _el(means, "ram:PayeePartyCreditorFinancialAccount")
    _el(account, "ram:IBANID", seller.iban)
    _opt(account, "ram:AccountName", seller.account_name)
    if seller.bic:
        _el(_el(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", seller.bic)


def _tax_breakdown(node: etree._Element, category: str, rate: Decimal, taxable: Money, tax: Money,
                   reasons: tuple[str | None, str | None]) -> None:
    row = _el(node, "ram:ApplicableTradeTax")
    _money(row, "ram:CalculatedAmount", tax)
    _el(row, "ram:TypeCode", "VAT")
    _opt(row, "ram:ExemptionReason", reasons[1])
    _money(row, "ram:BasisAmount", taxable)
    _el(row, "ram:CategoryCode", category)
    _opt(row, "ram:ExemptionReasonCode", reasons[0])
    if category != "O":
        _el(row, "ram:RateApplicablePercent", number(rate))


def _summation(node: etree._Element, invoice: Invoice, accounting: Money | None) -> None:
    _money(node, "ram:LineTotalAmount", invoice.line_total)
    if any(ac.charge for ac in invoice.allowance_charges):
        _money(node, "ram:ChargeTotalAmount", invoice.charge_total)
    if any(not ac.charge for ac in invoice.allowance_charges):
        _money(node, "ram:AllowanceTotalAmount", invoice.allowance_total)
    _money(node, "ram:TaxBasisTotalAmount", invoice.net_total)
    _money(node, "ram:TaxTotalAmount", invoice.tax_total, with_currency=True)
    if accounting is not None:
        _money(node, "ram:TaxTotalAmount", accounting, with_currency=True)
    if invoice.rounding is not None:
        _money(node, "ram:RoundingAmount", invoice.rounding)
    _money(node, "ram:GrandTotalAmount", invoice.gross_total)
    if invoice.prepaid is not None:
        _money(node, "ram:TotalPrepaidAmount", invoice.prepaid)
    _money(node, "ram:DuePayableAmount", invoice.payable)
