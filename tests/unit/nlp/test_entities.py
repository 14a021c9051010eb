"""Entity extraction: references, amounts, dates, quantities and fuzzy product matching."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from o2c.adapters.nlp.entities import extract_entities, extract_products

THURSDAY = date(2026, 11, 19)
CATALOG = [
    ("HNK-33-24", "Heineken 24x33cl", "8712000000001", ["Heineken can"]),
    ("LEF-BL", "Leffe Blonde", None, []),
    ("LEF-BR", "Leffe Brune", None, ["Leffe Bruin"]),
    ("COK-15", "Coca-Cola 1.5L", None, ["Coke 1.5L"]),
]


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("we paid €1.234,50 yesterday", "1234.50", "EUR"),
        ("transfer of 1,234.50 EUR", "1234.50", "EUR"),
        ("a balance of £300", "300", "GBP"),
        ("charged 14,20 € per case", "14.20", "EUR"),
        ("EUR 45.00 deposit", "45.00", "EUR"),
        ("overpaid by 50 euro", "50", "EUR"),
        ("€ 1 234,50 open", "1234.50", "EUR"),
        ("USD 1,000,000.00", "1000000.00", "USD"),
    ],
)
def test_amounts_are_read_in_european_and_english_formats(text: str, value: str, currency: str) -> None:
    (amount,) = extract_entities(text, THURSDAY).amounts
    assert (amount.value, amount.currency) == (Decimal(value), currency)


def test_a_number_without_a_currency_is_not_an_amount() -> None:
    assert extract_entities("coke invoiced at 16.80 instead of 14.20", THURSDAY).amounts == ()


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("deliver tomorrow please", date(2026, 11, 20), date(2026, 11, 20)),
        ("can it come Thursday?", date(2026, 11, 26), date(2026, 11, 26)),
        ("we ordered last Tuesday", date(2026, 11, 17), date(2026, 11, 17)),
        ("next week", date(2026, 11, 23), date(2026, 11, 29)),
        ("volgende week vrijdag", date(2026, 11, 27), date(2026, 11, 27)),
        ("livraison vendredi", date(2026, 11, 20), date(2026, 11, 20)),
        ("Lieferung am Montag", date(2026, 11, 23), date(2026, 11, 23)),
        ("levering op maandag", date(2026, 11, 23), date(2026, 11, 23)),
        ("heute Morgen bestellt", date(2026, 11, 19), date(2026, 11, 19)),
        ("après-demain", date(2026, 11, 21), date(2026, 11, 21)),
        ("23/11", date(2026, 11, 23), date(2026, 11, 23)),
        ("2026-12-01", date(2026, 12, 1), date(2026, 12, 1)),
        ("on 5. Dezember", date(2026, 12, 5), date(2026, 12, 5)),
        ("by the end of the month", date(2026, 11, 30), date(2026, 11, 30)),
    ],
)
def test_dates_resolve_against_the_injected_today(text: str, start: date, end: date) -> None:
    (mention,) = extract_entities(text, THURSDAY).dates
    assert (mention.start, mention.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["only 2/3 pallets came", "call 06-12345678", "do you deliver on saturdays", "mon compte"]
)
def test_numbers_and_words_that_only_look_like_dates_are_not_dates(text: str) -> None:
    assert extract_entities(text, THURSDAY).dates == ()


def test_order_invoice_and_po_numbers_are_found_in_their_usual_forms() -> None:
    entities = extract_entities(
        "Order SO-2026-000123 and order 4711 were billed on INV-2026-000045, F2026/123 and invoice 45 (PO 88213, our ref 9001)",
        THURSDAY,
    )
    assert entities.order_numbers == ("SO-2026-000123", "4711")
    assert entities.invoice_numbers == ("INV-2026-000045", "F2026/123", "45")
    assert entities.po_numbers == ("88213", "9001")


def test_a_list_of_invoice_numbers_gives_each_number() -> None:
    assert extract_entities("Rechnungen 4410 und 4411", THURSDAY).invoice_numbers == ("4410", "4411")


def test_quantities_carry_their_unit_and_item() -> None:
    entities = extract_entities("40 cases of Heineken 24x33cl, 10 kegs Jupiler and 3 pallets", THURSDAY)
    assert [(q.amount, q.unit, q.item) for q in entities.quantities] == [
        (Decimal(40), "case", "Heineken 24x33cl"),
        (Decimal(10), "keg", "Jupiler"),
        (Decimal(3), "pallet", None),
    ]
    (pack,) = entities.pack_sizes
    assert (pack.units_per_pack, pack.unit_volume, pack.volume_unit) == (24, Decimal(33), "cl")


def test_dutch_french_and_german_units_map_to_the_same_units() -> None:
    entities = extract_entities("6 fusten, 4 casiers, 2 Paletten, 5 dozen", THURSDAY)
    assert [q.unit for q in entities.quantities] == ["keg", "crate", "pallet", "case"]


def test_a_code_times_count_line_is_a_quantity_of_that_code() -> None:
    entities = extract_entities("SKU 10045 x 12, SKU 10077 x 6", THURSDAY)
    assert [(q.item, q.amount) for q in entities.quantities] == [
        ("10045", Decimal(12)),
        ("10077", Decimal(6)),
    ]


def test_a_product_with_a_typo_is_matched_fuzzily() -> None:
    (match, *_) = extract_products("40 cases of Heinekn 24x33cl please", CATALOG)
    assert match.sku == "HNK-33-24"
    assert match.score >= 90


def test_a_product_is_matched_by_alias_sku_or_gtin() -> None:
    assert [m.sku for m in extract_products("6 kratten Leffe Bruin", CATALOG)] == ["LEF-BR"]
    assert [m.sku for m in extract_products("reorder HNK-33-24", CATALOG)] == ["HNK-33-24"]
    assert [m.sku for m in extract_products("GTIN 8712000000001", CATALOG)] == ["HNK-33-24"]


def test_a_close_but_different_product_is_not_matched() -> None:
    assert [m.sku for m in extract_products("6 crates of leffe blonde", CATALOG)] == ["LEF-BL"]


def test_entities_serialise_to_json_with_decimals_and_dates_as_strings() -> None:
    entities = extract_entities("paid €1.234,50 tomorrow for SO-2026-000123", THURSDAY, CATALOG)
    document = json.loads(entities.to_json())
    assert document["amounts"][0]["value"] == "1234.50"
    assert document["dates"][0]["start"] == "2026-11-20"
    assert entities.to_dict() == document
