"""Embedded language understanding for customer messages: intents, entities, embeddings.

No LLM and no torch: a multilingual sentence encoder (Universal Sentence Encoder multilingual
v3, numpy forward pass) ships in ``multilingual_model/`` and feeds a small trained intent
classifier in ``intent_classifier.npz``; a static model distilled from all-MiniLM-L6-v2 in
``model/`` serves the knowledge base; entities come from rules. Nothing is loaded at import time; see README.md beside this file.

Public API:
- `classify(text) -> IntentResult` and `IntentClassifier` (intents.py);
- `extract_entities(text, today, catalog) -> Entities` and `extract_products` (entities.py);
- `Embedder`, `StaticEmbedder`, `default_embedder` (embeddings.py), `MultilingualEmbedder`,
  `multilingual_embedder` (multilingual.py);
- `classify_lines(lines, today)` (pipeline.py), `evaluate_nlu()` (evaluate.py),
  `retrain()` (train.py).
"""

from o2c.adapters.nlp.embeddings import Embedder, StaticEmbedder, default_embedder
from o2c.adapters.nlp.entities import Entities, extract_entities, extract_products
from o2c.adapters.nlp.intents import IntentClassifier, IntentResult, classify
from o2c.adapters.nlp.multilingual import MultilingualEmbedder, multilingual_embedder
from o2c.adapters.nlp.pipeline import classify_lines

__all__ = [
    "Embedder",
    "Entities",
    "IntentClassifier",
    "IntentResult",
    "MultilingualEmbedder",
    "StaticEmbedder",
    "classify",
    "classify_lines",
    "default_embedder",
    "extract_entities",
    "extract_products",
    "multilingual_embedder",
]
