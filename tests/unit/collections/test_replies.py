"""Reply classification, on the labelled set in eval/replies/ (English, Dutch, French, German, typos)."""

from datetime import date
from decimal import Decimal

from o2c.services.replies import classify_reply, evaluate_reasons, evaluate_replies

TODAY = date(2026, 10, 5)


def test_every_reply_class_is_recognised_at_least_nine_times_in_ten_on_the_labelled_set():
    result = evaluate_replies()
    assert result["examples"] >= 140
    assert min(result["per_class"].values()) >= 0.9, result["per_class"]


def test_every_dispute_reason_is_recognised_at_least_nine_times_in_ten():
    result = evaluate_reasons()
    assert min(result["per_class"].values()) >= 0.9, result["per_class"]


def test_a_promise_carries_its_date_and_amount():
    reading = classify_reply("We will pay EUR 1.250,00 for INV-2026-000123 on 15 October.", TODAY)
    assert reading.intent == "promise_to_pay"
    assert reading.promised_date == date(2026, 10, 15)
    assert reading.amount == Decimal("1250.00")
    assert reading.invoices == ("INV-2026-000123",)


def test_a_dispute_carries_its_reason():
    reading = classify_reply("De levering was beschadigd, graag een creditnota.", TODAY)
    assert reading.intent == "dispute" and reading.reason == "damage"
