"""The demo's camt.053 statements are real ones: they parse, balance and carry the payer's noise."""

import random
from datetime import date

from o2c.adapters.formats.bank import parse_bank_file
from o2c.domain.money import Money
from o2c.sim.bank_files import Credit, Noise, camt053, reference_for


def test_a_generated_statement_parses_and_balances():
    credits = [Credit(f"K{n}", date(2026, 9, 1), Money.of(f"{n}0.50", "EUR"), "Café & Co", None, "INV-2026-000001")
               for n in range(1, 4)]
    parsed = parse_bank_file(camt053("NL91ABNA0417164300", "EUR", date(2026, 9, 1), Money.of("5", "EUR"),
                                     credits, "M1"), "s.xml")
    statement = parsed.statements[0]
    assert statement.balanced and len(statement.entries) == 3
    assert statement.entries[0].counterparty_name == "Café & Co"


def test_a_payer_without_noise_writes_the_invoice_numbers():
    quiet = Noise(0, 0, 0, 0, 0, 0, 0, 0, 0)
    text = reference_for(["INV-2026-000001", "INV-2026-000002"], ["SO-1", "SO-2"], ["PO1", "PO2"], quiet,
                         random.Random(1))
    assert text == "INV-2026-000001 INV-2026-000002"


def test_a_payer_who_drops_the_prefix_writes_year_and_sequence():
    prefixless = Noise(missing_prefix=1.0)
    assert reference_for(["INV-2026-000001"], [""], [""], prefixless, random.Random(1)) == "2026-000001"
