"""Customer notices in four languages, and operational events from a file drop."""

import json
from datetime import date

import pytest

from o2c.domain import operations as op
from o2c.domain.errors import DomainError
from o2c.services.notices import OrderNotice, render_notice
from o2c.services.operations import parse_file

ORDERS = [OrderNotice("SO-1", date(2026, 9, 4), "substitute_item", {"items": "COLA -> COLA2"},
                      pending=(("emergency_delivery", {"date": "2026-09-02"}),))]


@pytest.mark.parametrize(("language", "subject", "words"), [
    ("en", "Update on your order SO-1", "equivalent product"),
    ("nl", "Update over uw bestelling SO-1", "gelijkwaardig product"),
    ("de", "Neuigkeiten zu Ihrer Bestellung SO-1", "gleichwertiges Produkt"),
    ("fr", "Information sur votre commande SO-1", "produit équivalent"),
])
def test_a_notice_says_what_happened_what_was_done_and_what_to_choose_in_the_customers_language(
        language, subject, words):
    title, body = render_notice(language, "Bar Jansen", "stockout", ORDERS)
    assert title == subject and words in body and "COLA -> COLA2" in body and "2026-09-02" in body


def test_an_unknown_language_falls_back_to_english():
    assert render_notice("es", "Bar", "carrier_delay", ORDERS)[0] == "Update on your order SO-1"


def test_a_json_and_a_csv_file_drop_become_typed_events(tmp_path):
    drop = tmp_path / "wms.json"
    drop.write_text(json.dumps([{"kind": "stockout", "ref": "w1", "warehouse": "RTM", "sku": "COLA",
                                 "expected_back": "2026-09-05"}]))
    csv_drop = tmp_path / "mes.csv"
    csv_drop.write_text("kind,line,skus,expected_hours\nline_breakdown,L3,COLA;WATER,36\n")
    assert parse_file(drop) == [("file:w1", op.Stockout("RTM", "COLA", date(2026, 9, 5)))]
    assert parse_file(csv_drop) == [("file:mes.csv#1", op.LineBreakdown("L3", ("COLA", "WATER"), 36))]


def test_a_bad_record_in_a_file_drop_is_named(tmp_path):
    drop = tmp_path / "x.json"
    drop.write_text('[{"kind": "stockout", "warehouse": "RTM", "sku": "COLA"}, {"kind": "flood"}]')
    with pytest.raises(DomainError, match=r"x\.json record 2: unknown operational event kind 'flood'"):
        parse_file(drop)
