"""``o2c bench cash`` in miniature: both matchers run and report the four figures."""

from o2c.bench.cash import run_bench


def test_the_cash_bench_reports_both_matchers_side_by_side(tmp_path):
    report = run_bench(120, 1200, workdir=tmp_path)
    for name in ("baseline", "o2c"):
        assert set(report[name]) == {"auto_rate", "wrong_rate", "manual_rate", "payments_per_second"}
        assert abs(report[name]["auto_rate"] + report[name]["manual_rate"] - 1) < 0.001
    assert report["o2c"]["auto_rate"] > report["baseline"]["auto_rate"] - 0.05
    assert report["o2c"]["wrong_rate"] < report["baseline"]["wrong_rate"]
    assert report["ledger_problems"] == []
