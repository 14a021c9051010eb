"""Rewrite the pinned dry-run summaries of every order sample after a deliberate parser change.

Run from the repository root: ``.venv/bin/python tests/golden/orders/regenerate.py``, then read the
diff (``git diff tests/golden/orders``) before committing: each changed value must be one you meant
to change. The samples live in ``tests/data/orders``.
"""

from __future__ import annotations

import json
from pathlib import Path

from o2c.adapters.formats.orders import dry_run_summary, parse_order_file

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parents[1] / "data" / "orders"


def golden_json(sample: Path) -> str:
    """The summary of one sample exactly as it is pinned: sorted keys, two-space indent."""
    summary = dry_run_summary(parse_order_file(sample.read_bytes(), sample.name))
    return json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    for sample in sorted(p for folder in ("x12", "edifact") for p in (SAMPLES / folder).glob("*")):
        target = HERE / f"{sample.name}.json"
        target.write_text(golden_json(sample), encoding="utf-8")
        print(f"wrote {target.relative_to(HERE.parents[2])}")


if __name__ == "__main__":
    main()
