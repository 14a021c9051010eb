"""The collections CLI registers on any Typer app; the evaluation prints accuracy per class and JSON."""

import json

import typer
from typer.testing import CliRunner

from o2c.cli_commands.collections import register


def test_collections_eval_reports_accuracy_per_class_as_json(tmp_path):
    app = typer.Typer()
    register(app)
    out = tmp_path / "eval.json"
    result = CliRunner().invoke(app, ["collections", "eval", "--json", str(out)])
    assert result.exit_code == 0, result.output
    scores = json.loads(out.read_text())
    assert set(scores["replies"]["per_class"]) == {"promise_to_pay", "dispute", "already_paid", "copy_request",
                                                   "out_of_office", "other"}
    assert "accuracy" in result.output
