"""A company of one's own: ``o2c init``, ``o2c load`` of every kind from CSV and XLSX, bad rows, reloads,
opening balances and EDI trading partners, through the real command line on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from o2c.adapters.store import tables as t
from o2c.bootstrap import bootstrap
from o2c.cli import app as cli
from o2c.cli import register_commands
from o2c.config import Settings
from o2c.domain.ledger import Account
from o2c.services.clock import SimClock
from o2c.services.intake import IntakeService

register_commands()
DATA = Path(__file__).parents[1] / "data"

TERMS = """code,net_days,discount_days,discount_percent,description
2/10 net 30,30,10,2,2 % within 10 days
net 14,14,,,
"""
CUSTOMERS = """customer_number,name,country,currency,street,city,postcode,vat_id,gln,bank_accounts,payment_terms,credit_limit,edi_senders
C-1001,Harbour Foods,BE,EUR,Kaai 12,Antwerpen,2000,BE0403170701,5412345000013,BE68539007547034,2/10 net 30,25000,ZZ:HARBOUR
C-1002,Polder Markt,NL,EUR,Dam 1,Amsterdam,1012JS,NL004495445B01,,NL91ABNA0417164300,net 14,10000,
C-2001,Great Lakes Grocers,US,USD,1 Main St,Chicago,60601,,,,net 30,50000,
"""
SHIP_TOS = """customer_number,ship_to_id,name,street,city,postcode,country,gln
C-1001,C-1001-GENT,Harbour DC Gent,Dok 4,Gent,9000,BE,5412345000020
C-2001,0003947268292,Great Lakes DC,2 Lake Rd,Chicago,60602,US,
"""
PRODUCTS = """sku,gtin,name,category,pack,unit,units_per_pack,tax_category,substitutes
COLA-24,8712345000011,Cola 24 x 33 cl,soft drinks,case,CS,24,standard,
COLA-12,8712345000028,Cola 12 x 33 cl,soft drinks,case,CS,12,standard,COLA-24
AB3542,,Widget A,general,each,EA,1,standard,
"""
PRICES = """price_list,currency,sku,price,valid_from
EU,EUR,COLA-24,11.90,2026-01-01
EU,EUR,COLA-12,6.20,2026-01-01
"""
PROMOTIONS = """promotion_id,name,skus,discount_percent,valid_from,valid_to,segments
SUMMER26,Summer cola,COLA-24;COLA-12,10,2026-06-01,2026-08-31,wholesaler
"""
OPEN_ITEMS = """invoice_number,customer_number,invoice_date,due_date,currency,open_amount,original_amount,kind,functional_amount
OLD-0412,C-1001,2026-07-20,2026-08-19,EUR,1210.00,1210.00,invoice,
OLD-0415,C-1002,2026-08-02,2026-08-16,EUR,400.00,500.00,invoice,
OLD-CN-7,C-1001,2026-08-10,2026-08-10,EUR,50.00,,credit_note,
OLD-US-1,C-2001,2026-08-05,2026-09-04,USD,1000.00,,invoice,920.00
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def init(url: str) -> None:
    code, out = run(
        "init",
        "--name",
        "Acme Foods BV",
        "--country",
        "NL",
        "--currency",
        "EUR",
        "--vat-id",
        "NL004495445B01",
        "--iban",
        "NL91ABNA0417164300",
        "--bic",
        "ABNANL2A",
        "--fiscal-year-start",
        "4",
        "--db",
        url,
    )
    assert code == 0, out


def load(url: str, kind: str, path: str, *extra: str) -> dict:
    code, out = run("load", kind, path, "--json", "--db", url, *extra)
    report = json.loads(out[out.index("{") :])
    assert code == (1 if report["refused"] else 0), out
    return report


def load_all(url: str, tmp_path: Path) -> dict[str, dict]:
    files = {
        "payment-terms": TERMS,
        "customers": CUSTOMERS,
        "ship-tos": SHIP_TOS,
        "products": PRODUCTS,
        "prices": PRICES,
        "promotions": PROMOTIONS,
        "open-items": OPEN_ITEMS,
    }
    return {kind: load(url, kind, write(tmp_path, f"{kind}.csv", text)) for kind, text in files.items()}


def count(url: str, table) -> int:
    application = bootstrap(Settings(database_url=url))
    try:
        with application.uow(read_only=True) as uow:
            return int(uow.conn.execute(select(func.count()).select_from(table)).scalar_one())
    finally:
        application.close()


def test_init_stores_the_company_in_the_database_and_refuses_a_second_one(database_url):
    init(database_url)
    application = bootstrap(
        Settings(database_url=database_url, company_name="Settings Co", company_currency="USD")
    )
    with application.uow(read_only=True) as uow:
        profile = uow.company_profile.get()
    application.close()
    assert (application.company.name, application.company.currency) == ("Acme Foods BV", "EUR")
    assert profile.vat_id == "NL004495445B01" and profile.fiscal_year_start_month == 4
    assert (
        profile.bank_accounts[0].iban == "NL91ABNA0417164300" and profile.bank_accounts[0].bic == "ABNANL2A"
    )
    code, out = run("init", "--name", "Other", "--country", "NL", "--currency", "EUR", "--db", database_url)
    assert code == 2 and "already holds the company Acme Foods BV" in out


def test_init_refuses_an_invalid_vat_id_and_iban_naming_both(tmp_path):
    code, out = run(
        "init",
        "--name",
        "X",
        "--country",
        "NL",
        "--currency",
        "EUX",
        "--vat-id",
        "NL123456789B01",
        "--iban",
        "NL00ABNA0000000000",
        "--db",
        str(tmp_path / "x.db"),
    )
    assert code == 2
    assert "--currency: unknown currency" in out and "--vat-id" in out and "--iban" in out


def test_every_kind_loads_and_a_reload_of_the_same_files_changes_nothing(database_url, tmp_path):
    init(database_url)
    first = load_all(database_url, tmp_path)
    assert first["customers"]["result"].startswith(
        "customers: 3 added, 0 updated, 0 unchanged; EDI senders: 1 added"
    )
    assert first["ship-tos"]["result"] == "ship-tos: 2 added, 0 updated, 0 unchanged"
    assert first["products"]["result"] == "products: 3 added, 0 updated, 0 unchanged"
    assert first["prices"]["result"] == "prices: 2 added, 0 updated, 0 unchanged"
    assert first["promotions"]["result"] == "promotions: 1 added, 0 updated, 0 unchanged"
    assert first["payment-terms"]["result"] == "payment terms: 2 added, 0 updated, 0 unchanged"
    assert first["open-items"]["result"].startswith("opening balances: 4 open items posted, 0 already")
    entries = count(database_url, t.journal_entries)
    again = load_all(database_url, tmp_path)
    for kind, report in again.items():
        assert " 0 added, 0 updated" in report["result"] or "0 open items posted" in report["result"], kind
    assert count(database_url, t.journal_entries) == entries == 1
    assert count(database_url, t.customers) == 3 and count(database_url, t.open_items) == 4


def test_a_reload_updates_what_changed_and_adds_what_is_new(database_url, tmp_path):
    init(database_url)
    load_all(database_url, tmp_path)
    changed = CUSTOMERS.replace("Polder Markt", "Polder Markt BV") + (
        "C-1003,Dune Drinks,DE,EUR,Strasse 1,Berlin,10115,DE136695976,,,net 30,0,\n"
    )
    report = load(database_url, "customers", write(tmp_path, "customers2.csv", changed))
    assert report["result"].startswith("customers: 1 added, 1 updated, 2 unchanged")
    prices = PRICES.replace("11.90", "12.40") + "EU,EUR,COLA-24,12.90,2026-07-01\n"
    assert load(database_url, "prices", write(tmp_path, "p2.csv", prices))["result"] == (
        "prices: 1 added, 1 updated, 1 unchanged"
    )
    application = bootstrap(Settings(database_url=database_url))
    with application.uow(read_only=True) as uow:
        polder = uow.customers.get("C-1002")
        lists = {pl.id: pl.prices for pl in uow.price_lists.all()}
        harbour = uow.customers.get("C-1001")
    application.close()
    assert polder.name == "Polder Markt BV" and polder.terms.net_days == 14
    assert [s.code for s in harbour.ship_tos] == ["C-1001", "C-1001-GENT"]  # the ship-to file's survives
    assert (
        str(lists["EU@2026-01-01"]["COLA-24"]) == "12.40"
        and str(lists["EU@2026-07-01"]["COLA-24"]) == "12.90"
    )


def test_bad_rows_are_reported_all_at_once_with_row_and_column_and_nothing_is_written(database_url, tmp_path):
    init(database_url)
    bad = """customer_number,name,country,currency,street,city,postcode,vat_id,bank_accounts,gln
C-1,Good One,NL,EUR,Dam 1,Amsterdam,1012,NL004495445B01,,
C-2,Bad VAT,NL,EUR,Dam 2,Amsterdam,1012,NL123456789B01,,
C-3,Bad IBAN,BE,EUR,Kaai 1,Antwerpen,2000,,BE00539007547034,
C-4,Bad currency,BE,EUX,Kaai 2,Antwerpen,2000,,,
C-1,Duplicate,NL,EUR,Dam 3,Amsterdam,1012,,,
C-6,Bad GLN,XX,EUR,,Gent,9000,,,5412345000014
"""
    report = load(database_url, "customers", write(tmp_path, "bad.csv", bad))
    found = {(p["row"], p["column"]) for p in report["problems"]}
    assert {
        (3, "vat_id"),
        (4, "bank_accounts"),
        (5, "currency"),
        (6, "customer_number"),
        (7, "country"),
        (7, "street"),
        (7, "gln"),
    } <= found
    assert report["written"] is False and report["refused"] == 5 and report["loaded"] == 0
    assert count(database_url, t.customers) == 0


def test_a_missing_required_column_refuses_the_whole_file(database_url, tmp_path):
    init(database_url)
    report = load(
        database_url, "customers", write(tmp_path, "c.csv", CUSTOMERS.replace("currency,", "curr,", 1))
    )
    problems = {(p["row"], p["column"], p["problem"]) for p in report["problems"]}
    assert (1, "currency", "required column is missing") in problems
    assert any(column == "curr" and "unknown column" in text for _, column, text in problems)
    assert report["refused"] == 3 and count(database_url, t.customers) == 0


def test_a_dry_run_reports_what_a_load_would_do_and_writes_nothing(database_url, tmp_path):
    init(database_url)
    report = load(database_url, "customers", write(tmp_path, "c.csv", CUSTOMERS), "--dry-run")
    assert report["result"].startswith("customers: 3 added") and report["written"] is False
    assert count(database_url, t.customers) == 0 and count(database_url, t.trading_partners) == 0


def test_partial_loads_the_good_rows_and_writes_the_refused_ones_with_their_problem(database_url, tmp_path):
    init(database_url)
    text = CUSTOMERS.replace("BE0403170701", "BE0403170702")
    path = write(tmp_path, "c.csv", text)
    report = load(database_url, "customers", path, "--partial")
    assert report["loaded"] == 2 and report["refused"] == 1 and report["written"] is True
    refused = Path(report["refused_file"]).read_text().splitlines()
    assert refused[0].endswith(",problem") and refused[1].startswith("C-1001,") and "vat_id:" in refused[1]
    assert count(database_url, t.customers) == 2


def test_opening_balances_post_one_balanced_entry_and_a_reload_posts_nothing_twice(database_url, tmp_path):
    init(database_url)
    load_all(database_url, tmp_path)
    load(database_url, "open-items", write(tmp_path, "again.csv", OPEN_ITEMS))
    application = bootstrap(Settings(database_url=database_url))
    with application.uow(read_only=True) as uow:
        problems = uow.ledger.problems()
        balances = uow.ledger.balances()
        item = uow.ledger.item_for_document("OLD-0415", "invoice")
    application.close()
    assert problems == []
    assert balances[(Account.AR.value, "EUR")] == (121000 + 40000 - 5000, 121000 + 40000 - 5000)
    assert balances[(Account.AR.value, "USD")] == (92000, 100000)
    assert balances[(Account.OPENING_BALANCE.value, "EUR")] == (-156000, -156000)
    assert balances[(Account.OPENING_BALANCE.value, "USD")] == (-92000, -100000)
    assert (
        str(item.original.amount),
        str(item.open.amount),
        item.opened_on.isoformat(),
        item.due_date.isoformat(),
    ) == ("500.00", "400.00", "2026-08-02", "2026-08-16")
    changed = OPEN_ITEMS.replace("400.00,500.00", "400.00,600.00")
    report = load(database_url, "open-items", write(tmp_path, "changed.csv", changed))
    assert report["problems"] == [
        {"row": 3, "column": "invoice_number", "problem": report["problems"][0]["problem"]}
    ]
    assert "already on the books with other figures" in report["problems"][0]["problem"]


def test_open_items_need_a_known_customer_in_its_currency_and_a_functional_amount_abroad(
    database_url, tmp_path
):
    init(database_url)
    load(database_url, "customers", write(tmp_path, "c.csv", CUSTOMERS))
    bad = """invoice_number,customer_number,invoice_date,due_date,currency,open_amount,functional_amount
X-1,C-9999,2026-07-01,2026-07-31,EUR,10.00,
X-2,C-1001,2026-07-01,2026-07-31,USD,10.00,9.00
X-3,C-2001,2026-07-01,2026-07-31,USD,10.00,
X-4,C-1001,2026-07-01,2026-06-30,EUR,10.001,
"""
    report = load(database_url, "open-items", write(tmp_path, "o.csv", bad))
    found = {(p["row"], p["column"]) for p in report["problems"]}
    assert {
        (2, "customer_number"),
        (3, "currency"),
        (4, "functional_amount"),
        (5, "due_date"),
        (5, "open_amount"),
    } <= found
    assert count(database_url, t.journal_entries) == 0


def _xlsx(rows: list[list[object]], merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_cached_value(data: bytes, cell: str, value: str) -> bytes:
    """The workbook as a spreadsheet program saves it: the formula in ``cell`` with its computed value."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index(f'<c r="{cell}"')
                end = text.index("</c>", start)
                text = text[:end].replace("<v></v>", "").replace("<v />", "") + f"<v>{value}</v>" + text[end:]
                content = text.encode()
            target.writestr(info, content)
    return out.getvalue()


PRODUCT_ROWS = [
    ["sku", "gtin", "name", "category", "pack", "unit", "units_per_pack"],
    ["COLA-24", "8712345000011", "Cola 24", "soft drinks", "case", "CS", 24],
    ["COLA-12", 8712345000028, "Cola 12", "soft drinks", "case", "CS", "=B3*0+12"],
]


def test_xlsx_loads_and_a_formula_gives_the_value_the_spreadsheet_saved(database_url, tmp_path):
    init(database_url)
    path = tmp_path / "products.xlsx"
    path.write_bytes(_with_cached_value(_xlsx(PRODUCT_ROWS), "G3", "12"))
    report = load(database_url, "products", str(path))
    assert report["result"] == "products: 2 added, 0 updated, 0 unchanged"
    application = bootstrap(Settings(database_url=database_url))
    with application.uow(read_only=True) as uow:
        assert uow.products.get("COLA-12").units_per_pack == 12
        assert uow.products.get("COLA-12").gtin == "8712345000028"
    application.close()


def test_xlsx_with_a_formula_without_saved_value_or_merged_cells_is_refused(database_url, tmp_path):
    init(database_url)
    no_value = tmp_path / "formula.xlsx"
    no_value.write_bytes(_xlsx(PRODUCT_ROWS))
    code, out = run("load", "products", str(no_value), "--db", database_url)
    assert code == 2 and "cell G3: formula =B3*0+12 has no saved value" in " ".join(out.split())
    merged = tmp_path / "merged.xlsx"
    merged.write_bytes(
        _xlsx(
            [*PRODUCT_ROWS[:2], ["COLA-12", "8712345000028", "Cola 12", "", "case", "CS", 12]], merge="D2:D3"
        )
    )
    code, out = run("load", "products", str(merged), "--db", database_url)
    assert code == 2 and "merged cells D2:D3" in out
    assert count(database_url, t.products) == 0


def test_templates_are_written_for_every_kind_and_load_as_they_are(database_url, tmp_path):
    init(database_url)
    order = ["payment-terms", "customers", "ship-tos", "products", "prices", "promotions", "open-items"]
    for kind in order:
        out = tmp_path / f"{kind}.xlsx"
        code, text = run("load", "--template", kind, "--out", str(out))
        assert code == 0, text
        assert load(database_url, kind, str(out))["refused"] == 0, kind


def next_interchange(data: bytes) -> bytes:
    """The partner's next interchange: the same order under new control and PO numbers."""
    return data.replace(b"000003438", b"000003439").replace(b"08292233294", b"08292233295")


def test_an_edi_order_from_an_unknown_sender_is_accepted_once_the_sender_is_mapped(database_url, tmp_path):
    init(database_url)
    load_all(database_url, tmp_path)
    load(
        database_url,
        "products",
        write(
            tmp_path,
            "edi-products.csv",
            """sku,gtin,name,category,pack,unit,units_per_pack
RD5322,,Widget R,general,each,EA,1
XY5266,,Widget X,general,each,EA,1
VX2332,,Widget V,general,each,EA,1
RV0524,,Widget RV,general,each,EA,1
DX1875,,Widget D,general,each,EA,1
""",
        ),
    )
    load(
        database_url,
        "prices",
        write(
            tmp_path,
            "usd.csv",
            """price_list,currency,sku,price,valid_from
US,USD,AB3542,9.25,2010-01-01
US,USD,RD5322,13.79,2010-01-01
US,USD,XY5266,10.99,2010-01-01
US,USD,VX2332,4.35,2010-01-01
US,USD,RV0524,7.50,2010-01-01
US,USD,DX1875,9.55,2010-01-01
""",
        ),
    )
    data = (DATA / "orders" / "x12" / "850_vics4010.edi").read_bytes()
    application = bootstrap(Settings(database_url=database_url), clock=SimClock(datetime(2010, 12, 10, 8)))
    try:
        before = IntakeService.for_app(application).import_file(data, "850_vics4010.edi")
        assert [o.reasons for o in before.orders] == [("unknown_customer",)]
        code, out = run(
            "partners", "map", "4405197800", "--qualifier", "12", "--customer", "C-2001", "--db", database_url
        )
        assert code == 0 and "12:4405197800 -> customer C-2001 (added)" in out
        after = IntakeService.for_app(application).import_file(next_interchange(data), "850_again.edi")
        with application.uow(read_only=True) as uow:
            mapped = uow.audit.records(subject="MapTradingPartner", limit=5)
    finally:
        application.close()
    assert after.status == "imported", after
    [order] = after.orders
    assert (order.status, order.reasons) == ("captured", ()) and order.order_id, order
    assert [r.action for r in mapped] == ["MapTradingPartner"]
    code, out = run("partners", "list", "--json", "--db", database_url)
    assert {"qualifier": "12", "sender": "4405197800", "customer": "C-2001"} in json.loads(out)


def test_the_demo_refuses_to_erase_a_company_set_up_with_init(tmp_path):
    url = str(tmp_path / "acme.db")
    init(url)
    code, out = run("demo", "--days", "1", "--db", url)
    assert code == 2 and "holds the books of Acme Foods BV" in out
