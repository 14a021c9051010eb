"""ANSI X12 810 invoice, version 004010, as one interchange (ISA..IEA) with one transaction set.

Segments: ISA GS ST BIG [NTE] CUR REF* N1/N3/N4 (SU seller, BT buyer) ITD DTM, then per line IT1 PID
[SAC per line allowance or charge], then TDS TXI* [SAC per document allowance or charge] CTT SE GE IEA.

Invariants: SE01 counts ST..SE inclusive; CTT01 is the number of IT1 lines; GE01 = 1 set, IEA01 =
1 group, control numbers match between header and trailer; TDS01 is the invoice total with VAT in
cents (implied two decimals, N2), SAC05 likewise; TXI carries each VAT group's tax, rate and taxable
amount (TXI08), exempt groups flagged in TXI06; a credit note is BIG07 ``CR`` with a REF*OI to the
invoice it corrects. Amounts are the domain's, never recomputed.
"""

from __future__ import annotations

from datetime import date

from o2c.adapters.formats.einvoice.codes import amount, number
from o2c.adapters.formats.einvoice.edi import X12_UNITS, addressing, clean
from o2c.adapters.formats.einvoice.parties import Buyer, Seller, buyer_of
from o2c.adapters.formats.orders.x12_syntax import Delimiters, write_segments
from o2c.domain.customers import Address, Customer
from o2c.domain.invoices import AllowanceCharge, DocumentKind, Invoice
from o2c.domain.money import Money

DELIMITERS = Delimiters(element="*", component=">", terminator="~")
Segment = list[str]


def render_810(invoice: Invoice, customer: Customer | Buyer, seller: Seller, test: bool = False) -> bytes:
    """The invoice (or credit memo) as an X12 004010 810 interchange."""
    buyer = buyer_of(customer)
    body = [*_heading(invoice, buyer, seller), *_detail(invoice), *_summary(invoice, buyer)]
    return write_segments(_envelope(invoice, buyer, seller, body, test), DELIMITERS)


def x12_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.810.x12"


def _d8(day: date) -> str:
    return day.strftime("%Y%m%d")


def _cents(value: Money) -> str:
    return str(value.quantize().to_minor())


def _envelope(invoice: Invoice, buyer: Buyer, seller: Seller, body: list[Segment], test: bool) -> list[Segment]:
    route = addressing(invoice, buyer, seller)
    interchange, group, control = f"{route.control:09d}", str(route.control), "0001"
    day = invoice.issue_date
    return [
        ["ISA", "00", " " * 10, "00", " " * 10, "01" if route.sender_is_gln else "ZZ", route.sender_id.ljust(15),
         "01" if route.receiver_is_gln else "ZZ", route.receiver_id[:15].ljust(15), day.strftime("%y%m%d"),
         "0000", "U", "00401", interchange, "0", "T" if test else "P", DELIMITERS.component],
        ["GS", "IN", route.sender_id, route.receiver_id, _d8(day), "0000", group, "X", "004010"],
        ["ST", "810", control], *body, ["SE", str(len(body) + 2), control],
        ["GE", "1", group], ["IEA", "1", interchange]]


def _heading(invoice: Invoice, buyer: Buyer, seller: Seller) -> list[Segment]:
    credit = invoice.kind is DocumentKind.CREDIT_NOTE
    segments: list[Segment] = [["BIG", _d8(invoice.issue_date), invoice.number, "", invoice.po_number or "",
                                "", "", "CR" if credit else "DI"]]
    if invoice.tax_note or invoice.reason:
        segments.append(["NTE", "GEN", clean(invoice.reason or invoice.tax_note, 80)])
    segments.append(["CUR", "SE", invoice.currency])
    segments += [["REF", qualifier, value] for qualifier, value in (
        ("VN", invoice.order_id), ("PK", invoice.delivery_id), ("OI", invoice.corrects),
        ("VX", invoice.buyer_vat_id or buyer.vat_id)) if value]
    segments += _party("SU", seller.name, seller.gln, seller.address)
    segments += _party("BT", buyer.name, buyer.gln, buyer.address, buyer.id)
    segments.append(["ITD", "01", "3", "", "", "", _d8(invoice.due_date),
                     str((invoice.due_date - invoice.issue_date).days), "", "", "", "",
                     clean(f"Net {(invoice.due_date - invoice.issue_date).days} days", 80)])
    if invoice.delivery_date:
        segments.append(["DTM", "011", _d8(invoice.delivery_date)])
    return segments


def _party(role: str, name: str, gln: str | None, where: Address, assigned: str | None = None) -> list[Segment]:
    identity = ["UL", gln] if gln else (["91", assigned] if assigned else [])
    return [["N1", role, clean(name, 60), *identity], ["N3", clean(where.street, 55)],
            ["N4", clean(where.city, 30), where.region or "", clean(where.postcode, 15), where.country]]


def _detail(invoice: Invoice) -> list[Segment]:
    segments: list[Segment] = []
    for line in invoice.lines:
        unit_price = line.unit_price / line.base_quantity
        segments.append(["IT1", str(line.line_no), number(line.quantity), X12_UNITS.get(line.unit_code, "EA"),
                         number(unit_price), "", "VN", clean(line.sku, 48)])
        segments.append(["PID", "F", "", "", "", clean(line.description, 80)])
        segments += [_sac(ac, invoice.currency) for ac in line.allowance_charges]
    return segments


def _sac(ac: AllowanceCharge, currency: str) -> Segment:
    code = ("D240" if ac.reason_code == "FC" else "D500") if ac.charge else "C310"
    return ["SAC", "C" if ac.charge else "A", code, "", "", _cents(Money(ac.amount, currency)),
            "", "", "", "", "", "", "", "", "", clean(ac.reason or ac.reason_code, 80)]


def _summary(invoice: Invoice, buyer: Buyer) -> list[Segment]:
    tax_type = "ST" if buyer.address.country == "US" else "VA"
    segments: list[Segment] = [["TDS", _cents(invoice.gross_total), _cents(invoice.net_total)]]
    for sub in invoice.tax_subtotals:
        exempt = "1" if sub.category in {"E", "AE", "K", "G", "O"} else "2"
        segments.append(["TXI", tax_type, amount(sub.tax), number(sub.rate), "", "", exempt, "", amount(sub.taxable)])
    segments += [_sac(ac, invoice.currency) for ac in invoice.allowance_charges]
    segments.append(["CTT", str(len(invoice.lines))])
    return segments
