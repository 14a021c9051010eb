"""Deliberately broken variants of a valid UBL invoice, one mistake each, as a buyer's AP would meet them."""

from __future__ import annotations

BUYER_ENDPOINT = b'<cbc:EndpointID schemeID="0088">8712345000011</cbc:EndpointID>'
ORDER_REFERENCE = (
    b"<cac:OrderReference>\n    <cbc:ID>PO-101</cbc:ID>\n    <cbc:SalesOrderID>SO-101</cbc:SalesOrderID>\n"
    b"  </cac:OrderReference>\n"
)

BREAKAGES: dict[str, tuple[bytes, bytes]] = {
    "no buyer reference nor order reference": (ORDER_REFERENCE, b""),
    "no buyer endpoint": (BUYER_ENDPOINT, b""),
    "buyer GLN with a wrong check digit": (BUYER_ENDPOINT, BUYER_ENDPOINT.replace(b"011<", b"012<")),
    "unknown endpoint scheme": (BUYER_ENDPOINT, BUYER_ENDPOINT.replace(b"0088", b"9999")),
    "VAT breakdown total off by a cent": (
        b'<cbc:TaxAmount currencyID="EUR">143.05',
        b'<cbc:TaxAmount currencyID="EUR">143.06',
    ),
    "unknown currency code": (b"<cbc:DocumentCurrencyCode>EUR<", b"<cbc:DocumentCurrencyCode>EUX<"),
    "not the Peppol specification": (
        b"#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
        b"#compliant#urn:example:x",
    ),
    "no Peppol profile": (b"urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", b"urn:example:profile"),
    "line net amount not quantity times price": (
        b'<cbc:PriceAmount currencyID="EUR">0.95<',
        b'<cbc:PriceAmount currencyID="EUR">0.96<',
    ),
    "unknown payment means code": (b'name="Credit transfer">30<', b'name="Credit transfer">999<'),
}


def broken(xml: bytes, breakage: str) -> bytes:
    """``xml`` with one breakage applied (its text must be there exactly once)."""
    old, new = BREAKAGES[breakage]
    if xml.count(old) != 1:
        raise ValueError(f"{breakage}: the text to break is in the invoice {xml.count(old)} times, not once")
    return xml.replace(old, new)
