"""The intake benchmark on a small set: o2c catches every kind on the default profile; the ERP checks
catch look-ups, prices, POs, dates and stock but cannot say which promotion mistake it was."""

from __future__ import annotations

from o2c.bench.order_noise import KINDS
from o2c.bench.orders import run_bench


def test_o2c_finds_every_kind_of_injected_mistake_and_the_erp_checks_miss_promotions_and_quantities():
    results = run_bench(n=1500, seed=7, pipeline=False)
    o2c, baseline = results["o2c"], results["baseline"]
    assert set(o2c["recall_by_error"]) == set(KINDS)
    assert min(o2c["recall_by_error"].values()) >= 0.95
    assert min(o2c["precision_by_error"].values()) >= 0.95
    assert o2c["touchless_rate"] >= 0.95
    assert baseline["recall_by_error"]["price_mismatch"] == 1.0
    assert baseline["recall_by_error"]["promotion_not_applied"] == 0.0
    assert baseline["recall_by_error"]["quantity_outlier"] == 0.0
    assert results["setup"]["mistakes"] > results["setup"]["bad_orders"]


def test_the_whole_path_books_every_order_and_reports_its_speed():
    results = run_bench(n=120, seed=5)
    for name in ("o2c", "baseline"):
        assert results[name]["pipeline_orders_per_second"] > 0
    assert results["o2c"]["pipeline_orders"] == 120
