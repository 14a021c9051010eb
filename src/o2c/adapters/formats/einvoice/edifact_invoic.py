"""UN/EDIFACT INVOIC D96A (EANCOM 2002 subset), one interchange with one message.

Segments: UNA UNB UNH BGM DTM(137 issue, 35 delivery) [FTX] RFF(ON order, VN sales order, DQ delivery,
IV corrected invoice) NAD(SU, BY)+RFF(VA) CUX PAT+DTM(13 due) [ALC+MOA+TAX per document allowance or
charge], per line LIN [IMD] QTY(47) MOA(203) PRI(AAA net, AAB gross) TAX [ALC+MOA per line allowance],
then UNS+S MOA(79 lines, 260 allowances, 259 charges, 125 taxable, 176 tax, 77 total, 113 prepaid,
9 payable) and per VAT group TAX+MOA(125 taxable, 124 tax), UNT UNZ.

Invariants: UNT counts UNH..UNT inclusive and repeats the UNH reference; UNZ counts one message and
repeats the UNB reference; BGM is 380 for an invoice and 381 for a credit note; amounts are the
domain's, never recomputed; text is Latin-1 (syntax level UNOC).
"""

from __future__ import annotations

from o2c.adapters.formats.einvoice.codes import amount, number
from o2c.adapters.formats.einvoice.edi import EDIFACT_UNITS, addressing, clean
from o2c.adapters.formats.einvoice.parties import Buyer, Seller, buyer_of
from o2c.adapters.formats.orders.edifact_syntax import render
from o2c.domain.customers import Address, Customer
from o2c.domain.invoices import AllowanceCharge, DocumentKind, Invoice, InvoiceLine
from o2c.domain.money import Money

Element = str | list[str]
Segment = list[Element]


def render_invoic(invoice: Invoice, customer: Customer | Buyer, seller: Seller) -> bytes:
    """The invoice or credit note as an EDIFACT INVOIC D96A interchange."""
    buyer = buyer_of(customer)
    body = [*_heading(invoice, buyer, seller), *_lines(invoice), *_summary(invoice)]
    route = addressing(invoice, buyer, seller)
    reference, message = str(route.control), "1"
    unb: Segment = ["UNB", ["UNOC", "3"], [route.sender_id, "14" if route.sender_is_gln else "ZZZ"],
                    [route.receiver_id[:35], "14" if route.receiver_is_gln else "ZZZ"],
                    [invoice.issue_date.strftime("%y%m%d"), "0000"], reference]
    segments = [unb, ["UNH", message, ["INVOIC", "D", "96A", "UN", "EAN008"]], *body,
                ["UNT", str(len(body) + 2), message], ["UNZ", "1", reference]]
    return render(segments)  # type: ignore[arg-type]


def edifact_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.invoic.edi"


def _dtm(qualifier: str, day: object) -> Segment:
    return ["DTM", [qualifier, day.strftime("%Y%m%d"), "102"]]  # type: ignore[attr-defined]


def _heading(invoice: Invoice, buyer: Buyer, seller: Seller) -> list[Segment]:
    credit = invoice.kind is DocumentKind.CREDIT_NOTE
    segments: list[Segment] = [["BGM", "381" if credit else "380", invoice.number, "9"],
                               _dtm("137", invoice.issue_date)]
    if invoice.delivery_date:
        segments.append(_dtm("35", invoice.delivery_date))
    if invoice.tax_note or invoice.reason:
        segments.append(["FTX", "AAI", "", "", [clean(invoice.reason or invoice.tax_note, 70)]])
    for qualifier, value in (("ON", invoice.po_number), ("VN", invoice.order_id), ("DQ", invoice.delivery_id),
                             ("IV", invoice.corrects)):
        if value:
            segments.append(["RFF", [qualifier, clean(value, 35)]])
    segments += _nad("SU", seller.gln, seller.name, seller.address, seller.vat_id)
    segments += _nad("BY", buyer.gln, buyer.name, buyer.address, invoice.buyer_vat_id or buyer.vat_id)
    segments.append(["CUX", ["2", invoice.currency, "4"]])
    days = str((invoice.due_date - invoice.issue_date).days)
    segments += [["PAT", "1", "", ["5", "3", "D", days]], _dtm("13", invoice.due_date)]
    for ac in invoice.allowance_charges:
        segments += _alc(ac, invoice.currency, with_tax=True)
    return segments


def _nad(role: str, gln: str | None, name: str, where: Address, vat_id: str | None) -> list[Segment]:
    segments: list[Segment] = [["NAD", role, [gln, "", "9"] if gln else "", "", clean(name, 35),
                                clean(where.street, 35), clean(where.city, 35), where.region or "",
                                clean(where.postcode, 9), where.country]]
    if vat_id:
        segments.append(["RFF", ["VA", vat_id]])
    return segments


def _tax(category: str, rate: object) -> Segment:
    return ["TAX", "7", "VAT", "", "", ["", "", "", number(rate)], category]  # type: ignore[arg-type]


def _alc(ac: AllowanceCharge, currency: str, with_tax: bool) -> list[Segment]:
    code = ac.reason_code or ("FC" if ac.charge else "DI")
    segments: list[Segment] = [["ALC", "C" if ac.charge else "A", "", "", "", [code, "", "", clean(ac.reason, 35)]],
                               ["MOA", ["23" if ac.charge else "204", amount(Money(ac.amount, currency))]]]
    if with_tax and ac.tax_category:
        segments.append(_tax(ac.tax_category, ac.tax_rate or 0))
    return segments


def _lines(invoice: Invoice) -> list[Segment]:
    segments: list[Segment] = []
    for line in invoice.lines:
        segments += _line(line, invoice.currency)
    return segments


def _line(line: InvoiceLine, currency: str) -> list[Segment]:
    segments: list[Segment] = [
        ["LIN", str(line.line_no), "", [clean(line.sku, 35), "SA"]],
        ["IMD", "F", "", ["", "", "", clean(line.description, 35)]],
        ["QTY", ["47", number(line.quantity), EDIFACT_UNITS.get(line.unit_code, line.unit_code)]],
        ["MOA", ["203", amount(line.net(currency))]],
        ["PRI", ["AAA", number(line.unit_price)] + (["", "", number(line.base_quantity)]
                                                     if line.base_quantity != 1 else [])]]
    if line.price_discount:
        segments.append(["PRI", ["AAB", number(line.list_price or line.unit_price)]])
    segments.append(_tax(line.tax_category, line.tax_rate))
    for ac in line.allowance_charges:
        segments += _alc(ac, currency, with_tax=False)
    return segments


def _summary(invoice: Invoice) -> list[Segment]:
    totals = [("79", invoice.line_total), ("125", invoice.net_total), ("176", invoice.tax_total),
              ("77", invoice.gross_total), ("9", invoice.payable)]
    if any(not ac.charge for ac in invoice.allowance_charges):
        totals.insert(1, ("260", invoice.allowance_total))
    if any(ac.charge for ac in invoice.allowance_charges):
        totals.insert(1, ("259", invoice.charge_total))
    if invoice.prepaid is not None:
        totals.insert(-1, ("113", invoice.prepaid))
    segments: list[Segment] = [["UNS", "S"]]
    segments += [["MOA", [code, amount(value)]] for code, value in totals]
    for sub in invoice.tax_subtotals:
        segments += [_tax(sub.category, sub.rate), ["MOA", ["125", amount(sub.taxable)]],
                     ["MOA", ["124", amount(sub.tax)]]]
    return segments
