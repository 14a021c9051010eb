"""BM25 (Okapi) over chunks, and the tokeniser it shares with the answerer.

Tokens are lower-case ASCII words with a light suffix stemmer ("releasing", "released" and
"release" meet at "releas") and a short stop-word list. Amounts are normalised so that "50k",
"50,000" and "50.000" are the same token. Scores follow Robertson's BM25 with the non-negative
idf ``log(1 + (N - df + 0.5) / (df + 0.5))``; ``k1`` and ``b`` take the usual defaults.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

STOP_WORDS = frozenset(
    "a an the and or but if of to in on at by for from with about as into than then so that this these "
    "those it its is are was were be been being do does did done have has had i we you he she they me us "
    "our your my their what which who whom whose when where why how can could should would may might must "
    "shall will there here any some all each every no not only also just very too up down out over again "
    "t s don didn doesn isn wasn aren won can get got need needs want wants please someone something anyone thing things one ok okay".split()
)

_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})(?:[.,](\d{3}))+(?![\d])")
_KILO = re.compile(r"\b(\d+)\s?k\b")
_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s", "e")


def normalise(text: str) -> str:
    """Lower-case ASCII with amounts written as plain digits."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(",", "").replace(".", ""), text)
    return _KILO.sub(lambda m: m.group(1) + "000", text)


def stem(word: str) -> str:
    """Strip one common English suffix, keeping at least three letters ("invoices" -> "invoic")."""
    if word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


def tokenize(text: str) -> list[str]:
    """Stemmed content words of a text, in order (stop words dropped)."""
    return [stem(word) for word in _WORD.findall(normalise(text)) if word not in STOP_WORDS]


class BM25:
    """An Okapi BM25 index over tokenised passages, scored in passage order."""

    def __init__(self, passages: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.frequencies = [Counter(tokens) for tokens in passages]
        self.lengths = [len(tokens) for tokens in passages]
        self.average_length = sum(self.lengths) / len(self.lengths) if self.lengths else 0.0
        self.document_frequency: Counter[str] = Counter()
        for frequency in self.frequencies:
            self.document_frequency.update(frequency.keys())

    def idf(self, term: str) -> float:
        """Rarity of a term; a term no passage contains gets the highest value."""
        n, df = len(self.frequencies), self.document_frequency.get(term, 0)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query: Sequence[str]) -> list[float]:
        """One score per passage (0.0 where no query term occurs)."""
        return [self._score(i, query) for i in range(len(self.frequencies))]

    def _score(self, index: int, query: Sequence[str]) -> float:
        frequency, length = self.frequencies[index], self.lengths[index]
        norm = self.k1 * (1.0 - self.b + self.b * length / (self.average_length or 1.0))
        total = 0.0
        for term in set(query):
            tf = frequency.get(term, 0)
            if tf:
                total += self.idf(term) * tf * (self.k1 + 1.0) / (tf + norm)
        return total
