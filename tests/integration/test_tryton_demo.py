"""``o2c demo --erp tryton``: the simulated company with a real Tryton (started from the cached
template) as its books; its summary ends with the reconciliation check."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from o2c.cli import app as cli
from o2c.cli import register_commands

pytest.importorskip("trytond")
register_commands()


def test_the_demo_on_tryton_posts_its_invoices_there_and_both_books_agree(tmp_path):
    summary_file = tmp_path / "summary.json"
    db = tmp_path / "demo.db"
    result = CliRunner().invoke(
        cli,
        ["demo", "--erp", "tryton", "--days", "3", "--db", str(db), "--json", str(summary_file)],
        env={"O2C_ERP": None, "O2C_TRYTON_URL": None},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(summary_file.read_text())
    books = summary["books"]
    assert books["erp"] == "tryton" and summary["customers"] == books["customers"] == 16
    assert summary["invoices"] > 0 and books["open_items"] >= summary["invoices"]
    assert (books["differences"], summary["dead_letters"]) == ([], 0)
    assert "Reconciliation check" in result.output
    assert (tmp_path / "demo.db.tryton" / "books.sqlite").exists()
