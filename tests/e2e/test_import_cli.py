"""``o2c import FILE [--dry-run] --json`` as an outside check uses it: JSON on stdout, exit 0 clean,
1 with findings for a person, 2 refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from o2c.cli_commands.intake import register
from tests.unit.intake.world import x12_850

SAMPLES = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command()
    def other() -> None:  # a second command, so Typer keeps "import" as a sub-command
        """Placeholder."""

    return app


def _run(cli: typer.Typer, path: Path) -> tuple[int, dict]:
    result = runner.invoke(cli, ["import", str(path), "--dry-run", "--json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}


def test_a_clean_850_previews_with_exit_0_and_the_interface_shape(cli, tmp_path):
    path = tmp_path / "po.x12"
    path.write_bytes(x12_850())
    code, summary = _run(cli, path)
    assert code == 0 and summary["format"] == "x12.850" and summary["errors"] == []
    [order] = summary["orders"]
    assert (order["po"], order["buyer"]) == ("PO-NEW-1", "8711111111116")
    line = order["lines"][0]
    assert (line["item"], line["qty"], line["unit"], line["price"]) == ("COLA", "20", "CS", "14.40")


def test_a_truncated_850_is_refused_with_exit_2_naming_the_segment(cli, tmp_path):
    path = tmp_path / "broken.x12"
    data = x12_850()
    path.write_bytes(data[: data.index(b"CTT")])
    code, summary = _run(cli, path)
    assert code == 2
    assert any(e["segment"] in ("SE", "CTT", "GE", "IEA") for e in summary["errors"])


def test_a_file_of_no_known_format_is_refused_with_exit_2(cli, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not an order")
    code, summary = _run(cli, path)
    assert code == 2 and summary["format"] is None and summary["errors"]


@pytest.mark.skipif(not SAMPLES.exists(), reason="tests/data is missing")
@pytest.mark.parametrize("sample", ["orders/x12/850_4010_12.x12", "orders/edifact/orders01.edi",
                                    "remittance/x12_820/820-004010-01.x12", "bank/mt940/sns.sta"])
def test_order_and_bank_samples_preview_with_exit_0(cli, sample):
    code, summary = _run(cli, SAMPLES / sample)
    assert code == 0, summary
    assert summary["format"] and ("orders" in summary or "payments" in summary)


def test_a_bank_import_for_a_person_shows_what_each_file_recorded_and_what_to_check(cli, tmp_path, monkeypatch):
    from o2c.cli_commands import intake

    monkeypatch.setattr(intake.console, "width", 240)
    db = f"sqlite:///{tmp_path / 'o2c.db'}"
    files = [str(SAMPLES / "bank" / "mt940" / "mt940.sta"), str(SAMPLES / "bank" / "mt940" / "triodos.sta")]
    result = runner.invoke(cli, ["import", *files, "--db", db])
    assert result.exit_code == 1  # imported, one statement to check
    rows = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
            for line in result.stdout.splitlines() if line.startswith("│")}
    assert rows["mt940.sta"][:5] == ["mt940", "imported", "3", "7", "0"]  # 3 statements, 7 payments recorded
    assert rows["triodos.sta"][:4] == ["mt940", "imported, check", "1", "0"]  # its entries are debits
    assert "differs by 111.40" in " ".join(result.stdout.split())
    again = runner.invoke(cli, ["import", files[0], "--db", db])
    row = next(ln for ln in again.stdout.splitlines() if "mt940.sta" in ln)
    assert again.exit_code == 0 and [c.strip() for c in row.split("│")[2:7]] == ["mt940", "imported", "3", "0", "7"]


def _import_json(cli: typer.Typer, path: Path, db: str, *more: str) -> tuple[int, dict]:
    result = runner.invoke(cli, ["import", str(path), "--db", db, "--json", *more])
    return result.exit_code, json.loads(result.stdout)


def test_a_real_import_prints_the_dry_run_shape_plus_what_it_recorded(cli, tmp_path):
    db = f"sqlite:///{tmp_path / 'o2c.db'}"
    sample = SAMPLES / "bank" / "mt940" / "knab.sta"
    dry_code, dry = _run(cli, sample)
    code, report = _import_json(cli, sample, db)
    assert (dry_code, code) == (1, 1)  # statement 2 does not add up: imported and flagged, dry run alike
    assert set(dry) <= set(report)
    assert {"payments_recorded", "already_known", "conflicts", "tasks", "skipped"} <= set(report)
    assert [(s["balanced"], s["difference"]) for s in report["statements"]] == [(True, "0.00"), (False, "4500.00")]
    assert report["statements"][1]["chain_break"] == "2558.98" and report["statements"][1]["warnings"]
    assert report["payments_recorded"] == 2 and len(report["tasks"]) == 1
    code, again = _import_json(cli, sample, db)
    assert (code, again["payments_recorded"], again["already_known"], again["tasks"]) == (1, 0, 2, [])


def test_a_refused_bank_file_exits_2_in_a_dry_run_and_a_real_import_alike(cli, tmp_path):
    path = tmp_path / "fine.sta"
    path.write_text(":20:REF\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:C260102EUR0,00\n"
                    ":61:2601020102C100,125NTRFNONREF\n:86:too fine\n:62F:C260102EUR100,12\n-\n")
    dry_code, _ = _run(cli, path)
    code, report = _import_json(cli, path, f"sqlite:///{tmp_path / 'o2c.db'}")
    assert (dry_code, code) == (2, 2)
    assert report["refused"] and report["payments_recorded"] == 0
    assert report["errors"] == ["fine.sta: line 5, :61:: 100.125 has more decimals than EUR has (2)"]


QUIRKS = Path(__file__).resolve().parents[1] / "golden" / "bank" / "quirks"


@pytest.mark.parametrize("name", ["camt053_utf16.xml", "camt053_two_days.zip", "statement.ofx"])
def test_camt_in_utf16_or_zip_and_ofx_go_to_the_bank_import_not_to_order_intake(cli, tmp_path, name):
    dry_code, dry = _run(cli, QUIRKS / name)
    code, report = _import_json(cli, QUIRKS / name, f"sqlite:///{tmp_path / 'o2c.db'}")
    assert (dry_code, code) == (0, 0)
    assert dry["format"] == report["format"] == ("ofx" if name.endswith(".ofx") else "camt.053")
    assert report["payments_recorded"] == (2 if name.endswith(".zip") else 1) and not report["refused"]
