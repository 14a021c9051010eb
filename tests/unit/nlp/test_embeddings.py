"""The embedded static embedding model: loads from the package, offline, lazily, small."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from o2c.adapters.nlp.embeddings import MODEL_DIR, StaticEmbedder, load_static_model

SHIP_LIMIT_BYTES = 16 * 1024 * 1024


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_the_model_loads_from_the_package_folder_with_no_network(no_network: None) -> None:
    embedder = StaticEmbedder(MODEL_DIR)
    vectors = embedder.embed(["Where is my order?", "Waar blijft mijn bestelling?"])
    assert vectors.shape == (2, embedder.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_the_model_is_loaded_on_first_use_not_when_the_embedder_is_made() -> None:
    embedder = StaticEmbedder(MODEL_DIR)
    assert embedder._model is None
    embedder.embed(["hello"])
    assert embedder._model is not None


def test_a_missing_model_folder_fails_clearly_instead_of_reaching_a_hub(tmp_path: object) -> None:
    with pytest.raises(FileNotFoundError, match="no static embedding model"):
        load_static_model(tmp_path)  # type: ignore[arg-type]


def test_dutch_french_and_german_phrases_get_usable_unit_vectors() -> None:
    texts = ["Graag bestelling annuleren", "Merci d'annuler la commande", "Bitte die Bestellung stornieren"]
    vectors = StaticEmbedder(MODEL_DIR).embed(texts)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_are_closer_than_unrelated_messages() -> None:
    vectors = StaticEmbedder(MODEL_DIR).embed(
        ["Please cancel my order", "I want to cancel the order", "The invoice amount is wrong"]
    )
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_the_shipped_model_is_small_enough_to_live_in_the_package() -> None:
    size = sum(path.stat().st_size for path in MODEL_DIR.rglob("*") if path.is_file())
    assert size <= SHIP_LIMIT_BYTES
