"""Every public order sample through intake: the dry-run preview and a real import, results pinned.

The samples come from other companies, so their buyers are unknown to our world except two we add
(``00996`` and ``PARTNER1``, whose items we do not sell): intake must reject or review them with the
right reason codes, quarantine the two EDIFACT files that end without UNZ, and create no order.
``850_vics4010.edi`` is ``850_b.edi`` again (same sender, interchange 3438 and PO, other line breaks):
it is recognised as the same interchange.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from o2c.services.intake import IntakeService, preview_file
from tests.unit.intake.world import CUSTOMER, seed_intake

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "orders"
pytestmark = pytest.mark.skipif(not SAMPLES.exists(), reason="tests/data/orders is missing")

REJECTED, REVIEW = ("rejected", ("unknown_customer",)), ("pending", ("unknown_sku",))
PINNED = [
    ("edifact/orders01.edi", "edifact.orders", 3, True, "imported", [REVIEW, REVIEW, REVIEW]),
    ("edifact/orders_d96a.edi", "edifact.orders", 1, True, "quarantined", []),
    ("edifact/orders_d96a_b.edi", "edifact.orders", 1, True, "quarantined", []),
    ("x12/850_4010_12.x12", "x12.850", 3, True, "imported", [REVIEW, REJECTED, REVIEW]),
    ("x12/850_4030_02.x12", "x12.850", 3, True, "imported", [REJECTED, REJECTED, REJECTED]),
    ("x12/850_b.edi", "x12.850", 1, True, "imported", [REJECTED]),
    ("x12/850_vics4010.edi", "x12.850", 1, True, "imported", [("duplicate", ())]),
]


def test_every_sample_is_pinned():
    assert {p for p, *_ in PINNED} == {f"{p.parent.name}/{p.name}" for p in SAMPLES.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name, file_format, orders, readable, _status, _outcomes", PINNED, ids=[p[0] for p in PINNED])
def test_each_sample_previews_without_a_database(name, file_format, orders, readable, _status, _outcomes):
    summary, ok = preview_file((SAMPLES / name).read_bytes(), Path(name).name)
    assert (summary["format"], len(summary["orders"]), ok) == (file_format, orders, readable)


def test_each_sample_imports_with_pinned_decisions_and_creates_no_order(app):
    seed_intake(app)
    with app.uow() as uow:
        for cid, gln in (("C-00996", "00996"), ("C-PARTNER1", "PARTNER1")):
            uow.customers.add(replace(CUSTOMER, id=cid, gln=gln, requires_po=False))
        uow.commit()
    service = IntakeService.for_app(app)
    for name, _format, _orders, _ok, status, outcomes in PINNED:
        report = service.import_file((SAMPLES / name).read_bytes(), Path(name).name)
        assert (report.status, [(o.status, o.reasons) for o in report.orders]) == (status, outcomes), name
    with app.uow() as uow:
        assert [o.id for o in uow.orders.all() if not o.id.startswith("SO-H")] == []
