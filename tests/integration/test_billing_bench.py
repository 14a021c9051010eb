"""``o2c bench billing`` on a small set: an ERP's pre-billing checks against o2c's pre-issue validation, a hold
counted as prevented only when it names the injected error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_the_bench_compares_erp_pre_billing_checks_with_pre_issue_validation():
    pytest.importorskip("saxonche")
    from o2c.bench.billing import run_bench

    report = run_bench(60, seed=5)
    baseline, o2c = report["baseline"], report["o2c"]
    for figures in (baseline, o2c):
        assert {
            "invoices_per_second",
            "invalid_documents",
            "disputes_prevented",
            "held_for_another_reason",
        } <= set(figures)
        assert figures["ledger_problems"] == 0 and figures["clean_deliveries_held"] == 0
        assert figures["disputes_prevented"] + figures["disputes"] == report["injected_errors"]
    injected = report["injected_by_kind"]
    assert injected["missing_promotion"] > 0 and injected["missing_po"] > 0
    assert baseline["by_error"]["missing_po"] == injected["missing_po"]  # the incompletion log's PO check
    assert baseline["by_error"]["missing_promotion"] == 0  # no ERP check sees a promotion that is not there
    assert o2c["disputes_prevented"] == report["injected_errors"] and o2c["disputes"] == 0
    assert 0 < baseline["disputes_prevented"] < o2c["disputes_prevented"]
    assert o2c["invalid_documents"] == 0


def test_a_hold_for_another_reason_than_the_injected_error_is_not_counted_as_prevented(tmp_path):
    pytest.importorskip("saxonche")
    from o2c.bench.billing import _run, _validator, build_set

    world = build_set(30, seed=5)
    po_missing = next(d for d, kind in world["truth"].items() if kind == "missing_po")
    world["truth"][po_missing] = "us_state"  # scored as if the injected error were another one
    figures = _run("o2c", world, tmp_path, _validator(), lambda n: None)
    assert figures["held_for_another_reason"] == 1
    assert figures["disputes_prevented"] == len(world["truth"]) - 1 and figures["disputes"] == 1
