"""Pre-issue validation: the last gate before a dispute is born.

A draft invoice is checked before it gets a number. Every finding carries a reason code, the words a
person reads, and, where the fix is mechanical, the fix itself (``fix``: the corrected unit price,
the promotion to apply or drop, the PO number found on file). The billing agent proposes the fixes
through the policy gate and queues the rest for a person; a finding without a fix always needs one.

The rules:
- **price vs contract**: each line's agreed net price is the contract price less the promotion the
  customer is eligible for on the order date;
- **promotion eligibility**: a line carries a promotion only if the customer, the SKU, the date and
  the quantity qualify; an eligible promotion the line lacks is a short pay waiting to happen;
- **PO present** where the customer requires one;
- **tax treatment** consistent with the customer's country and VAT id (a foreign EU business needs a
  well-formed VAT id of its own country for the intra-community 0 %; a US customer needs its state);
- **totals consistent** (``Invoice.problems``);
- **master data complete** for the channel: a postal address; a GLN or VAT id (Peppol endpoint) for
  Peppol customers; a valid GLN for EDI partners. A missing e-mail address does not stop the invoice,
  only its sending (``channel_findings``: a task for master data when the document is sent).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from o2c.domain.customers import Channel, Customer
from o2c.domain.invoices import Invoice
from o2c.domain.tax import EU_COUNTRIES, treatment, vat_id_format_ok

PRICE_PLACES = Decimal("0.0001")


class ReasonCode(StrEnum):
    PRICE_VS_CONTRACT = "price_vs_contract"
    PROMOTION_NOT_ELIGIBLE = "promotion_not_eligible"
    PROMOTION_MISSING = "promotion_missing"
    PO_MISSING = "po_missing"
    VAT_ID_INVALID = "vat_id_invalid"
    TAX_TREATMENT = "tax_treatment"
    US_STATE_MISSING = "us_state_missing"
    TOTALS_INCONSISTENT = "totals_inconsistent"
    ADDRESS_INCOMPLETE = "address_incomplete"
    ENDPOINT_MISSING = "einvoice_endpoint_missing"
    GLN_INVALID = "gln_invalid"
    EMAIL_MISSING = "email_missing"
    FX_RATE_MISSING = "fx_rate_missing"


@dataclass(frozen=True, slots=True)
class PricedLine:
    """What the invoice charges for one delivered order line: the agreed price and its promotion."""

    order_line_no: int
    sku: str
    quantity: Decimal
    net_price: Decimal
    list_price: Decimal
    promotion_id: str | None = None


@dataclass(frozen=True, slots=True)
class ExpectedPrice:
    """What the contract says for a line: the contract (gross) price and the eligible promotion."""

    contract_price: Decimal
    promotion_id: str | None
    discount_percent: Decimal = Decimal(0)

    @property
    def net_price(self) -> Decimal:
        return (self.contract_price * (100 - self.discount_percent) / 100).quantize(PRICE_PLACES)


@dataclass(frozen=True, slots=True)
class Finding:
    code: ReasonCode
    message: str
    order_line_no: int | None = None
    fix: dict[str, str] = field(default_factory=dict)
    at_stake: Decimal = Decimal(0)

    @property
    def fixable(self) -> bool:
        return bool(self.fix)


def price_findings(lines: Sequence[PricedLine], expected: Mapping[int, ExpectedPrice | None]) -> list[Finding]:
    found: list[Finding] = []
    for ln in lines:
        want = expected.get(ln.order_line_no)
        where = f"line {ln.order_line_no} {ln.sku}"
        if want is None:
            found.append(Finding(ReasonCode.PRICE_VS_CONTRACT, f"{where}: no contract or list price on file",
                                 ln.order_line_no))
            continue
        have = ln.net_price.quantize(PRICE_PLACES)
        stake = ((have - want.net_price) * ln.quantity).quantize(Decimal("0.01"))
        fix = {"unit_price": str(want.net_price), "list_price": str(want.contract_price),
               "promotion": want.promotion_id or ""}
        if ln.promotion_id and ln.promotion_id != want.promotion_id:
            found.append(Finding(ReasonCode.PROMOTION_NOT_ELIGIBLE,
                                 f"{where}: promotion {ln.promotion_id} does not apply to this customer, date "
                                 f"or quantity; contract price {want.net_price}", ln.order_line_no, fix, stake))
        elif want.promotion_id and ln.promotion_id != want.promotion_id:
            found.append(Finding(ReasonCode.PROMOTION_MISSING,
                                 f"{where}: eligible for {want.promotion_id} (-{want.discount_percent}%): "
                                 f"{want.net_price}, not {have}", ln.order_line_no, fix, stake))
        elif have != want.net_price:
            found.append(Finding(ReasonCode.PRICE_VS_CONTRACT,
                                 f"{where}: price {have} differs from the contract price {want.net_price}",
                                 ln.order_line_no, fix, stake))
    return found


def po_findings(customer: Customer, po_number: str | None, po_on_file: str | None) -> list[Finding]:
    if not customer.requires_po or po_number:
        return []
    if po_on_file:
        return [Finding(ReasonCode.PO_MISSING, f"{customer.id} requires a PO number: {po_on_file} is on file",
                        fix={"po_number": po_on_file})]
    return [Finding(ReasonCode.PO_MISSING, f"{customer.id} requires a PO number and none is on file")]


def tax_findings(draft: Invoice, customer: Customer, seller_country: str,
                 product_tax: Mapping[str, str]) -> list[Finding]:
    found: list[Finding] = []
    vat_id = customer.vat_id
    foreign_eu = customer.country in EU_COUNTRIES and customer.country != seller_country
    if foreign_eu and not (vat_id_format_ok(vat_id) and (vat_id or "")[:2].upper() == customer.country):
        found.append(Finding(ReasonCode.VAT_ID_INVALID,
                             f"{customer.id} ({customer.country}) has no valid {customer.country} VAT id "
                             f"({vat_id or 'none'}): the intra-community 0 % cannot be applied"))
    elif vat_id and customer.country != "US" and not vat_id_format_ok(vat_id):
        found.append(Finding(ReasonCode.VAT_ID_INVALID, f"{customer.id}: VAT id {vat_id} is malformed"))
    if customer.country == "US" and not customer.bill_to.region:
        found.append(Finding(ReasonCode.US_STATE_MISSING, f"{customer.id}: no US state, no sales tax rate"))
    for ln in draft.lines:
        want = treatment(seller_country, customer.country, vat_id, product_tax.get(ln.sku, "standard"),
                         customer.bill_to.region)
        if (want.category, want.rate) != (ln.tax_category, ln.tax_rate):
            found.append(Finding(ReasonCode.TAX_TREATMENT,
                                 f"line {ln.line_no} {ln.sku}: taxed {ln.tax_category} {ln.tax_rate}%, "
                                 f"expected {want.category} {want.rate}%", ln.order_line_no))
    return found


def master_data_findings(customer: Customer) -> list[Finding]:
    found: list[Finding] = []
    address = customer.bill_to
    missing = [name for name in ("street", "city", "postcode", "country") if not getattr(address, name)]
    if missing:
        found.append(Finding(ReasonCode.ADDRESS_INCOMPLETE,
                             f"{customer.id}: bill-to address lacks {', '.join(missing)}"))
    channel = customer.preferred_channel
    if channel is Channel.PEPPOL and not (gln_ok(customer.gln) or vat_id_format_ok(customer.vat_id)):
        found.append(Finding(ReasonCode.ENDPOINT_MISSING,
                             f"{customer.id} receives Peppol invoices but has no valid GLN or VAT id"))
    if channel is Channel.EDI and not gln_ok(customer.gln):
        found.append(Finding(ReasonCode.GLN_INVALID, f"{customer.id}: EDI partner GLN {customer.gln} is invalid"))
    return found


def channel_findings(customer: Customer) -> list[Finding]:
    """What stops delivery, not the invoice itself: checked when the document is sent."""
    if customer.preferred_channel is Channel.EMAIL and not customer.email:
        return [Finding(ReasonCode.EMAIL_MISSING, f"{customer.id}: no e-mail address for invoices")]
    return []


def totals_findings(draft: Invoice) -> list[Finding]:
    return [Finding(ReasonCode.TOTALS_INCONSISTENT, problem) for problem in draft.problems()]


def review_subject(customer_id: str, reasons: Iterable[str]) -> str:
    """The one inbox item for a customer's deliveries held for the same reasons, however many there are."""
    return f"billing-hold:{customer_id}:{'+'.join(sorted(set(reasons)))}"[:100]


def gln_ok(gln: str | None) -> bool:
    """A 13-digit GLN whose last digit is the GS1 mod-10 check digit."""
    if not gln or len(gln) != 13 or not gln.isdigit():
        return False
    weighted = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(gln[:12]))
    return (10 - weighted % 10) % 10 == int(gln[12])
