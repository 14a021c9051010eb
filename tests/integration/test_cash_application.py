"""The cash-application agent end to end: bank file in, open items closed, the rest queued."""

from datetime import date, timedelta
from decimal import Decimal

from o2c.domain.ledger import post_document
from o2c.domain.money import Money
from o2c.services.cash import cash_queue, confirm_match, import_bank_file
from o2c.sim.bank_files import Credit, camt053
from tests.factories import customer, seed

DAY = date(2026, 9, 1)


def _invoices(app, *rows: tuple[str, str, str]) -> None:
    """(customer, amount, currency) per invoice, numbered INV-2026-000001 onwards."""
    with app.uow() as uow:
        for n, (cid, amount, ccy) in enumerate(rows, start=1):
            rate = uow.fx.to_functional(ccy, DAY)
            uow.ledger.post(post_document(f"J{n}", DAY, f"OI{n}", cid, f"INV-2026-{n:06d}", "invoice",
                                          DAY + timedelta(days=30), Money.of(amount, ccy), Money.zero(ccy), rate,
                                          "EUR"))
        uow.commit()


def _pay(app, amount: str, reference: str, *, name: str = "Customer C1", account: str | None = "NL00BANKC1",
         ccy: str = "EUR", key: str = "K1") -> None:
    credit = Credit(key, DAY, Money.of(amount, ccy), name, account, reference)
    report = import_bank_file(app, camt053("NL91ABNA0417164300", ccy, DAY, Money.zero(ccy), [credit], key), "s.xml")
    assert not report.refused


def _open(app, document: str) -> Money:
    with app.uow() as uow:
        return uow.ledger.item_for_document(document, "invoice").open


def _problems(app) -> list[str]:
    with app.uow() as uow:
        return uow.ledger.problems()


def test_a_confident_match_posts_and_closes_the_invoice_at_once(app):
    seed(app, customer("C1"))
    _invoices(app, ("C1", "121.00", "EUR"))
    _pay(app, "121.00", "2026-000001")
    assert _open(app, "INV-2026-000001").is_zero() and _problems(app) == []
    with app.uow() as uow:
        assert uow.ledger.open_receivable_minor("C1") == 0
        assert [p.status for p in uow.proposals.list(agent="cash_application")] == ["executed"]


def test_short_pay_opens_a_deduction_for_the_difference(app):
    seed(app, customer("C1"))
    _invoices(app, ("C1", "200.00", "EUR"))
    _pay(app, "187.31", "INV-2026-000001")
    assert _open(app, "INV-2026-000001") == Money.of("12.69", "EUR")
    with app.uow() as uow:
        cases = uow.cases.all()
    assert [(c.invoice_number, c.amount, c.reason) for c in cases] == [
        ("INV-2026-000001", Money.of("12.69", "EUR"), "short_pay")]
    assert _problems(app) == []


def test_overpayment_leaves_unapplied_credit(app):
    seed(app, customer("C1"))
    _invoices(app, ("C1", "100.00", "EUR"))
    _pay(app, "108.00", "INV-2026-000001")
    with app.uow() as uow:
        credits = [i for i in uow.ledger.open_items_of("C1") if i.kind == "unapplied_cash"]
    assert [i.open for i in credits] == [Money.of("8.00", "EUR")] and _problems(app) == []


def test_bank_charges_within_tolerance_close_the_invoice(app):
    seed(app, customer("C1"))
    _invoices(app, ("C1", "500.00", "EUR"))
    # the policy's limit for EUR 500 due is 1 % of it (EUR 5.00): a bank keeping EUR 4.85 is within it
    _pay(app, "495.15", "INV-2026-000001")
    assert _open(app, "INV-2026-000001").is_zero()
    with app.uow() as uow:
        assert uow.ledger.balances()[("6500", "EUR")] == (485, 485)
    assert _problems(app) == []


def test_a_payment_in_another_currency_settles_the_invoice_with_realised_fx(app):
    seed(app, customer("C1"), customer("C2", currency="USD", country="US", vat_id=None))
    _invoices(app, ("C2", "110.00", "USD"))
    _pay(app, "100.50", "INV-2026-000001", name="Customer C2", account="NL00BANKC2")
    assert _open(app, "INV-2026-000001").is_zero() and _problems(app) == []


def test_an_unknown_payer_waits_in_the_queue_and_a_person_teaches_the_alias(app):
    seed(app, customer("C1"))
    _invoices(app, ("C1", "80.00", "EUR"), ("C1", "90.00", "EUR"))
    _pay(app, "80.00", "thanks", name="Mrs J. Smith", account="GB11SMIT0001", key="K1")
    with app.uow() as uow:
        queue = cash_queue(uow)
    assert [q.not_automatic_because for q in queue] == ["payer not identified"]
    confirm_match(app, queue[0].payment_id, "C1", ("INV-2026-000001",), "clerk")
    assert _open(app, "INV-2026-000001").is_zero()
    _pay(app, "90.00", "september", name="MRS J SMITH", account="GB11SMIT0001", key="K2")
    assert _open(app, "INV-2026-000002").is_zero() and _problems(app) == []


def test_the_collections_side_sees_the_cash_the_moment_it_is_applied(app):
    seed(app, customer("C1"))
    _invoices(app, ("C1", "50.00", "EUR"))
    with app.uow() as uow:
        before = uow.ledger.open_receivable_minor("C1")
    _pay(app, "50.00", "INV-2026-000001")
    with app.uow() as uow:
        assert (before, uow.ledger.open_receivable_minor("C1")) == (5000, 0)
        assert Decimal(0) == sum((i.open.amount for i in uow.ledger.open_items_of("C1")), Decimal(0))


def _agent(app):
    return next(a for a in app.dispatcher.agents if a.name == "cash_application")


def test_the_payer_directory_is_kept_between_batches_until_customers_or_aliases_change(app):
    from dataclasses import replace

    from sqlalchemy import text

    seed(app, customer("C1"))
    agent = _agent(app)
    with app.uow() as uow:
        first = agent.directory(uow)
        assert agent.directory(uow) is first  # nothing changed: the same directory
        uow.customers.add(customer("C2"))
        uow.commit()
    with app.uow() as uow:
        second = agent.directory(uow)
        assert second is not first and "C2" in second.payers
        uow.customers.save(replace(uow.customers.get("C2"), bank_accounts=("NL00BANKNEW",)))
        uow.commit()
    with app.uow() as uow:
        third = agent.directory(uow)
        assert third.by_account["NL00BANKNEW"] == "C2"
        uow.conn.execute(text("UPDATE customers SET name = 'Renamed BV' WHERE id = 'C1'"))  # SQL moves it too
        uow.commit()
    with app.uow() as uow:
        assert agent.directory(uow).payers["C1"].name == "Renamed BV"


def test_a_customer_added_after_the_agent_read_its_directory_is_recognised_by_account(app):
    seed(app, customer("C1"))
    _invoices(app, ("C1", "10.00", "EUR"))
    _pay(app, "10.00", "INV-2026-000001", key="K1")  # the agent reads and keeps its directory
    seed_more = customer("C9")
    with app.uow() as uow:
        uow.customers.add(seed_more)
        uow.commit()
    with app.uow() as uow:
        rate = uow.fx.to_functional("EUR", DAY)
        uow.ledger.post(post_document("J9", DAY, "OI9", "C9", "INV-2026-000009", "invoice",
                                      DAY + timedelta(days=30), Money.of("77.00", "EUR"), Money.zero("EUR"),
                                      rate, "EUR"))
        uow.commit()
    _pay(app, "77.00", "payment", name="Someone else", account="NL00BANKC9", key="K2")
    assert _open(app, "INV-2026-000009").is_zero() and _problems(app) == []


def test_a_parent_paying_for_more_subsidiaries_than_statements_are_prepared_for_sees_all_their_items(app):
    from o2c.agents.cash_application import GROUP_SIZES, LedgerBook
    from o2c.domain.remittance import PayerDirectory

    ids = [f"C{n}" for n in range(1, GROUP_SIZES.stop + 3)]
    seed(app, *(customer(cid) for cid in ids))
    _invoices(app, *((cid, "10.00", "EUR") for cid in ids))
    with app.uow() as uow:
        book = LedgerBook(uow, PayerDirectory([]))
        assert sorted(r.item.customer_id for r in book.open_of(ids)) == sorted(ids)
        assert [r.item.customer_id for r in book.open_of(ids[:2])] == ids[:2]


def test_the_same_payment_sent_again_on_a_partly_paid_invoice_waits_for_a_person(app):
    seed(app, customer("C1"))
    _invoices(app, ("C1", "1373.61", "EUR"))
    _pay(app, "716.17", "INV-2026-000001", key="K1")
    assert _open(app, "INV-2026-000001") == Money.of("657.44", "EUR")
    _pay(app, "716.17", "INV-2026-000001", key="K2")
    assert _open(app, "INV-2026-000001") == Money.of("657.44", "EUR")
    with app.uow() as uow:
        queue = cash_queue(uow)
    assert len(queue) == 1 and "duplicate" in queue[0].not_automatic_because
    assert _problems(app) == []
