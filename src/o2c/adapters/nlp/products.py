"""Product mentions matched against a catalogue, tolerant of typos (rapidfuzz).

A catalogue entry is ``(sku, name, gtin, aliases)``. A message mentions a product when it
contains the SKU or GTIN exactly, or a run of words close to the name or an alias (``fuzz.ratio``
with ``processor=default_process``, so case and punctuation do not count). Each product is
reported once, with its best score, best first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

CatalogEntry = tuple[str, str, str | None, Sequence[str]]
DEFAULT_CUTOFF = 85.0
_WORD = re.compile(r"[\w][\w'./-]*\w|\w")


@dataclass(frozen=True)
class ProductMatch:
    """A catalogue product found in a message, with how closely it matched (0-100)."""

    sku: str
    name: str
    score: float
    matched_text: str


def _windows(words: list[str], size: int) -> list[str]:
    sizes = {max(1, size - 1), size, size + 1}
    return [" ".join(words[i : i + n]) for n in sorted(sizes) for i in range(len(words) - n + 1)]


def _exact_code(words: list[str], entry: CatalogEntry) -> ProductMatch | None:
    sku, name, gtin, _ = entry
    codes = {sku.lower()} | ({gtin} if gtin else set())
    hit = next((w for w in words if w.lower() in codes), None)
    return ProductMatch(sku, name, 100.0, hit) if hit else None


def _fuzzy(words: list[str], entry: CatalogEntry, cutoff: float) -> ProductMatch | None:
    sku, name, _, aliases = entry
    best: ProductMatch | None = None
    for phrase in (name, *aliases):
        windows = _windows(words, len(phrase.split()))
        found = process.extractOne(
            phrase, windows, scorer=fuzz.ratio, processor=default_process, score_cutoff=cutoff
        )
        if found and (best is None or found[1] > best.score):
            best = ProductMatch(sku, name, round(float(found[1]), 1), found[0])
    return best


def extract_products(
    text: str, catalog: Iterable[CatalogEntry], cutoff: float = DEFAULT_CUTOFF
) -> list[ProductMatch]:
    """Catalogue products mentioned in `text`, best match first."""
    words = _WORD.findall(text)
    if not words:
        return []
    matches = []
    for entry in catalog:
        match = _exact_code(words, entry) or _fuzzy(words, entry, cutoff)
        if match:
            matches.append(match)
    return sorted(matches, key=lambda m: -m.score)
