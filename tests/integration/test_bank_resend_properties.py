"""A property of the bank import: whatever a bank sends and resends, each entry is recorded once.

Hypothesis makes several statements per file (each of its own account, with random quirks from the
issue's list), then a sequence of sends: an original that misses random entries, repeats, corrected
resends with other entries missing, other narrative text and other quirks. After every send, the
payments recorded are exactly the credits sent so far, each once, and the statements flagged as not
adding up are exactly those whose sent entries miss a non-zero sum.

One ambiguity is left out on purpose: two entries the bank states identically (same day and amount,
no bank reference) cannot be told apart when a resend lacks one of them, so the amounts of the
entries without a reference are distinct within a statement.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.bootstrap import bootstrap
from o2c.config import Settings
from o2c.services.bank_import import import_bank_file
from o2c.services.clock import SimClock
from tests.bank_files import QUIRKS, Line, mt940_file, statement


@st.composite
def true_statement(draw: st.DrawFn, number: int) -> list[Line]:
    """The entries the bank really booked on one account, in order."""
    size = draw(st.integers(1, 5))
    cents = draw(st.lists(st.integers(1, 99_999), min_size=size, max_size=size, unique=True))
    lines = []
    for n, cent in enumerate(cents):
        credit = draw(st.booleans()) or draw(st.booleans())
        referenced = draw(st.booleans())
        amount = Decimal(cent).scaleb(-2) * (1 if credit else -1)
        lines.append(
            Line(
                date(2026, 2, 10 + number),
                amount,
                f"R{number}X{n}" if referenced else None,
                payer=f"Payer {number}",
            )
        )
    return lines


@st.composite
def send(draw: st.DrawFn, statements: list[list[Line]]) -> list[tuple[list[Line], frozenset[str]]]:
    """One file: each statement with some of its entries (kept in order) and some quirks."""
    sent = []
    for lines in statements:
        kept = [line for line in lines if draw(st.integers(0, 4))]  # about one in five missing
        quirks = frozenset(draw(st.sets(st.sampled_from(QUIRKS))))
        text = draw(st.sampled_from(["INV-2026-000001", "INV-2026-000001 corrected", "PAID"]))
        sent.append(([Line(x.day, x.amount, x.reference, x.payer, text) for x in kept], quirks))
    return sent


@st.composite
def history(draw: st.DrawFn) -> tuple[list[list[Line]], list[list[tuple[list[Line], frozenset[str]]]]]:
    count = draw(st.integers(1, 3))
    statements = [draw(true_statement(n)) for n in range(count)]
    sends = draw(st.lists(send(statements), min_size=1, max_size=4))
    repeated = [sends[i] for i in draw(st.lists(st.integers(0, len(sends) - 1), max_size=2))]
    return statements, sends + repeated


def _file(statements: list[list[Line]], sent: list[tuple[list[Line], frozenset[str]]]) -> bytes:
    messages = []
    for number, (lines, (kept, quirks)) in enumerate(zip(statements, sent, strict=True)):
        closing = Decimal(100) + sum((x.amount for x in lines), Decimal(0))
        messages.append(
            statement(
                f"STMT{number:05d}",
                f"NL{10 + number}BANK000000000{number}",
                Decimal(100),
                kept,
                closing=closing,
                day=date(2026, 2, 10 + number),
                quirks=quirks,
            )
        )
    return mt940_file(*messages)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history())
def test_every_entry_is_recorded_once_across_resends_and_exactly_the_statements_missing_money_are_flagged(
    case,
):
    statements, sends = case
    with tempfile.TemporaryDirectory() as folder:
        app = bootstrap(
            Settings(database_url=f"sqlite:///{Path(folder) / 'o2c.db'}"),
            clock=SimClock(datetime(2026, 3, 1, 8, 0)),
        )
        try:
            seen: set[tuple[int, int]] = set()
            for n, sent in enumerate(sends):
                report = import_bank_file(app, _file(statements, sent), f"send-{n}.sta", match=False)
                assert not report.refused, report.errors
                assert report.conflicts == ()
                for number, (lines, (kept, _)) in enumerate(zip(statements, sent, strict=True)):
                    seen |= {
                        (number, lines.index(next(x for x in lines if x.amount == k.amount)))
                        for k in kept
                        if k.amount > 0
                    }
                    missing = sum((x.amount for x in lines), Decimal(0)) - sum(
                        (k.amount for k in kept), Decimal(0)
                    )
                    found = report.summary["statements"][number]
                    assert found["balanced"] == (missing == 0) and found["chain_break"] is None
                    assert Decimal(found["difference"]) == missing
                with app.uow() as uow:
                    assert uow.payments.count() == len(seen)
        finally:
            app.close()
