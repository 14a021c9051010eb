"""Where the public bank and remittance samples are, and the golden-file script beside them.

The samples live in ``tests/data`` (GPL ones are test data only and
are never copied into the package); tests that need them skip when the folder is not there.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "tests" / "data"
GOLDEN = REPO / "tests" / "golden" / "bank"


def sample(relative: str) -> bytes:
    """The bytes of one sample, e.g. ``sample("bank/camt/camt053.v4.xml")``."""
    path = SAMPLES / relative
    if not path.exists():
        pytest.skip(f"sample {relative} is not available at {SAMPLES}")
    return path.read_bytes()


def golden_script() -> ModuleType:
    """tests/golden/bank/regenerate.py, loaded as a module (tests are not a package)."""
    spec = importlib.util.spec_from_file_location("bank_golden_regenerate", GOLDEN / "regenerate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
