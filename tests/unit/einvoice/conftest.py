"""Shared fixtures: the rule files and Peppol examples in ``tests/data/einvoice``,
and one validator per test session (its stylesheets compile once, about two seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from o2c.adapters.formats.einvoice import demo_seller
from o2c.adapters.formats.einvoice.parties import Seller

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "tests" / "data" / "einvoice"
RULES = SAMPLES / "rules"
GOLDEN = REPO / "tests" / "golden" / "einvoice"


def peppol_examples() -> list[Path]:
    return sorted((SAMPLES / "peppol_examples").glob("*.xml"))


@pytest.fixture(scope="session")
def validator():
    """UBL validator with the CEN EN 16931 XSLT and the Peppol BIS 3 Schematron from the samples."""
    pytest.importorskip("saxonche", reason="saxonche (the Saxon extra) is not installed")
    from o2c.adapters.formats.einvoice.validate import UblValidator

    peppol, cen = RULES / "PEPPOL-EN16931-UBL.sch", RULES / "EN16931-UBL-validation.xslt"
    if not peppol.exists() or not cen.exists():
        pytest.skip(f"the rule files are not checked out beside the repo in {RULES}")
    checker = UblValidator(peppol_sch=peppol, en16931_xslt=cen)
    checker.warm_up()
    return checker


@pytest.fixture
def seller() -> Seller:
    return demo_seller()
