"""Commands: what someone (a person, an agent, an importer) asks the system to do, in the imperative.

A command carries plain values only, so it can wait in the approvals queue and be replayed later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from o2c.domain.catalog import Product, Promotion
from o2c.domain.company import CompanyProfile
from o2c.domain.customers import Customer
from o2c.domain.money import Money
from o2c.domain.onboarding import NamedTerms, OpeningItem, PriceRecord, ShipToRecord
from o2c.domain.partners import TradingPartner


@dataclass(frozen=True, slots=True)
class Command:
    @property
    def name(self) -> str:
        return type(self).__name__


@dataclass(frozen=True, slots=True)
class CaptureOrderLine:
    sku: str
    quantity: Decimal
    unit_price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CaptureOrder(Command):
    """Book an order. ``backorder_lines`` (a split delivery) become a second order for ``backorder_date``."""

    customer_id: str
    ship_to: str
    channel: str
    requested_date: date
    lines: tuple[CaptureOrderLine, ...]
    po_number: str | None = None
    source_ref: str | None = None
    backorder_lines: tuple[CaptureOrderLine, ...] = ()
    backorder_date: date | None = None


@dataclass(frozen=True, slots=True)
class ConfirmOrder(Command):
    order_id: str


@dataclass(frozen=True, slots=True)
class HoldOrder(Command):
    order_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReleaseOrderHold(Command):
    order_id: str


@dataclass(frozen=True, slots=True)
class CancelOrder(Command):
    order_id: str


@dataclass(frozen=True, slots=True)
class ShipOrder(Command):
    order_id: str
    warehouse: str
    carrier: str
    expected_date: date
    quantities: dict[str, Decimal]


@dataclass(frozen=True, slots=True)
class ConfirmDelivery(Command):
    delivery_id: str
    pod_reference: str


@dataclass(frozen=True, slots=True)
class InvoiceDelivery(Command):
    delivery_id: str


@dataclass(frozen=True, slots=True)
class IssueCreditNote(Command):
    invoice_number: str
    amount: Money
    reason: str
    apply_to_invoice: bool = True


@dataclass(frozen=True, slots=True)
class RecordPayment(Command):
    received_on: date
    amount: Money
    payer_name: str
    payer_account: str | None
    reference: str
    bank_entry_key: str | None = None


@dataclass(frozen=True, slots=True)
class ApplyPayment(Command):
    """Apply a payment to documents: ``amounts`` is the cash on each; the optional tuples run alongside.

    ``discounts`` and ``charges`` settle the document too; ``deductions`` stay open and each opens a
    deduction case with its reason; ``received_as`` is what a foreign-currency payment is worth in the
    documents' currency; ``learn_alias`` remembers the payer's name and account for the customer (set
    when a person confirms the match).
    """

    payment_id: str
    customer_id: str
    documents: tuple[str, ...]
    amounts: tuple[Money, ...]
    discounts: tuple[Money, ...] = ()
    charges: tuple[Money, ...] = ()
    deductions: tuple[Money, ...] = ()
    deduction_reasons: tuple[str, ...] = ()
    received_as: Money | None = None
    learn_alias: bool = False


@dataclass(frozen=True, slots=True)
class WriteOffOpenItem(Command):
    document: str
    amount: Money
    reason: str


@dataclass(frozen=True, slots=True)
class RevalueOpenItems(Command):
    on: date


@dataclass(frozen=True, slots=True)
class SubstituteOrderLines(Command):
    """Replace SKUs on open lines (``substitutions``: line number -> SKU), at the price ordered."""

    order_id: str
    substitutions: dict[str, str]
    incident_id: str | None = None


@dataclass(frozen=True, slots=True)
class AssignOrderWarehouse(Command):
    order_id: str
    warehouse: str
    incident_id: str | None = None


@dataclass(frozen=True, slots=True)
class SplitOrderDelivery(Command):
    """Ship the rest now; ``line_nos`` move to a backorder held until ``later_date``."""

    order_id: str
    line_nos: tuple[int, ...]
    later_date: date
    incident_id: str | None = None


@dataclass(frozen=True, slots=True)
class RescheduleDelivery(Command):
    """A new delivery window: an unshipped order waits for ``new_date``; a delivery's is recorded."""

    order_id: str
    new_date: date
    delivery_id: str | None = None
    incident_id: str | None = None


@dataclass(frozen=True, slots=True)
class RebookDelivery(Command):
    """Move a delivery to another carrier (an emergency delivery is a rebooking on an express one)."""

    delivery_id: str
    carrier: str
    expected_date: date
    incident_id: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateDeliveryEta(Command):
    delivery_id: str
    expected_date: date


@dataclass(frozen=True, slots=True)
class ReplaceGoods(Command):
    """Send what arrived short or damaged again, free of charge."""

    order_id: str
    quantities: dict[str, Decimal]
    incident_id: str | None = None


@dataclass(frozen=True, slots=True)
class NotifyCustomer(Command):
    """Tell a customer about an incident and its affected orders, in their language and channel."""

    incident_id: str
    customer_id: str
    order_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RaiseTask(Command):
    incident_id: str
    team: str
    title: str
    detail: str


@dataclass(frozen=True, slots=True)
class SendReminder(Command):
    """Remind a customer of overdue invoices in one message; ``steps`` is the dunning step per invoice."""

    customer_id: str
    documents: tuple[str, ...]
    steps: dict[str, str]
    channel: str
    tone: str
    strategy: str


@dataclass(frozen=True, slots=True)
class SendStatement(Command):
    customer_id: str
    reason: str = "on request"


@dataclass(frozen=True, slots=True)
class SendInvoiceCopy(Command):
    customer_id: str
    invoice_numbers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReceiveCustomerReply(Command):
    """A message from a customer (e-mail, portal) about its account; ``external_id`` makes it idempotent."""

    customer_id: str | None
    channel: str
    subject: str
    body: str
    sender: str | None = None
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class RecordPromiseToPay(Command):
    customer_id: str
    invoice_numbers: tuple[str, ...]
    amount: Money
    promised_date: date
    source: str


@dataclass(frozen=True, slots=True)
class ClosePromise(Command):
    """A promise to pay is ``kept`` (its invoices were paid) or ``broken`` (its date and grace passed)."""

    promise_id: str
    outcome: str


@dataclass(frozen=True, slots=True)
class FollowUpBrokenPromise(Command):
    promise_id: str


@dataclass(frozen=True, slots=True)
class OpenDispute(Command):
    customer_id: str
    invoice_number: str | None
    reason_code: str
    amount: Money
    source: str
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ResolveCase(Command):
    """Settle a dispute or deduction: ``credit_note``, ``rebill``, ``write_off`` (``amount``) or ``reject``."""

    case_id: str
    resolution: str
    amount: Money | None
    note: str


@dataclass(frozen=True, slots=True)
class RecordPaymentAnnouncement(Command):
    customer_id: str
    invoice_numbers: tuple[str, ...]
    details: str
    source: str


@dataclass(frozen=True, slots=True)
class CloseAnnouncement(Command):
    announcement_id: str
    outcome: str


@dataclass(frozen=True, slots=True)
class HandToPerson(Command):
    """Work for the collections team: a reply no rule settles, a payment to look for, a case to judge."""

    customer_id: str | None
    subject: str
    title: str
    detail: str
    kind: str = "review"


@dataclass(frozen=True, slots=True)
class ChangeCreditLimit(Command):
    customer_id: str
    new_limit: Money
    reason: str


@dataclass(frozen=True, slots=True)
class ReleaseBillingHold(Command):
    """Invoice a held delivery again, with fixes: per order line (its number as text) a corrected net
    ``unit_prices`` and ``list_prices`` and the ``promotions`` that apply ("" for none), and a PO number."""

    delivery_id: str
    unit_prices: dict[str, Decimal] = field(default_factory=dict)
    list_prices: dict[str, Decimal] = field(default_factory=dict)
    promotions: dict[str, str] = field(default_factory=dict)
    po_number: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class SendInvoice(Command):
    """Hand issued invoices and credit notes to their customers' channels (each once per channel)."""

    numbers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RebillInvoice(Command):
    """Correct an issued invoice: a credit note for all of it and a new invoice with the corrections
    (per invoice line number as text: a new net ``unit_prices`` or ``quantities``; a PO number)."""

    invoice_number: str
    reason: str
    unit_prices: dict[str, Decimal] = field(default_factory=dict)
    quantities: dict[str, Decimal] = field(default_factory=dict)
    po_number: str | None = None


@dataclass(frozen=True, slots=True)
class AccrueRebates(Command):
    """Accrue every unsettled rebate agreement on the volume invoiced up to ``as_of``."""

    as_of: date


@dataclass(frozen=True, slots=True)
class SettleRebate(Command):
    """Settle a rebate agreement whose period has ended by one credit note."""

    agreement_id: str


@dataclass(frozen=True, slots=True)
class ChangeOrder(Command):
    """Change an open order: a new quantity per SKU (a SKU not on the order adds a line; 0 drops what is
    undelivered) and/or a new requested date. Checked like a new order (SKU, price, date)."""

    order_id: str
    quantities: dict[str, Decimal] = field(default_factory=dict)
    requested_date: date | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SendDocumentCopy(Command):
    """A copy of issued invoices or credit notes of the customer, queued as a message with the rendered
    documents (``formats``: pdf, ubl, ...) attached."""

    customer_id: str
    numbers: tuple[str, ...]
    formats: tuple[str, ...] = ("pdf", "ubl")
    source: str = ""


@dataclass(frozen=True, slots=True)
class HandOverConversation(Command):
    """A customer conversation a person of the customer-service team takes over, with its transcript."""

    conversation_id: str
    customer_id: str | None
    reason: str
    transcript: str


@dataclass(frozen=True, slots=True)
class SetUpCompany(Command):
    """Record whose books these are; refused when the database already holds a company."""

    profile: CompanyProfile


@dataclass(frozen=True, slots=True)
class LoadCustomers(Command):
    """Add or update customers by customer number; ``partners`` are their EDI sender ids."""

    customers: tuple[Customer, ...]
    partners: tuple[TradingPartner, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class LoadShipTos(Command):
    ship_tos: tuple[ShipToRecord, ...]
    source: str = ""


@dataclass(frozen=True, slots=True)
class LoadProducts(Command):
    products: tuple[Product, ...]
    source: str = ""


@dataclass(frozen=True, slots=True)
class LoadPrices(Command):
    prices: tuple[PriceRecord, ...]
    source: str = ""


@dataclass(frozen=True, slots=True)
class LoadPromotions(Command):
    promotions: tuple[Promotion, ...]
    source: str = ""


@dataclass(frozen=True, slots=True)
class LoadPaymentTerms(Command):
    terms: tuple[NamedTerms, ...]
    source: str = ""


@dataclass(frozen=True, slots=True)
class OpenBalances(Command):
    """Bring in receivables open at the start: open items with their own dates, one balanced entry.
    Items whose invoice number is already on the books are left alone (a reload posts nothing twice)."""

    items: tuple[OpeningItem, ...]
    source: str = ""


@dataclass(frozen=True, slots=True)
class MapTradingPartner(Command):
    """EDI messages sent under ``partner``'s sender id are the customer's orders."""

    partner: TradingPartner


@dataclass(frozen=True, slots=True)
class CorrectCustomer(Command):
    """Correct a customer's master data (``legal_name`` is its name); a field left ``None`` stays as it is, "" clears it (where it may
    be empty). ``net_days``/``discount_days``/``discount_percent`` set the payment terms; ``ship_to`` names
    the ship-to whose ``ship_to_gln`` is corrected. Billing holds that depended on it are checked again."""

    customer_id: str
    legal_name: str | None = None
    vat_id: str | None = None
    gln: str | None = None
    email: str | None = None
    net_days: int | None = None
    discount_days: int | None = None
    discount_percent: Decimal | None = None
    ship_to: str | None = None
    ship_to_gln: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class RecheckBillingHolds(Command):
    """Try again to invoice every delivery of the customer held for ``reasons`` (all when empty): the
    person says the master data behind the hold was fixed. Refused while the same findings remain."""

    customer_id: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DismissQuarantined(Command):
    """Close a quarantined file without importing it, with the reason (a test file, a duplicate...)."""

    entry_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class RecordOtherReceipt(Command):
    """A receipt that is not a customer's payment (a supplier's refund, interest, a loan): posted from the
    bank to ``account`` and taken out of the cash-application queue."""

    payment_id: str
    account: str
    reason: str


COMMAND_TYPES: dict[str, type[Command]] = {
    cls.__name__: cls for cls in Command.__subclasses__()
}
