"""``o2c bench cash`` in miniature: both matchers run on the shipped profiles and report every figure."""

import pytest

from o2c.bench.cash import run_bench
from o2c.bench.cash_noise import load_profile, shipped_profile

FIGURES = {"auto_rate", "wrong_rate", "residual_rate", "manual_rate", "money_misapplied_share",
           "payments_per_second"}


@pytest.mark.parametrize("name", ["default", "harsh"])
def test_the_cash_bench_reports_both_matchers_side_by_side(tmp_path, name):
    report = run_bench(150, 1500, workdir=tmp_path, profile=load_profile(shipped_profile(name)))
    for matcher in ("baseline", "o2c"):
        assert set(report[matcher]) == FIGURES
        assert abs(report[matcher]["auto_rate"] + report[matcher]["manual_rate"] - 1) < 0.001
    assert report["o2c"]["wrong_rate"] <= report["baseline"]["wrong_rate"]
    assert report["o2c"]["auto_rate"] > report["baseline"]["auto_rate"]
    assert report["ledger_problems"] == []


@pytest.mark.postgres
def test_the_cash_bench_runs_on_postgresql(tmp_path):
    from tests.conftest import PG_SERVER

    report = run_bench(60, 600, workdir=tmp_path, db_url=PG_SERVER)
    assert report["database"] == "postgresql" and report["ledger_problems"] == []
    for matcher in ("baseline", "o2c"):
        assert set(report[matcher]) == FIGURES and report[matcher]["payments_per_second"] > 0
