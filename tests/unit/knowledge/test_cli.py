"""``o2c ask`` through a Typer app built with ``register``, as the lead wires it."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from o2c.cli_commands.knowledge import bench_knowledge, register


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command("noop")
    def noop() -> None:
        """Keeps Typer in multi-command mode, as in the real o2c app."""

    return app


def test_ask_json_prints_answer_sources_and_known() -> None:
    result = CliRunner().invoke(_app(), ["ask", "how do I release a credit hold above 50k?", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {"answer", "sources", "known"}
    assert payload["known"] is True
    assert payload["sources"][0]["path"] == "credit-management.md"


def test_ask_json_says_unknown_for_a_question_the_handbook_does_not_cover() -> None:
    result = CliRunner().invoke(_app(), ["ask", "how many vacation days do finance employees get?", "--json"])
    payload = json.loads(result.output)
    assert payload["known"] is False and payload["sources"] == []


def test_ask_reads_another_folder_with_docs(tmp_path: Path) -> None:
    (tmp_path / "shipping.md").write_text("# Shipping\n\n## Pallets\n\nEuro pallets are exchanged one for one.\n",
                                          encoding="utf-8")
    result = CliRunner().invoke(_app(), ["ask", "are euro pallets exchanged?", "--docs", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "one for one" in result.output and "shipping.md" in result.output


def test_bench_knowledge_writes_the_json_report(tmp_path: Path) -> None:
    report = bench_knowledge(tmp_path / "knowledge.json")
    written = json.loads((tmp_path / "knowledge.json").read_text())
    assert written["splits"]["test"]["hit_at_3"] == report["splits"]["test"]["hit_at_3"]
    assert {"median_ms", "p95_ms"} <= set(written["latency"])
