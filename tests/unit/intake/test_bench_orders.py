"""The intake benchmark on a small set: o2c catches every injected kind, the baseline only look-ups."""

from __future__ import annotations

from o2c.bench.orders import run_bench
from o2c.sim.order_errors import ERROR_KINDS


def test_o2c_finds_every_kind_of_injected_mistake_and_the_plain_import_only_unknown_codes():
    results = run_bench(n=1500, seed=3)
    o2c, baseline = results["o2c"], results["baseline"]
    assert set(o2c["recall_by_error"]) == set(ERROR_KINDS)
    assert min(o2c["recall_by_error"].values()) >= 0.99
    assert min(o2c["precision_by_error"].values()) >= 0.98
    assert o2c["touchless_rate"] >= 0.95
    assert baseline["recall_by_error"]["price_mismatch"] == 0.0
    assert baseline["recall_by_error"]["unknown_customer"] == 1.0
