"""Tax treatment of a sale: VAT by country and category, intra-EU reverse charge, exports, US sales tax.

The category codes are EN 16931's (UNCL 5305): S standard, AA reduced (we use S with the lower rate, as
Peppol does), Z zero, E exempt, AE reverse charge, K intra-EU supply, G export outside the EU, O not
subject. A sale from the company's country to a business in another EU country with a VAT id is an
intra-community supply (K, 0 %); outside the EU it is an export (G, 0 %); a US customer pays the
sales tax of its state instead of VAT.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)

VAT_RATES: dict[str, dict[str, Decimal]] = {
    "NL": {"standard": Decimal("21"), "reduced": Decimal("9"), "zero": Decimal("0")},
    "BE": {"standard": Decimal("21"), "reduced": Decimal("6"), "zero": Decimal("0")},
    "DE": {"standard": Decimal("19"), "reduced": Decimal("7"), "zero": Decimal("0")},
    "FR": {"standard": Decimal("20"), "reduced": Decimal("5.5"), "zero": Decimal("0")},
    "GB": {"standard": Decimal("20"), "reduced": Decimal("5"), "zero": Decimal("0")},
}

US_SALES_TAX: dict[str, Decimal] = {
    "NY": Decimal("8.875"), "NJ": Decimal("6.625"), "CA": Decimal("7.25"), "TX": Decimal("6.25"),
    "FL": Decimal("6"), "IL": Decimal("6.25"), "MA": Decimal("6.25"), "OR": Decimal("0"),
}

VAT_ID_PATTERNS: dict[str, str] = {
    "NL": r"NL\d{9}B\d{2}", "BE": r"BE[01]\d{9}", "DE": r"DE\d{9}", "FR": r"FR[0-9A-Z]{2}\d{9}",
    "GB": r"GB(\d{9}|\d{12})", "AT": r"ATU\d{8}", "ES": r"ES[0-9A-Z]\d{7}[0-9A-Z]", "IT": r"IT\d{11}",
    "LU": r"LU\d{8}", "DK": r"DK\d{8}",
}


@dataclass(frozen=True, slots=True)
class TaxTreatment:
    category: str
    rate: Decimal
    scheme: str = "VAT"
    exemption_reason: str | None = None
    exemption_code: str | None = None
    note: str | None = None


def vat_id_format_ok(vat_id: str | None) -> bool:
    """True when ``vat_id`` has its country's format (no check digits, no VIES look-up)."""
    if not vat_id:
        return False
    pattern = VAT_ID_PATTERNS.get(vat_id[:2].upper())
    return bool(pattern and re.fullmatch(pattern, vat_id.replace(" ", "").upper()))


def treatment(seller_country: str, buyer_country: str, buyer_vat_id: str | None,
              product_tax_category: str, buyer_region: str | None = None) -> TaxTreatment:
    """How a line of ``product_tax_category`` sold to this buyer is taxed."""
    if buyer_country == "US":
        rate = US_SALES_TAX.get(buyer_region or "", Decimal(0))
        return TaxTreatment("S" if rate else "O", rate, scheme="SALES_TAX",
                            note=f"US sales tax {buyer_region or 'unknown state'}")
    if product_tax_category == "exempt":
        return TaxTreatment("E", Decimal(0), exemption_reason="Exempt from VAT",
                            exemption_code="VATEX-EU-132")
    if buyer_country != seller_country and buyer_country in EU_COUNTRIES and seller_country in EU_COUNTRIES:
        if vat_id_format_ok(buyer_vat_id):
            return TaxTreatment("K", Decimal(0), exemption_reason="Intra-community supply",
                                exemption_code="VATEX-EU-IC",
                                note="Reverse charge: VAT to be accounted for by the recipient, Art. 138 Directive 2006/112/EC")
    elif buyer_country != seller_country and buyer_country not in EU_COUNTRIES:
        return TaxTreatment("G", Decimal(0), exemption_reason="Export outside the EU",
                            exemption_code="VATEX-EU-G")
    rates = VAT_RATES[seller_country]
    rate = rates.get(product_tax_category, rates["standard"])
    return TaxTreatment("Z" if rate == 0 else "S", rate)
