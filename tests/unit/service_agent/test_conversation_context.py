"""Follow-ups point at the documents the last answer showed; cues find held-orders questions and payments."""

from __future__ import annotations

from o2c.domain.conversation_context import ConversationContext, only_points, topics_in


def _is_order(document: str) -> bool:
    return document.startswith("SO-")


SHOWN = ConversationContext("invoice_query", ("INV-1", "INV-2", "SO-9"))


def test_an_ordinal_picks_by_position_in_four_languages():
    for text in ("what about the second one?", "en de tweede?", "et la deuxième ?", "und die zweite?"):
        assert SHOWN.referred_to(text, _is_order) == ("INV-2",)
    assert SHOWN.referred_to("and the last one", _is_order) == ("SO-9",)


def test_saying_invoice_or_order_counts_among_that_kind_only():
    assert SHOWN.referred_to("the second invoice", _is_order) == ("INV-2",)
    assert SHOWN.referred_to("the first order", _is_order) == ("SO-9",)
    assert SHOWN.referred_to("the second order", _is_order) == ()


def test_the_other_one_is_the_shown_document_the_last_answer_was_not_about():
    focused = SHOWN.after("invoice_query", ["INV-2"], ["INV-2"])
    assert focused.documents == SHOWN.documents and focused.focus == ("INV-2",)
    assert focused.referred_to("and the other one?", _is_order) == ("INV-1",)


def test_a_message_without_a_pointer_points_at_nothing():
    assert SHOWN.referred_to("thanks a lot", _is_order) == ()
    assert ConversationContext().referred_to("the second one", _is_order) == ()


def test_the_context_survives_a_round_trip_through_its_stored_form():
    assert (
        ConversationContext.of(SHOWN.to_dict()) == SHOWN
        and ConversationContext.of(None) == ConversationContext()
    )


def test_held_orders_and_payments_are_found_in_four_languages():
    assert topics_in("why do you keep holding our orders?").credit_hold
    assert topics_in("waarom houden jullie onze bestellingen tegen?").credit_hold
    assert topics_in("pourquoi nos commandes sont-elles bloquées ?").credit_hold
    assert topics_in("warum sind unsere Bestellungen gesperrt?").credit_hold
    assert topics_in("we paid INV-2026-000001 last week").payment_announced
    assert topics_in("wir haben die Rechnung bezahlt").payment_announced
    assert not topics_in("where is my order?").credit_hold


def test_a_bare_pointer_asks_nothing_of_its_own_in_four_languages():
    for text in (
        "and the other one?",
        "en de andere?",
        "et l'autre ?",
        "und die andere?",
        "en de tweede factuur?",
        "what about both?",
        "the last order",
    ):
        assert only_points(text), text
    for text in (
        "and the other one, when does it arrive?",
        "en de andere, kan die later geleverd worden?",
        "I want to order another 5 cases",
        "thanks",
    ):
        assert not only_points(text), text
