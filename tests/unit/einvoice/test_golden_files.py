"""Pinned renderings: one UBL invoice, one UBL credit note, one CII, one 810 and one INVOIC.

After a deliberate change run ``.venv/bin/python tests/golden/einvoice/regenerate.py`` and read the diff.
"""

from __future__ import annotations

import pytest

from o2c.adapters.formats.einvoice import demo_seller, render

from .builders import customer_of, invoice_set
from .conftest import GOLDEN

PINNED = (("INV-2026-000101", "ubl"), ("CN-2026-000011", "ubl"), ("INV-2026-000101", "cii"),
          ("INV-2026-000101", "x12"), ("INV-2026-000101", "edifact"))


@pytest.mark.parametrize(("number", "fmt"), PINNED)
def test_the_rendering_matches_its_golden_file(number, fmt):
    document = invoice_set()[number]
    name, data = render(document, customer_of(document), demo_seller(), fmt)
    expected = (GOLDEN / name).read_bytes()
    assert data == expected, f"{name} changed: run tests/golden/einvoice/regenerate.py if that was meant"
