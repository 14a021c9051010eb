"""UBL 2.1 building blocks shared by the invoice and credit-note writers: parties, tax, allowances.

Invariants: elements are appended in the order the OASIS schema's sequences require; an element
with no value is never written (Peppol refuses empty elements); every amount carries the document
currency except the tax total in accounting currency (BT-111).
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from o2c.adapters.formats.einvoice.codes import amount, exemption, number
from o2c.adapters.formats.einvoice.parties import Buyer, Seller
from o2c.domain.customers import Address
from o2c.domain.invoices import AllowanceCharge, TaxSubtotal
from o2c.domain.money import Money

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
PREFIXES = {"cbc": CBC, "cac": CAC}


def el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """Append ``cbc:Name`` / ``cac:Name`` to ``parent``; ``text`` None leaves it without content."""
    prefix, local = tag.split(":")
    child = etree.SubElement(parent, f"{{{PREFIXES[prefix]}}}{local}", attrs)
    if text is not None:
        child.text = text
    return child


def opt(parent: etree._Element, tag: str, text: str | None, **attrs: str) -> None:
    """Append ``tag`` only when ``text`` has a value."""
    if text:
        el(parent, tag, text, **attrs)


def money(parent: etree._Element, tag: str, value: Money) -> None:
    el(parent, tag, amount(value), currencyID=value.currency)


def tax_category(parent: etree._Element, tag: str, category: str, rate: Decimal,
                 exemption_pair: tuple[str | None, str | None] = (None, None)) -> None:
    """A TaxCategory / ClassifiedTaxCategory; category O carries no rate (BR-O-05..)."""
    node = el(parent, tag)
    el(node, "cbc:ID", category)
    if category != "O":
        el(node, "cbc:Percent", number(rate))
    opt(node, "cbc:TaxExemptionReasonCode", exemption_pair[0])
    opt(node, "cbc:TaxExemptionReason", exemption_pair[1])
    el(el(node, "cac:TaxScheme"), "cbc:ID", "VAT")


def address(parent: etree._Element, tag: str, where: Address) -> None:
    node = el(parent, tag)
    opt(node, "cbc:StreetName", where.street)
    opt(node, "cbc:CityName", where.city)
    opt(node, "cbc:PostalZone", where.postcode)
    opt(node, "cbc:CountrySubentity", where.region)
    el(el(node, "cac:Country"), "cbc:IdentificationCode", where.country)


def party_tax_scheme(parent: etree._Element, vat_id: str | None) -> None:
    if vat_id:
        node = el(parent, "cac:PartyTaxScheme")
        el(node, "cbc:CompanyID", vat_id)
        el(el(node, "cac:TaxScheme"), "cbc:ID", "VAT")


def seller_party(parent: etree._Element, seller: Seller, with_vat: bool) -> None:
    party = el(el(parent, "cac:AccountingSupplierParty"), "cac:Party")
    opt(party, "cbc:EndpointID", seller.endpoint.value, schemeID=seller.endpoint.scheme)
    if seller.gln:
        el(el(party, "cac:PartyIdentification"), "cbc:ID", seller.gln, schemeID="0088")
    el(el(party, "cac:PartyName"), "cbc:Name", seller.name)
    address(party, "cac:PostalAddress", seller.address)
    party_tax_scheme(party, seller.vat_id if with_vat else None)
    legal = el(party, "cac:PartyLegalEntity")
    el(legal, "cbc:RegistrationName", seller.name)
    scheme = {"schemeID": seller.company_id_scheme} if seller.company_id_scheme else {}
    opt(legal, "cbc:CompanyID", seller.company_id, **scheme)
    if seller.email or seller.phone:
        contact = el(party, "cac:Contact")
        opt(contact, "cbc:Telephone", seller.phone)
        opt(contact, "cbc:ElectronicMail", seller.email)


def buyer_party(parent: etree._Element, buyer: Buyer, vat_id: str | None) -> None:
    party = el(el(parent, "cac:AccountingCustomerParty"), "cac:Party")
    if buyer.endpoint:
        el(party, "cbc:EndpointID", buyer.endpoint.value, schemeID=buyer.endpoint.scheme)
    if buyer.gln:
        el(el(party, "cac:PartyIdentification"), "cbc:ID", buyer.gln, schemeID="0088")
    el(el(party, "cac:PartyName"), "cbc:Name", buyer.name)
    address(party, "cac:PostalAddress", buyer.address)
    party_tax_scheme(party, vat_id)
    legal = el(party, "cac:PartyLegalEntity")
    el(legal, "cbc:RegistrationName", buyer.name)
    if buyer.legal_id:
        scheme = {"schemeID": buyer.legal_id_scheme} if buyer.legal_id_scheme else {}
        el(legal, "cbc:CompanyID", buyer.legal_id, **scheme)
    if buyer.email:
        el(el(party, "cac:Contact"), "cbc:ElectronicMail", buyer.email)


def allowance_charge(parent: etree._Element, ac: AllowanceCharge, currency: str,
                     document_level: bool) -> None:
    node = el(parent, "cac:AllowanceCharge")
    el(node, "cbc:ChargeIndicator", "true" if ac.charge else "false")
    opt(node, "cbc:AllowanceChargeReasonCode", ac.reason_code)
    opt(node, "cbc:AllowanceChargeReason", ac.reason)
    with_base = ac.percent is not None and ac.base_amount is not None
    if with_base:
        el(node, "cbc:MultiplierFactorNumeric", number(ac.percent or Decimal(0)))
    money(node, "cbc:Amount", Money(ac.amount, currency))
    if with_base:
        money(node, "cbc:BaseAmount", Money(ac.base_amount or Decimal(0), currency))
    if document_level:
        tax_category(node, "cac:TaxCategory", ac.tax_category or "S", ac.tax_rate or Decimal(0))


def tax_totals(parent: etree._Element, tax_total: Money, subtotals: tuple[TaxSubtotal, ...],
               accounting: Money | None) -> None:
    node = el(parent, "cac:TaxTotal")
    money(node, "cbc:TaxAmount", tax_total)
    for sub in subtotals:
        row = el(node, "cac:TaxSubtotal")
        money(row, "cbc:TaxableAmount", sub.taxable)
        money(row, "cbc:TaxAmount", sub.tax)
        tax_category(row, "cac:TaxCategory", sub.category, sub.rate, exemption(sub))
    if accounting is not None:
        money(el(parent, "cac:TaxTotal"), "cbc:TaxAmount", accounting)
