"""Code lists the e-invoice formats share, and how o2c values are written as text.

Invariants: VAT categories are UNCL 5305 codes; a category that is not taxed at its rate (E, AE, K, G,
O) always carries an exemption reason code from the CEF VATEX list and a text, taking the defaults
below when the invoice names none; S and Z never do. Amounts are written with the currency's minor
units; quantities, prices and rates without trailing zeros.
"""

from __future__ import annotations

from decimal import Decimal

from o2c.domain.invoices import DocumentKind, TaxSubtotal
from o2c.domain.money import Money, minor_units

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CREDIT_TRANSFER = "30"
TYPE_CODES = {DocumentKind.INVOICE: "380", DocumentKind.CREDIT_NOTE: "381"}

DEFAULT_EXEMPTIONS: dict[str, tuple[str, str]] = {
    "E": ("VATEX-EU-132", "Exempt from VAT"),
    "AE": ("VATEX-EU-AE", "Reverse charge"),
    "K": ("VATEX-EU-IC", "Intra-community supply"),
    "G": ("VATEX-EU-G", "Export outside the EU"),
    "O": ("VATEX-EU-O", "Not subject to VAT"),
}

CATEGORY_NAMES = {
    "S": "Standard rate", "Z": "Zero rated", "E": "Exempt", "AE": "Reverse charge",
    "K": "Intra-community supply", "G": "Export outside the EU", "O": "Not subject to VAT",
}

REVERSE_CHARGE_NOTE = "Reverse charge: VAT to be accounted for by the recipient"


def exemption(sub: TaxSubtotal) -> tuple[str | None, str | None]:
    """The (VATEX code, reason text) a subtotal carries; (None, None) for S and Z."""
    default = DEFAULT_EXEMPTIONS.get(sub.category)
    if default is None:
        return None, None
    reason = sub.exemption_reason or default[1]
    unambiguous = sub.category != "E" or reason == default[1]
    return sub.exemption_code or (default[0] if unambiguous else None), reason


def amount(value: Money | Decimal, currency: str | None = None) -> str:
    """An amount with exactly the currency's minor units: ``1234.50``."""
    if isinstance(value, Money):
        currency, value = value.currency, value.amount
    places = minor_units(currency or "EUR")
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


def number(value: Decimal) -> str:
    """A quantity, price or rate without exponent or trailing zeros: ``12``, ``0.45``, ``8.875``."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
