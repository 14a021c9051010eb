"""The multilingual encoder the intent classifier reads with: offline, lazy, small, cross-lingual."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from o2c.adapters.nlp.intents import default_classifier
from o2c.adapters.nlp.multilingual import DIMENSION, ENCODER_PATH, MultilingualEmbedder, MultilingualEncoder

SHIP_LIMIT_BYTES = 32 * 1024 * 1024


@pytest.fixture(scope="module")
def embedder() -> MultilingualEmbedder:
    return MultilingualEmbedder()


def test_the_encoder_loads_from_the_package_with_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    vectors = MultilingualEmbedder().embed(["Where is my order?", "Waar blijft mijn bestelling?"])
    assert vectors.shape == (2, DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_the_encoder_is_loaded_on_first_use_not_when_the_embedder_is_made() -> None:
    embedder = MultilingualEmbedder()
    assert embedder._encoder is None
    embedder.embed(["hello"])
    assert embedder._encoder is not None


def test_a_missing_encoder_file_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no multilingual encoder"):
        MultilingualEncoder(tmp_path / "encoder.npz")


def test_a_translation_is_closer_than_an_unrelated_message_in_the_same_language(
    embedder: MultilingualEmbedder,
) -> None:
    cancel_en, cancel_de, cancel_fr, invoice_de = embedder.embed(
        ["Please cancel my order", "Bitte stornieren Sie meine Bestellung",
         "Merci d'annuler ma commande", "Die Rechnung ist falsch"]
    )
    assert cancel_en @ cancel_de > invoice_de @ cancel_de
    assert cancel_en @ cancel_fr > cancel_en @ invoice_de


def test_a_text_embeds_the_same_alone_and_in_a_batch(embedder: MultilingualEmbedder) -> None:
    texts = ["Waar blijft bestelling SO-2026-000123?", "ok", "Facture F2026/123 en PDF svp, merci !" * 20]
    batch = embedder.embed(texts)
    alone = np.vstack([embedder.embed([text]) for text in texts])
    assert np.allclose(batch, alone, atol=1e-5)


def test_an_empty_or_unreadable_text_still_gets_a_unit_vector(embedder: MultilingualEmbedder) -> None:
    vectors = embedder.embed(["", "   ", "Привет"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_the_shipped_classifier_was_trained_on_vectors_of_this_encoder() -> None:
    assert default_classifier().model.w_embedding.shape[0] == DIMENSION


def test_the_shipped_encoder_is_small_enough_to_live_in_the_package() -> None:
    assert ENCODER_PATH.stat().st_size <= SHIP_LIMIT_BYTES
