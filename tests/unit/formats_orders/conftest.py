"""Shared fixtures: where the public sample files live (``tests/data``)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "tests" / "data" / "orders"
GOLDEN = REPO / "tests" / "golden" / "orders"


def order_samples() -> list[Path]:
    return sorted(p for folder in ("x12", "edifact") for p in (SAMPLES / folder).glob("*") if p.is_file())


@pytest.fixture
def sample():
    def read(relative: str) -> bytes:
        path = SAMPLES / relative
        if not path.exists():
            pytest.skip(f"sample {path} is not checked out beside the repo")
        return path.read_bytes()

    return read
