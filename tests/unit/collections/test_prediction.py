"""The payment-date model against the naive baselines on a history where customers have habits, and
its cold-start fallbacks."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from o2c.services.prediction import Known, OpenInvoice, evaluate, train


@dataclass(frozen=True)
class Inv:
    document: str
    customer_id: str
    segment: str
    issued: date
    due: date
    paid: date | None


def _history(seed: int = 3, customers: int = 40, invoices: int = 1200) -> list[Inv]:
    """Each customer pays within a habitual window after the due date (uniformly), drawn once; the
    windows are not the demo's."""
    rng = random.Random(seed)
    windows = [(-4, 2), (-1, 9), (5, 25), (15, 50), (30, 80)]
    habit = {f"C{n}": rng.choice(windows) for n in range(customers)}
    segment = {f"C{n}": ("horeca", "wholesaler", "retail_chain")[n % 3] for n in range(customers)}
    found = []
    for n in range(invoices):
        customer = f"C{rng.randrange(customers)}"
        issued = date(2026, 1, 1) + timedelta(days=n * 240 // invoices)
        due = issued + timedelta(days=rng.choice([14, 30, 45]))
        paid = due + timedelta(days=rng.randint(*habit[customer]))
        found.append(
            Inv(
                f"INV-{n}",
                customer,
                segment[customer],
                issued,
                due,
                paid if paid <= date(2026, 10, 1) else None,
            )
        )
    return found


def test_the_model_beats_pays_on_the_due_date_and_pays_like_last_time_by_a_fifth_on_held_out_history():
    for seed in (3, 11, 29):
        result = evaluate(_history(seed))
        assert result.test_invoices > 150
        assert result.mae_days <= 0.8 * result.due_date_mae_days
        assert result.mae_days <= 0.8 * result.last_behaviour_mae_days
        assert result.fallback_share <= 0.2


def test_the_evaluation_scores_only_invoices_issued_after_the_cut_off():
    history = _history()
    result = evaluate(history, cutoff=date(2026, 6, 1))
    assert result.test_invoices == sum(1 for i in history if i.issued >= date(2026, 6, 1) and i.paid)


def test_a_new_customer_falls_back_to_its_segment_and_an_unknown_segment_to_the_due_date():
    model = train(_history())
    new = OpenInvoice("INV-NEW", "NEWCOMER", "horeca", date(2026, 6, 1), date(2026, 7, 1), 50.0)
    assert model.predict(new, date(2026, 6, 5)).source == "segment"
    stranger = OpenInvoice("INV-X", "NEWCOMER", "pharmacy", date(2026, 6, 1), date(2026, 7, 1), 50.0)
    prediction = model.predict(stranger, date(2026, 6, 5))
    assert prediction.source == "due_date" and prediction.expected_date == date(2026, 7, 1)
    assert model.expected_delay(new, Known((12,)))[1] == "segment"
    assert model.expected_delay(new, Known((12, 14)))[1] == "customer"


def test_a_customer_who_always_pays_forty_days_late_is_predicted_late_and_risky():
    model = train(_history())
    late = OpenInvoice("INV-L", "SLOW", "horeca", date(2026, 6, 1), date(2026, 7, 1), 50.0)
    model.known["SLOW"] = Known((38, 40, 42, 41, 39, 40, 40))
    prediction = model.predict(late, date(2026, 6, 5))
    assert prediction.source == "customer" and 35 <= prediction.expected_delay <= 42 and prediction.risk > 0.9


def test_an_invoice_already_overdue_is_expected_beyond_the_days_it_is_late_and_not_before_today():
    model = train(_history())
    model.known["C1"] = Known((0, 1, 2, 3, 20))
    overdue = OpenInvoice("INV-O", "C1", "horeca", date(2026, 5, 1), date(2026, 6, 1), 50.0)
    prediction = model.predict(overdue, date(2026, 6, 11))
    assert prediction.expected_delay >= 10 and prediction.expected_date >= date(2026, 6, 11)


def test_unpaid_overdue_invoices_pull_a_customers_prediction_later():
    model = train(_history())
    inv = OpenInvoice("INV-N", "C1", "horeca", date(2026, 6, 1), date(2026, 7, 1), 50.0)
    on_time = model.expected_delay(inv, Known((0, 1, 0, 2)))[0]
    hiding = model.expected_delay(inv, Known((0, 1, 0, 2), overdue=(35, 40, 45, 50, 60)))[0]
    assert hiding > on_time + 10
