"""The readable invoice or credit note: one A4 PDF a person can check, file and pay from.

Layout: seller block, buyer block and references; the lines (with promotion prices against list price
and line allowances); document allowances and charges; the VAT summary with exemption reasons; the
totals; payment instructions; the reverse-charge or exemption note where one applies.

Invariants: the figures are the domain's, formatted in the buyer's locale with the currency code;
fonts are embedded (Bitstream Vera, shipped with ReportLab) and the document carries an sRGB output
intent, as PDF/A-3 (Factur-X) requires; the same input gives the same bytes (ReportLab's invariant
mode fixes dates and ids).
"""

from __future__ import annotations

import hashlib
import io
import struct
from decimal import Decimal
from functools import cache

from babel.numbers import format_decimal
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from o2c.adapters.formats.einvoice.codes import CATEGORY_NAMES, REVERSE_CHARGE_NOTE, exemption
from o2c.adapters.formats.einvoice.parties import Buyer, Seller, buyer_of
from o2c.domain.customers import Customer
from o2c.domain.invoices import DocumentKind, Invoice, InvoiceLine, accounting_tax_total
from o2c.domain.money import Money

GRID = TableStyle([("FONT", (0, 0), (-1, -1), "Vera", 8), ("FONT", (0, 0), (-1, 0), "VeraBd", 8),
                   ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black), ("ALIGN", (3, 0), (-1, -1), "RIGHT"),
                   ("VALIGN", (0, 0), (-1, -1), "TOP")])


@cache
def _fonts() -> None:
    pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
    pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))
    pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="VeraBd", italic="Vera", boldItalic="VeraBd")


@cache
def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    return {"body": ParagraphStyle("body", fontName="Vera", bulletFontName="Vera", fontSize=8.5, leading=11),
            "title": ParagraphStyle("title", fontName="VeraBd", bulletFontName="Vera", fontSize=16, leading=20, spaceAfter=4),
            "strong": ParagraphStyle("strong", fontName="VeraBd", bulletFontName="Vera", fontSize=9, leading=12)}


def render_pdf(invoice: Invoice, customer: Customer | Buyer, seller: Seller) -> bytes:
    """The A4 PDF of the invoice or credit note."""
    buyer = buyer_of(customer)
    _fonts()
    out = io.BytesIO()
    title = f"{_kind_title(invoice)} {invoice.number}"
    doc = SimpleDocTemplate(out, pagesize=A4, invariant=1, title=title, author=seller.name,
                            subject=f"{title} for {buyer.name}", creator="o2c", initialFontName="Vera", leftMargin=18 * mm,
                            rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm)
    doc.build(_story(invoice, buyer, seller), onFirstPage=_output_intent)
    return out.getvalue()


def pdf_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf"


def _kind_title(invoice: Invoice) -> str:
    return "Credit note" if invoice.kind is DocumentKind.CREDIT_NOTE else "Invoice"


def _output_intent(canvas: Canvas, _doc: object) -> None:
    """Attach an sRGB ICC output intent to the catalog (PDF/A needs one for device colours)."""
    stream = canvas._doc.Reference(PDFStream(PDFDictionary({"N": 3}), _srgb_profile()))  # type: ignore[attr-defined]
    intent = PDFDictionary({"Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
                            "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
                            "Info": PDFString("sRGB IEC61966-2.1"), "DestOutputProfile": stream})
    catalog = canvas._doc.Catalog  # type: ignore[attr-defined]
    catalog.__NoDefault__ = [*catalog.__NoDefault__, "OutputIntents"]  # ReportLab writes known keys only
    canvas.setCatalogEntry("OutputIntents", PDFArray([intent]))


@cache
def _srgb_profile() -> bytes:
    """An sRGB ICC profile (Pillow's lcms) with a fixed creation date and its MD5 profile id redone."""
    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)
    unsigned = bytearray(profile)
    unsigned[44:48] = unsigned[64:68] = bytes(4)
    unsigned[84:100] = bytes(16)
    profile[84:100] = hashlib.md5(unsigned, usedforsecurity=False).digest()
    return bytes(profile)


def _story(invoice: Invoice, buyer: Buyer, seller: Seller) -> list[Flowable]:
    s = _styles()
    fmt = _Formatter(buyer.language)
    story: list[Flowable] = [Paragraph(f"{_kind_title(invoice)} {invoice.number}", s["title"]),
                             _parties(invoice, buyer, seller), Spacer(1, 6 * mm),
                             _lines_table(invoice, fmt), Spacer(1, 4 * mm), _vat_table(invoice, fmt),
                             Spacer(1, 4 * mm), _totals_table(invoice, seller, fmt), Spacer(1, 6 * mm)]
    story += [Paragraph(text, s["body"]) for text in _notes(invoice, seller, fmt)]
    return story


class _Formatter:
    def __init__(self, language: str) -> None:
        self.locale = language.replace("-", "_") or "en"

    def money(self, value: Money) -> str:
        return f"{self.number(value.amount, '#,##0.00')} {value.currency}"

    def number(self, value: Decimal, pattern: str = "#,##0.####") -> str:
        text = format_decimal(value, format=pattern, locale=self.locale, decimal_quantization=False)
        return text.replace("\u202f", "\u00a0")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _parties(invoice: Invoice, buyer: Buyer, seller: Seller) -> Table:
    s = _styles()
    a = seller.address
    seller_text = (f"<b>{_escape(seller.name)}</b><br/>{_escape(a.street)}<br/>{a.postcode} {_escape(a.city)}, "
                   f"{a.country}<br/>VAT {seller.vat_id} · Company reg. {seller.company_id}<br/>{seller.email or ''}")
    b = buyer.address
    vat = invoice.buyer_vat_id or buyer.vat_id
    buyer_text = (f"<b>{_escape(buyer.name)}</b><br/>{_escape(b.street)}<br/>{b.postcode} {_escape(b.city)}"
                  f"{' ' + b.region if b.region else ''}, {b.country}" + (f"<br/>VAT {vat}" if vat else ""))
    refs = [("Issue date", invoice.issue_date.isoformat()), ("Customer", buyer.id),
            ("Your order", invoice.po_number), ("Our order", invoice.order_id), ("Delivery", invoice.delivery_id),
            ("Corrects invoice", invoice.corrects)]
    if invoice.kind is DocumentKind.INVOICE:
        refs.insert(1, ("Due date", invoice.due_date.isoformat()))
    ref_text = "<br/>".join(f"{label}: {_escape(value)}" for label, value in refs if value)
    table = Table([[Paragraph(seller_text, s["body"]), Paragraph(buyer_text, s["body"]),
                    Paragraph(ref_text, s["body"])]], colWidths=[62 * mm, 62 * mm, 50 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), "Vera", 8)]))
    return table


def _lines_table(invoice: Invoice, fmt: _Formatter) -> Table:
    rows: list[list[str]] = [["#", "Item", "Description", "Qty", "Price", "VAT", "Net"]]
    for line in invoice.lines:
        rows += _line_rows(line, invoice.currency, fmt)
    for ac in invoice.allowance_charges:
        label = "Charge" if ac.charge else "Allowance"
        sign = "" if ac.charge else "-"
        rows.append(["", label, ac.reason or ac.reason_code or "", "", "", _vat_label(ac.tax_category, ac.tax_rate),
                     sign + fmt.money(Money(ac.amount, invoice.currency))])
    table = Table(rows, colWidths=[8 * mm, 24 * mm, 62 * mm, 16 * mm, 24 * mm, 16 * mm, 26 * mm], repeatRows=1)
    table.setStyle(GRID)
    return table


def _line_rows(line: InvoiceLine, currency: str, fmt: _Formatter) -> list[list[str]]:
    price = fmt.number(line.unit_price, "#,##0.00##")
    if line.base_quantity != 1:
        price += f" / {fmt.number(line.base_quantity)}"
    description = line.description
    if line.price_discount:
        description += f" (list {fmt.number(line.list_price or Decimal(0), '#,##0.00##')})"
    rows = [[str(line.line_no), line.sku, description[:48], fmt.number(line.quantity), price,
             _vat_label(line.tax_category, line.tax_rate), fmt.money(line.net(currency))]]
    for ac in line.allowance_charges:
        sign = "+" if ac.charge else "-"
        rows.append(["", "", f"  {ac.reason or ac.reason_code or ''}", "", "",
                     "", f"({sign}{fmt.money(Money(ac.amount, currency))})"])
    return rows


def _vat_label(category: str | None, rate: Decimal | None) -> str:
    if category in (None, "S", "Z"):
        return f"{rate or 0:f}".rstrip("0").rstrip(".") + " %"
    return category or ""


def _vat_table(invoice: Invoice, fmt: _Formatter) -> Table:
    rows = [["VAT", "Category", "", "Rate", "Taxable", "VAT amount"]]
    for sub in invoice.tax_subtotals:
        _, reason = exemption(sub)
        rows.append([sub.category, CATEGORY_NAMES.get(sub.category, sub.category), (reason or "")[:40],
                     f"{fmt.number(sub.rate)} %", fmt.money(sub.taxable), fmt.money(sub.tax)])
    table = Table(rows, colWidths=[12 * mm, 40 * mm, 56 * mm, 16 * mm, 26 * mm, 26 * mm])
    table.setStyle(GRID)
    return table


def _totals_table(invoice: Invoice, seller: Seller, fmt: _Formatter) -> Table:
    rows = [("Sum of lines", invoice.line_total)]
    if invoice.allowance_charges:
        rows += [("Allowances", -invoice.allowance_total), ("Charges", invoice.charge_total)]
    rows += [("Total without VAT", invoice.net_total), ("VAT", invoice.tax_total),
             ("Total with VAT", invoice.gross_total)]
    if invoice.prepaid is not None:
        rows.append(("Paid in advance", -invoice.prepaid))
    if invoice.rounding is not None:
        rows.append(("Rounding", invoice.rounding))
    rows.append(("Amount to pay" if invoice.kind is DocumentKind.INVOICE else "Amount credited", invoice.payable))
    accounting = accounting_tax_total(invoice, seller.accounting_currency)
    if accounting is not None and accounting.currency != invoice.currency:
        rows.append((f"VAT in {accounting.currency}", accounting))
    table = Table([[label, fmt.money(value)] for label, value in rows], colWidths=[60 * mm, 36 * mm], hAlign="RIGHT")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Vera", 9), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                               ("FONT", (0, -1), (-1, -1), "VeraBd", 9),
                               ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black)]))
    return table


def _notes(invoice: Invoice, seller: Seller, fmt: _Formatter) -> list[str]:
    notes: list[str] = []
    categories = {s.category for s in invoice.tax_subtotals}
    if categories & {"K", "AE"}:
        notes.append(f"<b>{_escape(invoice.tax_note or REVERSE_CHARGE_NOTE)}</b>")
    elif invoice.tax_note:
        notes.append(_escape(invoice.tax_note))
    if invoice.reason:
        notes.append(f"Reason: {_escape(invoice.reason)}")
    if invoice.kind is DocumentKind.INVOICE:
        bic = f" (BIC {seller.bic})" if seller.bic else ""
        notes.append(f"Please pay <b>{fmt.money(invoice.payable)}</b> by {invoice.due_date.isoformat()} to "
                     f"{_escape(seller.account_name or seller.name)}, IBAN {seller.iban}{bic}, "
                     f"quoting <b>{invoice.number}</b>.")
    else:
        notes.append(f"This credit note corrects invoice {invoice.corrects}; the amount is set off against "
                     "your open items or refunded.")
    return notes
