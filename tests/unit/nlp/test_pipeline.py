"""classify_lines: one JSON-ready result per non-empty line."""

from __future__ import annotations

import json
from datetime import date

from o2c.adapters.nlp.pipeline import classify_lines


def test_each_non_empty_line_gets_text_intent_confidence_and_entities() -> None:
    lines = ["Where is order SO-2026-000123?\n", "   \n", "Please cancel it tomorrow"]
    results = list(classify_lines(lines, today=date(2026, 11, 19)))
    assert [r["text"] for r in results] == ["Where is order SO-2026-000123?", "Please cancel it tomorrow"]
    assert results[0]["intent"] == "order_status"
    assert results[0]["entities"]["order_numbers"] == ["SO-2026-000123"]
    assert results[1]["entities"]["dates"][0]["start"] == "2026-11-20"
    assert all(0.0 <= r["confidence"] <= 1.0 for r in results)
    json.dumps(results)


def test_a_line_with_two_requests_lists_both_intents_and_a_line_with_one_has_no_list() -> None:
    two, one = classify_lines(["We paid invoice INV-2026-000001 last week. Please send me a copy of invoice "
                               "INV-2026-000002", "Where is order SO-2026-000123?"], today=date(2026, 11, 19))
    assert set(two["intents"]) == {"payment_query", "invoice_copy"} and two["intents"][0] == two["intent"]
    assert "intents" not in one
