"""The payment-date model against the naive baselines on a history where customers have habits."""

import random
from datetime import date, timedelta

import numpy as np

from o2c.services.prediction import GradientBoostedDays, OpenInvoice, PaidInvoice, evaluate, train


def _history(seed: int = 3) -> list[PaidInvoice]:
    rng = random.Random(seed)
    habits = {f"C{n}": rng.choice([-3, 0, 5, 20, 45]) for n in range(30)}
    found = []
    for n in range(900):
        customer = f"C{n % 30}"
        issued = date(2026, 1, 1) + timedelta(days=n // 5)
        due = issued + timedelta(days=30)
        delay = habits[customer] + rng.randint(-6, 6)
        found.append(PaidInvoice(f"INV-{n}", customer, "horeca", issued, due, due + timedelta(days=delay), 100.0))
    return sorted(found, key=lambda p: p.paid)


def test_boosted_trees_fit_a_step_function():
    x = np.linspace(0, 10, 200).reshape(-1, 1)
    y = np.where(x[:, 0] > 5, 20.0, 0.0)
    model = GradientBoostedDays(rounds=80).fit(x, y)
    assert abs(model.predict(np.array([[8.0]]))[0] - 20) < 2 and abs(model.predict(np.array([[2.0]]))[0]) < 2


def test_the_model_beats_pays_on_the_due_date_and_pays_like_last_time_on_held_out_history():
    result = evaluate(_history())
    assert result.test_invoices > 100
    assert result.mae_days < result.due_date_mae_days
    assert result.mae_days < result.last_behaviour_mae_days


def test_a_new_customer_gets_the_transparent_fallback_of_its_segment():
    model = train(_history())
    new = OpenInvoice("INV-NEW", "NEWCOMER", "horeca", date(2026, 6, 1), date(2026, 7, 1), 50.0)
    prediction = model.predict(new, date(2026, 6, 5))
    assert prediction.source == "fallback" and 0 <= prediction.risk <= 1
