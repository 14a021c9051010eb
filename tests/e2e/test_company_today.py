"""One "today" for a company: after the demo, every command counts days from the books' last day."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from o2c.cli import app, register_commands

runner = CliRunner()
register_commands()


def test_after_a_short_demo_statement_and_worklist_agree_on_days_overdue(tmp_path):
    db = str(tmp_path / "demo.db")
    assert runner.invoke(app, ["demo", "--days", "3", "--seed", "11", "--db", db]).exit_code == 0
    today = runner.invoke(app, ["today", "--db", db])
    assert "today is 2026-09-03 (the books date, set)" in today.output
    worklist = json.loads(runner.invoke(app, ["collections", "worklist", "--json", "--db", db]).output)
    overdue = next(item for items in worklist.values() for item in items if item["days_overdue"] > 0)
    statement = runner.invoke(app, ["statement", overdue["customer_id"], "--db", db], terminal_width=200)
    days = [int(n) for n in re.findall(r"\((\d+) days overdue\)", statement.output)]
    assert days and max(days) == overdue["days_overdue"]


def test_today_can_be_set_and_put_back_on_the_wall_clock(tmp_path):
    db = str(tmp_path / "books.db")
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    assert "(the wall clock)" in runner.invoke(app, ["today", "--db", db]).output
    assert (
        "today is 2027-01-31 (the books date, set)"
        in runner.invoke(app, ["today", "--set", "2027-01-31", "--db", db]).output
    )
    assert "(the wall clock)" in runner.invoke(app, ["today", "--wall-clock", "--db", db]).output
