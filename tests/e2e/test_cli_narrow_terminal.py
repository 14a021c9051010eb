"""At 80 columns a CLI table never cuts an id: ``PR-000012`` can be copied whole; text columns wrap."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from o2c.cli_commands.common import print_table


def _render(table: Table, width: int = 80) -> str:
    console = Console(width=width, record=True, force_terminal=False)
    print_table(console, table, "rows")
    return console.export_text()


def test_proposal_ids_stay_whole_at_80_columns_while_reasons_wrap():
    table = Table("id", "agent", "action", "subject", "amount", "why it waits", "reason")
    for n in range(3):
        table.add_row(
            f"PR-{n:06d}",
            "cash_application",
            "apply_payment",
            f"payment:PAY-{n:06d}",
            "1,234.56 EUR",
            "confidence below the threshold for automatic application",
            "short pay of 57.56 EUR left open as a deduction after matching the invoice by its number",
        )
    text = _render(table)
    assert all(len(line) <= 80 for line in text.splitlines())
    for n in range(3):
        assert f"PR-{n:06d}" in text
        assert f"payment:PAY-{n:06d}" in text
    assert "…" not in text
    assert "short" in text and "number" in text, "the reason wraps onto more lines instead of being cut"


def test_an_empty_table_says_none():
    assert _render(Table("id")).strip() == "rows: none"
