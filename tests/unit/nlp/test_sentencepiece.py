"""The pure-Python SentencePiece tokenizer of the multilingual encoder."""

from __future__ import annotations

import pytest

from o2c.adapters.nlp.multilingual import MultilingualEncoder
from o2c.adapters.nlp.sentencepiece import BOS, EOS, UNKNOWN, UnigramTokenizer


@pytest.fixture(scope="module")
def tokenizer() -> UnigramTokenizer:
    return MultilingualEncoder().tokenizer


def test_pieces_spell_the_normalised_text_between_bos_and_eos(tokenizer: UnigramTokenizer) -> None:
    ids = tokenizer.encode("Waar  blijft bestelling 4711?")
    assert ids[0] == BOS and ids[-1] == EOS
    assert "".join(tokenizer.pieces[i] for i in ids[1:-1]) == "\u2581Waar\u2581blijft\u2581bestelling\u25814711?"


def test_accents_and_typos_still_split_into_known_pieces(tokenizer: UnigramTokenizer) -> None:
    for text in ("Où est ma commande ?", "Rückruf erwünscht", "wheres my ordr"):
        assert UNKNOWN not in tokenizer.encode(text)


def test_a_blank_text_is_one_unknown_piece(tokenizer: UnigramTokenizer) -> None:
    assert tokenizer.encode("   ") == [BOS, UNKNOWN, EOS]
