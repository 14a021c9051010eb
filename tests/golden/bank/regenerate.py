"""Rewrite the expected JSON of every bank and remittance sample after a deliberate change.

    .venv/bin/python tests/golden/bank/regenerate.py

Each sample under ``tests/data`` has ``<sample name>.json`` here:
whether a strict parse refuses it (and the message), the dry-run summary of a lenient parse
(unbalanced statements kept and named in ``errors``), and the key fields of every entry. Read the
diff before committing it: a golden file changes only when the reading of a sample should.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from o2c.adapters.formats.bank import FormatError, dry_run_summary, parse_bank_file

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parents[1] / "data"
FOLDERS = ("bank/camt", "bank/mt940", "bank/bai2", "remittance/x12_820")


def sample_files() -> list[Path]:
    """Every sample file of the bank and remittance folders (licence texts left out)."""
    return [path for folder in FOLDERS for path in sorted((SAMPLES / folder).iterdir())
            if path.is_file() and path.name != "LICENSE"]


def golden_path(sample: Path) -> Path:
    return HERE / f"{sample.name}.json"


def expected_for(sample: Path) -> dict[str, Any]:
    """What the parsers make of ``sample``, as the golden file pins it."""
    data, name = sample.read_bytes(), sample.name
    refused = None
    try:
        parse_bank_file(data, name)
    except FormatError as error:
        refused = str(error)
    try:
        lenient = parse_bank_file(data, name, strict=False)
    except FormatError:
        return {"sample": _relative(sample), "refused": refused, "summary": None, "entries": []}
    return {
        "sample": _relative(sample),
        "refused": refused,
        "summary": dry_run_summary(lenient),
        "entries": [jsonable(entry) for entry in lenient.entries()],
    }


def _relative(sample: Path) -> str:
    return sample.resolve().relative_to(SAMPLES.resolve()).as_posix()


def jsonable(value: Any) -> Any:
    """Plain JSON values from the model: Decimals and dates as text, dataclasses as objects."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def render(expected: dict[str, Any]) -> str:
    return json.dumps(expected, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> None:
    for sample in sample_files():
        golden_path(sample).write_text(render(expected_for(sample)), encoding="utf-8")
        print(f"wrote {golden_path(sample).relative_to(HERE.parents[2])}")


if __name__ == "__main__":
    main()
