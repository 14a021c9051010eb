"""Random posting sequences through the database agree with the in-memory ledger and keep invariants."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.domain.ledger import Ledger, Settlement, Side, post_document, receive_payment, revalue, write_off
from o2c.domain.money import Money
from tests.factories import customer, seed

DAY = date(2026, 9, 1)
step = st.tuples(st.sampled_from(["invoice", "credit_note", "pay", "write_off", "revalue"]),
                 st.sampled_from(["C1", "C2"]), st.integers(min_value=1, max_value=2_000_000),
                 st.decimals(min_value=Decimal("0.7"), max_value=Decimal("1.3"), places=4))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=5, max_size=25))
def test_database_ledger_matches_the_domain_ledger_after_random_postings(app, steps):
    with app.uow() as uow:
        seeded = uow.customers.get("C1") is not None
    if not seeded:
        seed(app, customer("C1"), customer("C2", country="GB", currency="GBP", vat_id="GB123456789"))
    memory = Ledger("EUR")
    with app.uow() as uow:
        base = uow.sequences.next("prop", "P")
        for n, (kind, cid, minor, rate) in enumerate(steps):
            ccy = "EUR" if cid == "C1" else "GBP"
            rate = Decimal(1) if ccy == "EUR" else rate
            ident = f"{base}-{n}"
            open_items = [i for i in memory.items.values() if i.customer_id == cid and i.side is Side.DEBIT
                          and not i.is_settled]
            posting = None
            if kind in ("invoice", "credit_note"):
                posting = post_document(f"J{ident}", DAY, f"I{ident}", cid, f"D{ident}", kind,
                                        DAY + timedelta(days=30), Money.from_minor(minor, ccy), Money.zero(ccy),
                                        rate, "EUR")
            elif kind == "pay" and open_items:
                item = open_items[0]
                part = Money.from_minor(min(minor, item.open.to_minor()), ccy)
                posting = receive_payment(f"J{ident}", DAY, f"PAY{ident}", cid, part + Money.from_minor(7, ccy),
                                          rate, [Settlement(item, part)], "EUR", unapplied_item_id=f"U{ident}")
            elif kind == "write_off" and open_items:
                item = open_items[-1]
                posting = write_off(f"J{ident}", DAY, item, Money.from_minor(min(minor, item.open.to_minor()), ccy),
                                    "EUR", "test")
            elif kind == "revalue":
                posting = revalue(f"J{ident}", DAY, list(memory.items.values()), {"GBP": rate}, "EUR")
            if posting is None:
                continue
            memory.apply(posting)
            uow.ledger.post(posting)
            stored = {i.id: i for i in uow.ledger.items() if i.id in memory.items}
            assert stored == memory.items
        assert uow.ledger.problems() == []
        uow.rollback()
