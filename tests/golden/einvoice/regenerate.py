"""Rewrite the pinned e-invoice renderings after a deliberate change to a renderer.

Run from the repository root: ``.venv/bin/python tests/golden/einvoice/regenerate.py``, then read the
diff (``git diff tests/golden/einvoice``) before committing: each changed line must be one you meant
to change. The documents are built in ``tests/unit/einvoice/builders.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO))

from tests.unit.einvoice.builders import customer_of, invoice_set  # noqa: E402

from o2c.adapters.formats.einvoice import demo_seller, render  # noqa: E402

GOLDEN = (("INV-2026-000101", "ubl"), ("CN-2026-000011", "ubl"), ("INV-2026-000101", "cii"),
          ("INV-2026-000101", "x12"), ("INV-2026-000101", "edifact"))


def golden_files() -> dict[str, bytes]:
    """File name -> rendered bytes, for every pinned (document, format)."""
    documents = invoice_set()
    pinned = {}
    for number, fmt in GOLDEN:
        document = documents[number]
        name, data = render(document, customer_of(document), demo_seller(), fmt)
        pinned[name] = data
    return pinned


def main() -> None:
    for name, data in golden_files().items():
        (HERE / name).write_bytes(data)
        print(f"wrote {(HERE / name).relative_to(REPO)}")


if __name__ == "__main__":
    main()
