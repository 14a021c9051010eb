"""``o2c bench billing`` on a small set: o2c issues no invalid document and stops every injected error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_the_bench_compares_issuing_as_ordered_with_pre_issue_validation():
    pytest.importorskip("saxonche")
    from o2c.bench.billing import run_bench

    report = run_bench(30, seed=5)
    baseline, o2c = report["baseline"], report["o2c"]
    for figures in (baseline, o2c):
        assert {"invoices_per_second", "invalid_documents", "disputes_prevented"} <= set(figures)
        assert figures["ledger_problems"] == 0
    assert report["injected_errors"] > 0
    assert baseline["disputes_prevented"] == 0 and baseline["disputes"] == report["injected_errors"]
    assert o2c["disputes_prevented"] == report["injected_errors"] and o2c["disputes"] == 0
    assert o2c["invalid_documents"] == 0 and o2c["clean_deliveries_held"] == 0
    assert baseline["issued"] == 30 and o2c["issued"] < 30
