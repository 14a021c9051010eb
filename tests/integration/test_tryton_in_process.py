"""Tryton in-process (``O2C_TRYTON_CONFIG`` + ``O2C_TRYTON_DATABASE``): trytond runs inside o2c's process,
on a copy of the cached template database, and ``o2c erp sync`` reads it like over XML-RPC."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from o2c.adapters.erp.tryton.client import InProcessClient
from o2c.adapters.erp.tryton.local import LocalTryton
from o2c.cli import app as cli
from o2c.cli import register_commands
from tests.integration.tryton_harness import Clerk

pytest.importorskip("trytond")
register_commands()


def test_o2c_syncs_customers_and_prices_from_a_tryton_running_in_its_own_process(tmp_path):
    books = LocalTryton(tmp_path / "tryton").prepare()
    clerk = Clerk(InProcessClient(str(books.config), books.database))
    clerk.party("C-INP", "In Process Foods")
    clerk.product("SODA-INP", "Soda 24 x 33 cl", Decimal("10.50"))
    out = tmp_path / "sync.json"
    result = CliRunner().invoke(
        cli,
        ["erp", "sync", "--json", str(out), "--db", str(tmp_path / "o2c.db")],
        env={
            "O2C_ERP": "tryton",
            "O2C_TRYTON_URL": None,
            "O2C_TRYTON_CONFIG": str(books.config),
            "O2C_TRYTON_DATABASE": books.database,
        },
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert (report["customers"], report["differences"]) == (1, [])
    assert report["changes"]["prices"].startswith("prices: 1 added")
