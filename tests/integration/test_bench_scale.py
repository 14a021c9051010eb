"""``o2c bench scale`` in its small form: 2 worker processes, a few hundred payments, on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from o2c.cli import app

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_the_scale_benchmark_runs_a_day_on_two_workers_and_finds_every_dispatch_done_once(
    pg_server, tmp_path
):
    out = tmp_path / "scale.json"
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "scale",
            "--db",
            pg_server,
            "--workers",
            "2",
            "--payments",
            "300",
            "--orders",
            "20",
            "--deliveries",
            "20",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert list(figures) == ["runs"]
    [run] = figures["runs"]
    assert list(run) == [
        "workers",
        "events_per_second",
        "payments_per_second",
        "p95_latency_s",
        "dispatches_done_once",
        "ledger_problems",
        "audit_verified",
    ]
    assert run["workers"] == 2
    assert run["events_per_second"] > 0 and run["payments_per_second"] > 0 and run["p95_latency_s"] > 0
    assert (run["dispatches_done_once"], run["ledger_problems"], run["audit_verified"]) == (True, 0, True)
    assert "One day on one PostgreSQL" in result.output


def test_the_scale_benchmark_refuses_a_database_that_is_not_postgresql(tmp_path: Path):
    result = CliRunner().invoke(
        app, ["bench", "scale", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--workers", "2"]
    )
    assert result.exit_code == 2
    assert "needs a PostgreSQL URL" in result.output


def test_worker_counts_must_be_positive_numbers(tmp_path: Path):
    result = CliRunner().invoke(app, ["bench", "scale", "--db", "postgresql://x/y", "--workers", "two"])
    assert result.exit_code == 2
    assert "--workers takes worker counts like 1,2,4" in result.output
