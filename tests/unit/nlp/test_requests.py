"""Clauses of a message: cut at sentence ends, commas and joining words, never into scraps."""

from __future__ import annotations

from o2c.adapters.nlp.requests import clauses


def test_a_message_is_cut_at_sentence_ends_and_joining_words() -> None:
    assert clauses("we paid INV-2026-000001 last week, why do you keep holding our orders?") == [
        "we paid INV-2026-000001 last week",
        "why do you keep holding our orders?",
    ]
    assert clauses("Wir haben bezahlt und warum ist die Bestellung gesperrt?") == [
        "Wir haben bezahlt",
        "warum ist die Bestellung gesperrt?",
    ]


def test_a_short_piece_stays_with_its_neighbour() -> None:
    assert clauses("Hi, where is my order 4711?") == ["Hi where is my order 4711?"]
    assert clauses("where is my order") == ["where is my order"]
