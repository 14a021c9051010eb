"""Noise profiles of the cash bench: validated, shipped with sources, and read only by the generator."""

import json
import random
from pathlib import Path

import pytest

from o2c.bench import cash
from o2c.bench.cash_noise import ProfileError, load_profile, profile_schema, shipped_profile


@pytest.mark.parametrize("name", ["default", "harsh", "lumpy"])
def test_every_shipped_profile_is_valid(name):
    assert load_profile(shipped_profile(name)).name == name


def test_an_unknown_key_is_an_error_that_names_it(tmp_path: Path):
    text = shipped_profile("default").read_text().replace("parents_paying:", "parent_paying:")
    (tmp_path / "p.yaml").write_text(text)
    with pytest.raises(ProfileError, match="parent_paying"):
        load_profile(tmp_path / "p.yaml")


def test_a_share_above_one_is_refused(tmp_path: Path):
    text = shipped_profile("default").read_text().replace("parents_paying: 0.03", "parents_paying: 1.5")
    (tmp_path / "p.yaml").write_text(text)
    with pytest.raises(ProfileError, match="parents_paying"):
        load_profile(tmp_path / "p.yaml")


def test_the_schema_lists_every_kind_of_noise():
    schema = json.loads(profile_schema())
    assert {"bank_charges", "typos", "fx", "payer_names", "duplicate_remittances"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_the_generator_knows_nothing_of_the_matcher():
    source = Path(cash.__file__).read_text() + Path(cash.__file__).with_name("cash_noise.py").read_text()
    for name in ("MatchRules", "ONE_DIGIT_OFF", "EDITS_OFF", "match_payment", "load_match_rules"):
        assert name not in source


def test_typos_stay_within_the_profile_edit_distance():
    from rapidfuzz.distance import DamerauLevenshtein

    profile = load_profile(shipped_profile("harsh"))
    maker = cash.PaymentMaker(random.Random(5), profile, [], [])
    for _ in range(300):
        typo = maker._typo("INV-2026-004711")
        assert 0 < DamerauLevenshtein.distance(typo[4:].replace("-", ""), "2026004711") <= profile.typos.max_edits


def test_banks_transliterate_names_to_latin_letters():
    assert cash.transliterate("Müller Straße Épicerie S.à r.l.") == "MUELLER STRASSE EPICERIE S.A R.L."
