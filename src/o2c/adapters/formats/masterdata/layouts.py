"""The file layout of each kind of master data: its columns, which are required, what each means,
and an example row. The templates ``o2c load --template KIND`` writes and the README's tables come
from here, so the documentation and the reader cannot drift apart.

Conventions in every layout: dates as YYYY-MM-DD; amounts with a point for decimals and no thousands
separators; lists separated by ``;``; yes/no flags as yes/no (or true/false, 1/0).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    required: bool
    meaning: str
    example: str = ""


def _c(name: str, meaning: str, example: str = "", required: bool = False) -> Column:
    return Column(name, required, meaning, example)


def _r(name: str, meaning: str, example: str = "") -> Column:
    return Column(name, True, meaning, example)


LAYOUTS: dict[str, tuple[Column, ...]] = {
    "customers": (
        _r("customer_number", "your customer number (the key)", "C-1001"),
        _r("name", "legal name", "Harbour Foods Ltd"),
        _r("country", "ISO 3166 country code", "BE"),
        _r("currency", "ISO 4217 currency it is invoiced in", "EUR"),
        _r("street", "bill-to street and number", "Kaai 12"),
        _r("city", "bill-to city", "Antwerpen"),
        _r("postcode", "bill-to postcode", "2000"),
        _c("region", "state or province (US sales tax)", ""),
        _c("segment", "retail_chain, wholesaler or horeca (default wholesaler)", "wholesaler"),
        _c("language", "ISO 639-1 language for letters (default en)", "nl"),
        _c("vat_id", "VAT or tax id, checked with its check digits", "BE0403170701"),
        _c("gln", "GS1 Global Location Number (13 digits)", "5412345000013"),
        _c("email", "where invoices and reminders go", "ap@harbourfoods.example"),
        _c("bank_accounts", "IBANs it pays from, separated by ;", "BE68539007547034"),
        _c("payment_terms", "a payment-terms code (net 30, 2/10 net 30, or one you loaded)", "net 30"),
        _c("credit_limit", "credit limit in its currency (default 0)", "25000"),
        _c("preferred_channel", "email, edi, peppol, portal or letter (default email)", "email"),
        _c("requires_po", "orders must carry a PO number (yes/no)", "no"),
        _c("parent_customer", "customer number of its parent (group)", ""),
        _c(
            "edi_senders",
            "EDI sender ids it orders under, QUALIFIER:ID or ID, separated by ;",
            "ZZ:HARBOURFOODS",
        ),
    ),
    "ship-tos": (
        _r("customer_number", "the customer it belongs to", "C-1001"),
        _r(
            "ship_to_id",
            "delivery address id, unique per customer (the key with customer_number)",
            "C-1001-02",
        ),
        _r("name", "name at the address", "Harbour Foods DC Gent"),
        _r("street", "street and number", "Dok 4"),
        _r("city", "city", "Gent"),
        _r("postcode", "postcode", "9000"),
        _r("country", "ISO 3166 country code", "BE"),
        _c("region", "state or province", ""),
        _c("gln", "GLN of the delivery point (EDI orders name it)", "5412345000020"),
        _c("blocked", "no deliveries here (yes/no)", "no"),
    ),
    "products": (
        _r("sku", "your article number (the key)", "CAN-COLA-24"),
        _c("gtin", "GTIN/EAN of the pack (8, 12, 13 or 14 digits), checked", "8712345000011"),
        _r("name", "description", "Cola 24 x 33 cl can"),
        _r("category", "product group", "soft drinks"),
        _r("pack", "what one unit sold is", "case 24x33cl"),
        _r("unit", "unit code of the pack (CS, EA, KG...)", "CS"),
        _r("units_per_pack", "consumer units in one pack", "24"),
        _c("tax_category", "standard, reduced, zero or exempt (default standard)", "standard"),
        _c("substitutes", "loaded SKUs that may replace it, separated by ;", ""),
        _c("active", "still sold (yes/no, default yes)", "yes"),
    ),
    "prices": (
        _r("price_list", "price list name (with sku and valid_from, the key)", "EU-LIST"),
        _r("currency", "ISO 4217 currency of the list", "EUR"),
        _r("sku", "a loaded SKU", "CAN-COLA-24"),
        _r("price", "price per pack, before tax", "11.90"),
        _r("valid_from", "first day the price applies", "2026-01-01"),
        _c("valid_to", "last day (empty: open-ended)", ""),
        _c("segments", "only these segments, separated by ;", ""),
        _c("customers", "only these customer numbers, separated by ;", ""),
        _c("countries", "only these countries, separated by ;", ""),
    ),
    "promotions": (
        _r("promotion_id", "promotion id (the key)", "SUMMER26"),
        _r("name", "description", "Summer cola deal"),
        _r("skus", "SKUs it covers, separated by ;", "CAN-COLA-24"),
        _r("discount_percent", "discount off the list price, in percent", "10"),
        _r("valid_from", "first day", "2026-06-01"),
        _r("valid_to", "last day", "2026-08-31"),
        _c("min_quantity", "least quantity per line", "10"),
        _c("segments", "only these segments, separated by ;", "retail_chain"),
        _c("customers", "only these customer numbers, separated by ;", ""),
        _c("countries", "only these countries, separated by ;", ""),
    ),
    "open-items": (
        _r("invoice_number", "the invoice (or credit note) number (the key)", "INV-2025-0412"),
        _r("customer_number", "a loaded customer", "C-1001"),
        _r("invoice_date", "the original invoice date", "2025-11-20"),
        _r("due_date", "the original due date", "2025-12-20"),
        _r("currency", "ISO 4217 currency of the invoice (the customer's)", "EUR"),
        _r("open_amount", "what is still open, including tax", "1210.00"),
        _c("original_amount", "the invoice's gross amount (default: the open amount)", "1210.00"),
        _c("kind", "invoice or credit_note (default invoice)", "invoice"),
        _c("functional_amount", "open amount in the company currency (needed for other currencies)", ""),
    ),
    "payment-terms": (
        _r("code", "terms code customers refer to (the key)", "2/10 net 30"),
        _r("net_days", "days from invoice date to due date", "30"),
        _c("discount_days", "days within which the early-payment discount applies", "10"),
        _c("discount_percent", "early-payment discount in percent", "2"),
        _c("description", "wording on documents", "2 % within 10 days, net 30 days"),
    ),
}

KINDS = tuple(LAYOUTS)


def template_csv(kind: str) -> bytes:
    """The header and one example row of ``kind``'s layout, as CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in LAYOUTS[kind]])
    writer.writerow([c.example for c in LAYOUTS[kind]])
    return out.getvalue().encode()


def template_xlsx(kind: str) -> bytes:
    """The same as an XLSX workbook: a sheet with the layout, a second sheet explaining each column."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = kind
    sheet.append([c.name for c in LAYOUTS[kind]])
    sheet.append([c.example for c in LAYOUTS[kind]])
    notes = book.create_sheet("columns")
    notes.append(["column", "required", "meaning"])
    for c in LAYOUTS[kind]:
        notes.append([c.name, "yes" if c.required else "no", c.meaning])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def layout_markdown(kind: str) -> str:
    """``kind``'s columns as a Markdown table (for the README)."""
    lines = ["| column | required | meaning | example |", "|---|---|---|---|"]
    lines += [
        f"| `{c.name}` | {'yes' if c.required else ''} | {c.meaning} | {c.example} |" for c in LAYOUTS[kind]
    ]
    return "\n".join(lines)
