"""Read a UBL 2.1 Invoice or CreditNote (Peppol BIS 3 / EN 16931) into the o2c model.

The file is loaded through the hardened parser (no DTD, no entities, no network, size cap). Lines,
allowances, charges and VAT groups are read as stated and the document is rebuilt with
``build_document``, so its totals are o2c's; the totals the file states are kept beside it and
``ReadDocument.discrepancies`` lists every one o2c computes differently (empty for a correct file).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from lxml import etree

from o2c.adapters.formats.einvoice.parties import Buyer, Endpoint, Seller
from o2c.adapters.formats.einvoice.ubl_parts import CAC, CBC
from o2c.adapters.formats.einvoice.xml_guard import EInvoiceError, load_xml
from o2c.domain.customers import Address
from o2c.domain.invoices import AllowanceCharge, DocumentKind, Invoice, InvoiceLine, build_document
from o2c.domain.money import Money

NS = {"cbc": CBC, "cac": CAC}
_SUPPLIER = "cac:AccountingSupplierParty/cac:Party"
_CUSTOMER = "cac:AccountingCustomerParty/cac:Party"
_VAT_ID = "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID"


@dataclass(frozen=True, slots=True)
class StatedTotals:
    """The document totals as the file states them (BT-106 .. BT-115, BT-111)."""

    line_total: Money
    net_total: Money
    gross_total: Money
    payable: Money
    tax_total: Money
    allowance_total: Money | None = None
    charge_total: Money | None = None
    prepaid: Money | None = None
    rounding: Money | None = None
    accounting_tax_total: Money | None = None


@dataclass(frozen=True, slots=True)
class ReadDocument:
    invoice: Invoice
    seller: Seller
    buyer: Buyer
    stated: StatedTotals

    def discrepancies(self) -> list[str]:
        """Each stated total that differs from the one o2c computes, and the rebuilt document's problems."""
        found = list(self.invoice.problems())
        for field in fields(StatedTotals):
            stated = getattr(self.stated, field.name)
            computed = getattr(self.invoice, field.name)
            if stated is None and computed is not None and not computed.is_zero():
                found.append(f"{field.name}: file states none, o2c computes {computed}")
            if stated is not None and stated != computed:
                found.append(f"{field.name}: file states {stated}, o2c computes {computed}")
        return found


def read_ubl(data: bytes, filename: str = "invoice.xml") -> ReadDocument:
    """Parse a UBL invoice or credit note; ``EInvoiceError`` names the file and what is wrong."""
    root = load_xml(data, filename)
    local = etree.QName(root).localname
    if local not in ("Invoice", "CreditNote"):
        raise EInvoiceError(filename, f"<{local}> is neither a UBL Invoice nor a CreditNote")
    try:
        return _read(_Doc(root, filename), local == "CreditNote")
    except (InvalidOperation, ValueError) as error:
        if isinstance(error, EInvoiceError):
            raise
        raise EInvoiceError(filename, f"unreadable value ({error})") from None


class _Doc:
    """Look-ups in one document, each failing with the file name and the path that is missing."""

    def __init__(self, root: etree._Element, filename: str) -> None:
        self.root, self.filename = root, filename
        self.currency = self.required(root, "cbc:DocumentCurrencyCode")

    def text(self, node: etree._Element | None, path: str) -> str | None:
        hits = [] if node is None else _xpath(path)(node)
        found = hits[0].text if hits else None
        return found.strip() if found and found.strip() else None

    def required(self, node: etree._Element, path: str) -> str:
        value = self.text(node, path)
        if value is None:
            raise EInvoiceError(self.filename, f"{path} is missing")
        return value

    def decimal(self, node: etree._Element | None, path: str) -> Decimal | None:
        value = self.text(node, path)
        return None if value is None else Decimal(value)

    def money(self, node: etree._Element | None, path: str) -> Money | None:
        value = self.decimal(node, path)
        return None if value is None else Money(value, self.currency)

    def date(self, node: etree._Element | None, path: str) -> date | None:
        value = self.text(node, path)
        return None if value is None else date.fromisoformat(value)

    def all(self, node: etree._Element, path: str) -> list[etree._Element]:
        return list(node.iterfind(path, namespaces=NS))


@cache
def _xpath(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=NS)


def _read(doc: _Doc, credit: bool) -> ReadDocument:
    root, line_tag = doc.root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine"
    lines = tuple(_line(doc, node, n, credit) for n, node in enumerate(doc.all(root, line_tag), start=1))
    reasons, codes = _exemptions(doc)
    issue = doc.date(root, "cbc:IssueDate") or date.min
    note = doc.text(root, "cbc:Note")
    invoice = build_document(
        doc.required(root, "cbc:ID"), DocumentKind.CREDIT_NOTE if credit else DocumentKind.INVOICE,
        _buyer(doc).id, issue, doc.date(root, "cbc:DueDate") or doc.date(root, "cac:PaymentMeans/cbc:PaymentDueDate")
        or issue, doc.currency, lines, reasons, exemption_codes=codes,
        allowance_charges=tuple(_allowance(doc, n, True) for n in doc.all(root, "cac:AllowanceCharge")),
        **_references(doc), reason=note if credit else None, tax_note=None if credit else note,
        prepaid=doc.money(root, "cac:LegalMonetaryTotal/cbc:PrepaidAmount"),
        rounding=doc.money(root, "cac:LegalMonetaryTotal/cbc:PayableRoundingAmount"),
        accounting_tax_total=_accounting_tax(doc))
    return ReadDocument(invoice, _seller(doc), _buyer(doc), _stated(doc))


def _references(doc: _Doc) -> dict[str, Any]:
    root = doc.root
    return {
        "buyer_reference": doc.text(root, "cbc:BuyerReference"),
        "po_number": doc.text(root, "cac:OrderReference/cbc:ID"),
        "order_id": doc.text(root, "cac:OrderReference/cbc:SalesOrderID"),
        "delivery_id": doc.text(root, "cac:DespatchDocumentReference/cbc:ID"),
        "corrects": doc.text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
        "corrects_issue_date": doc.date(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate"),
        "delivery_date": doc.date(root, "cac:Delivery/cbc:ActualDeliveryDate"),
        "buyer_vat_id": doc.text(root, f"{_CUSTOMER}/{_VAT_ID}"),
    }


def _line(doc: _Doc, node: etree._Element, position: int, credit: bool) -> InvoiceLine:
    line_id = doc.required(node, "cbc:ID")
    order_line = doc.text(node, "cac:OrderLineReference/cbc:LineID")
    price = doc.decimal(node, "cac:Price/cbc:PriceAmount")
    discount = doc.decimal(node, "cac:Price/cac:AllowanceCharge/cbc:Amount")
    item = node.find("cac:Item", NS)
    quantity_node = node.find("cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity", NS)
    if price is None or quantity_node is None or item is None:
        raise EInvoiceError(doc.filename, f"line {line_id} needs a quantity, an item and a price")
    return InvoiceLine(
        int(line_id) if line_id.isdigit() else position,
        doc.text(item, "cac:SellersItemIdentification/cbc:ID") or doc.text(item, "cac:StandardItemIdentification/cbc:ID")
        or line_id, doc.required(item, "cbc:Name"), Decimal((quantity_node.text or "0").strip()), price,
        doc.required(item, "cac:ClassifiedTaxCategory/cbc:ID"),
        doc.decimal(item, "cac:ClassifiedTaxCategory/cbc:Percent") or Decimal(0),
        order_line_no=int(order_line) if order_line and order_line.isdigit() else None,
        list_price=doc.decimal(node, "cac:Price/cac:AllowanceCharge/cbc:BaseAmount")
        or (price + discount if discount else None),
        base_quantity=doc.decimal(node, "cac:Price/cbc:BaseQuantity") or Decimal(1),
        unit_code=quantity_node.get("unitCode", "C62"),
        allowance_charges=tuple(_allowance(doc, n, False) for n in doc.all(node, "cac:AllowanceCharge")))


def _allowance(doc: _Doc, node: etree._Element, document_level: bool) -> AllowanceCharge:
    category = doc.text(node, "cac:TaxCategory/cbc:ID") if document_level else None
    return AllowanceCharge(
        charge=doc.required(node, "cbc:ChargeIndicator").lower() == "true",
        amount=doc.decimal(node, "cbc:Amount") or Decimal(0),
        reason=doc.text(node, "cbc:AllowanceChargeReason"),
        reason_code=doc.text(node, "cbc:AllowanceChargeReasonCode"),
        tax_category=category,
        tax_rate=(doc.decimal(node, "cac:TaxCategory/cbc:Percent") or Decimal(0)) if category else None,
        base_amount=doc.decimal(node, "cbc:BaseAmount"),
        percent=doc.decimal(node, "cbc:MultiplierFactorNumeric"))


def _exemptions(doc: _Doc) -> tuple[dict[str, str], dict[str, str]]:
    reasons: dict[str, str] = {}
    codes: dict[str, str] = {}
    for category in doc.all(doc.root, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory"):
        code = doc.required(category, "cbc:ID")
        if reason := doc.text(category, "cbc:TaxExemptionReason"):
            reasons[code] = reason
        if reason_code := doc.text(category, "cbc:TaxExemptionReasonCode"):
            codes[code] = reason_code
    return reasons, codes


def _accounting_tax(doc: _Doc) -> Money | None:
    currency = doc.text(doc.root, "cbc:TaxCurrencyCode")
    if currency is None or currency == doc.currency:
        return None
    for total in doc.all(doc.root, "cac:TaxTotal"):
        amount = total.find("cbc:TaxAmount", NS)
        if amount is not None and amount.get("currencyID") == currency:
            return Money(Decimal((amount.text or "0").strip()), currency)
    raise EInvoiceError(doc.filename, f"TaxCurrencyCode {currency} without a tax total in {currency}")


def _stated(doc: _Doc) -> StatedTotals:
    totals = doc.root.find("cac:LegalMonetaryTotal", NS)
    if totals is None:
        raise EInvoiceError(doc.filename, "cac:LegalMonetaryTotal is missing")

    def required(name: str) -> Money:
        return Money(Decimal(doc.required(totals, f"cbc:{name}")), doc.currency)

    tax = next((doc.money(t, "cbc:TaxAmount") for t in doc.all(doc.root, "cac:TaxTotal")
                if t.find("cac:TaxSubtotal", NS) is not None), None)
    return StatedTotals(
        line_total=required("LineExtensionAmount"), net_total=required("TaxExclusiveAmount"),
        gross_total=required("TaxInclusiveAmount"), payable=required("PayableAmount"),
        tax_total=tax or Money.zero(doc.currency),
        allowance_total=doc.money(totals, "cbc:AllowanceTotalAmount"),
        charge_total=doc.money(totals, "cbc:ChargeTotalAmount"), prepaid=doc.money(totals, "cbc:PrepaidAmount"),
        rounding=doc.money(totals, "cbc:PayableRoundingAmount"), accounting_tax_total=_accounting_tax(doc))


def _address(doc: _Doc, party: etree._Element | None) -> Address:
    node = None if party is None else party.find("cac:PostalAddress", NS)
    return Address(doc.text(node, "cbc:StreetName") or "", doc.text(node, "cbc:CityName") or "",
                   doc.text(node, "cbc:PostalZone") or "", doc.text(node, "cac:Country/cbc:IdentificationCode") or "",
                   doc.text(node, "cbc:CountrySubentity"))


def _endpoint(party: etree._Element | None) -> Endpoint | None:
    node = None if party is None else party.find("cbc:EndpointID", NS)
    if node is None or not (node.text or "").strip():
        return None
    return Endpoint(node.get("schemeID", ""), (node.text or "").strip())


def _name(doc: _Doc, party: etree._Element | None) -> str:
    return (doc.text(party, "cac:PartyLegalEntity/cbc:RegistrationName")
            or doc.text(party, "cac:PartyName/cbc:Name") or "")


def _seller(doc: _Doc) -> Seller:
    party = doc.root.find(_SUPPLIER, NS)
    legal = None if party is None else party.find("cac:PartyLegalEntity/cbc:CompanyID", NS)
    account = doc.root.find("cac:PaymentMeans/cac:PayeeFinancialAccount", NS)
    return Seller(
        name=_name(doc, party), address=_address(doc, party), vat_id=doc.text(party, _VAT_ID) or "",
        company_id=(legal.text or "").strip() if legal is not None else "",
        company_id_scheme=legal.get("schemeID") if legal is not None else None,
        endpoint=_endpoint(party) or Endpoint("", ""), iban=doc.text(account, "cbc:ID") or "",
        bic=doc.text(account, "cac:FinancialInstitutionBranch/cbc:ID"), email=doc.text(party, "cac:Contact/cbc:ElectronicMail"),
        phone=doc.text(party, "cac:Contact/cbc:Telephone"), account_name=doc.text(account, "cbc:Name"),
        accounting_currency=doc.text(doc.root, "cbc:TaxCurrencyCode") or doc.currency)


def _buyer(doc: _Doc) -> Buyer:
    party = doc.root.find(_CUSTOMER, NS)
    endpoint = _endpoint(party)
    legal = None if party is None else party.find("cac:PartyLegalEntity/cbc:CompanyID", NS)
    gln = doc.text(party, "cac:PartyIdentification/cbc:ID[@schemeID='0088']")
    return Buyer(
        id=doc.text(party, "cac:PartyIdentification/cbc:ID") or (endpoint.value if endpoint else _name(doc, party)),
        name=_name(doc, party), address=_address(doc, party), vat_id=doc.text(party, _VAT_ID), endpoint=endpoint,
        gln=gln, email=doc.text(party, "cac:Contact/cbc:ElectronicMail"),
        legal_id=(legal.text or "").strip() if legal is not None else None,
        legal_id_scheme=legal.get("schemeID") if legal is not None else None,
        payment_terms=doc.text(doc.root, "cac:PaymentTerms/cbc:Note"))
