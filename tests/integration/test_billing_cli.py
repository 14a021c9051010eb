"""``o2c export invoices`` writes one file per issued document; ``o2c fx import`` stores ECB rates once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import typer
from typer.testing import CliRunner

from o2c.cli_commands.billing import register
from o2c.domain import commands as c
from tests.factories import seed
from tests.integration.test_billing_invoicing import delivered


def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_export_writes_one_file_per_invoice_and_credit_note_in_each_format(app, tmp_path):
    seed(app)
    app.execute(c.InvoiceDelivery(delivered(app, "C1", {"COLA": 2, "WATER": 3})), "billing", "bill")
    app.execute(c.RebillInvoice("INV-2026-000001", "price", {"1": Decimal("9")}), "x", "y")
    url = app.settings.database_url
    for fmt, suffix in (("ubl", ".ubl.xml"), ("x12", ""), ("edifact", ""), ("pdf", ".pdf")):
        out = tmp_path / fmt
        result = CliRunner().invoke(cli(), ["export", "invoices", "--format", fmt, "--out", str(out), "--db", url])
        assert result.exit_code == 0, result.output
        files = sorted(p.name for p in out.iterdir())
        assert len(files) == 3 and all(suffix in name for name in files)
    refused = CliRunner().invoke(cli(), ["export", "invoices", "--format", "docx", "--out", str(tmp_path), "--db", url])
    assert refused.exit_code == 2


def test_fx_import_stores_the_ecb_file_once(app, tmp_path):
    csv = tmp_path / "eurofxref.csv"
    csv.write_bytes(b"Date, USD, GBP, \n01 September 2026, 1.1000, 0.8500, \n")
    url = app.settings.database_url
    first = CliRunner().invoke(cli(), ["fx", "import", str(csv), "--db", url])
    second = CliRunner().invoke(cli(), ["fx", "import", str(csv), "--db", url])
    assert first.exit_code == 0 and "2 rate(s) stored" in first.output
    assert "0 rate(s) stored, 2 already there" in second.output
    with app.uow() as uow:
        assert uow.fx.to_functional("GBP", date(2026, 9, 2)) == Decimal("1.1764705882")



def test_an_x12_export_reports_a_document_it_cannot_write_and_writes_all_the_others(app, tmp_path):
    seed(app)
    for po in ("PO-1", "PO-2", "PO-3"):
        delivery = delivered(app, "C1", {"COLA": 2}, po=po)
        if po == "PO-2":  # a PO taken in before intake refused X12 delimiters
            with app.uow() as uow:
                order = next(o for o in uow.orders.all() if o.po_number == po)
                uow.orders.save(replace(order, po_number="PO*2~B"))
                uow.commit()
        app.execute(c.InvoiceDelivery(delivery), "billing", "bill")
    out = tmp_path / "x12"
    result = CliRunner().invoke(cli(), ["export", "invoices", "--format", "x12", "--out", str(out),
                                        "--db", app.settings.database_url])
    assert result.exit_code == 2, result.output
    assert "INV-2026-000002" in result.output and "X12 delimiter" in " ".join(result.output.split())
    assert sorted(p.name for p in out.iterdir()) == ["INV-2026-000001.810.x12", "INV-2026-000003.810.x12"]
