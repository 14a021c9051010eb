"""The command line as a person uses it: demo, audit verify, approvals."""

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from o2c.cli import app

runner = CliRunner()


def _demo(db: Path, out: Path, days: int = 4, seed: int = 11) -> dict:
    result = runner.invoke(app, ["demo", "--days", str(days), "--seed", str(seed), "--db", f"sqlite:///{db}",
                                 "--json", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


def test_the_demo_runs_balances_and_reports_the_interface_fields(tmp_path):
    summary = _demo(tmp_path / "demo.db", tmp_path / "summary.json")
    for key in ("ledger_balanced", "dso", "open_ar", "invoices", "payments", "agent_actions", "awaiting_approval"):
        assert key in summary
    assert summary["ledger_balanced"] is True
    assert summary["audit_verified"] is True
    assert summary["customers"] >= 200 and summary["products"] >= 100
    assert set(summary["open_ar"]) == {"EUR", "GBP", "USD"}
    assert summary["invoices"] > 0 and summary["agent_actions"]["credit.confirm_order"]["executed"] > 0


def test_the_same_seed_gives_the_same_figures(tmp_path):
    first = _demo(tmp_path / "a.db", tmp_path / "a.json")
    second = _demo(tmp_path / "b.db", tmp_path / "b.json")
    first.pop("elapsed_s", None)
    second.pop("elapsed_s", None)
    assert first == second


def test_audit_verify_passes_untouched_and_fails_naming_the_record_after_a_direct_edit(tmp_path):
    db = tmp_path / "demo.db"
    _demo(db, tmp_path / "s.json", days=2)
    ok = runner.invoke(app, ["audit", "verify", "--db", f"sqlite:///{db}"])
    assert ok.exit_code == 0 and "OK" in ok.output
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER audit_log_update_refused")  # someone with the database file
        conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 42")
    broken = runner.invoke(app, ["audit", "verify", "--db", f"sqlite:///{db}"])
    assert broken.exit_code == 1
    assert "audit record 42 was altered" in broken.output


def test_approvals_can_be_listed_and_a_requester_cannot_approve_their_own(tmp_path):
    db = tmp_path / "demo.db"
    _demo(db, tmp_path / "s.json", days=6)
    listed = runner.invoke(app, ["approvals", "list", "--db", f"sqlite:///{db}", "--json"])
    assert listed.exit_code == 0
    pending = json.loads(listed.output)
    if not pending:
        return
    first = pending[0]
    own = runner.invoke(app, ["approvals", "approve", first["id"], "--user", first["agent"], "--db", f"sqlite:///{db}"])
    assert own.exit_code == 2 and "cannot approve" in own.output
    done = runner.invoke(app, ["approvals", "approve", first["id"], "--user", "maria", "--comment", "checked",
                               "--db", f"sqlite:///{db}"])
    assert done.exit_code == 0, done.output
