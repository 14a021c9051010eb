"""The two parties on an e-invoice: the seller (us) and the buyer (a customer), as the formats need them.

Invariants: a party's electronic address (Peppol endpoint) is a scheme from the Peppol EAS list and a
value in that scheme's form: a GLN with a valid check digit (0088), a Dutch KvK number (0106), or a
VAT id under its country's scheme (9944 NL, 9930 DE, ...). A seller always has one; a buyer gets the
first of its GLN and VAT id that fits, or none (a Peppol validator then reports it).
"""

from __future__ import annotations

from dataclasses import dataclass

from o2c.domain.customers import Address, Customer

VAT_ENDPOINT_SCHEMES: dict[str, str] = {
    "NL": "9944", "BE": "9925", "DE": "9930", "FR": "9957", "GB": "9932", "AT": "9914",
    "ES": "9920", "IT": "0211", "LU": "9938",
}


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A Peppol electronic address: ``scheme`` (EAS code) and ``value``; printed as ``0106:12345678``."""

    scheme: str
    value: str

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


@dataclass(frozen=True, slots=True)
class Seller:
    """The invoicing company: who is paid, where, and how it is identified for VAT and e-delivery."""

    name: str
    address: Address
    vat_id: str
    company_id: str
    endpoint: Endpoint
    iban: str
    bic: str | None = None
    company_id_scheme: str | None = "0106"
    email: str | None = None
    phone: str | None = None
    gln: str | None = None
    accounting_currency: str = "EUR"
    account_name: str | None = None


@dataclass(frozen=True, slots=True)
class Buyer:
    """The invoiced party as the formats render it (built from a ``Customer`` or read from a file)."""

    id: str
    name: str
    address: Address
    vat_id: str | None = None
    endpoint: Endpoint | None = None
    gln: str | None = None
    email: str | None = None
    legal_id: str | None = None
    legal_id_scheme: str | None = None
    payment_terms: str | None = None
    language: str = "en"


def demo_seller() -> Seller:
    """Brightwater Drinks & Foods B.V., the demo company: Dutch, EUR, on Peppol by its KvK number."""
    return Seller(
        name="Brightwater Drinks & Foods B.V.",
        address=Address("Havenstraat 12", "Rotterdam", "3011 AB", "NL"),
        vat_id="NL859876543B01", company_id="58765432", endpoint=Endpoint("0106", "58765432"),
        iban="NL91ABNA0417164300", bic="ABNANL2A", email="billing@brightwater.example",
        phone="+31 10 555 0100", gln="8712345000004", account_name="Brightwater Drinks & Foods B.V.",
    )


def gln_ok(gln: str | None) -> bool:
    """True for a 13-digit GLN whose last digit is the GS1 mod-10 check digit."""
    if not gln or len(gln) != 13 or not gln.isdigit():
        return False
    weighted = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(gln[:12]))
    return (10 - weighted % 10) % 10 == int(gln[12])


def buyer_endpoint(gln: str | None, vat_id: str | None) -> Endpoint | None:
    """The buyer's Peppol address: its GLN when valid, else its VAT id under its country's scheme."""
    if gln_ok(gln):
        return Endpoint("0088", gln or "")
    if vat_id and vat_id[:2].upper() in VAT_ENDPOINT_SCHEMES:
        return Endpoint(VAT_ENDPOINT_SCHEMES[vat_id[:2].upper()], vat_id.replace(" ", "").upper())
    return None


def buyer_of(customer: Customer | Buyer) -> Buyer:
    """The buyer view of a customer (a ``Buyer`` is returned unchanged)."""
    if isinstance(customer, Buyer):
        return customer
    return Buyer(
        id=customer.id, name=customer.name, address=customer.bill_to, vat_id=customer.vat_id,
        endpoint=buyer_endpoint(customer.gln, customer.vat_id), gln=customer.gln, email=customer.email,
        payment_terms=customer.terms.code, language=customer.language,
    )
