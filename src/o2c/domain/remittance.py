"""Remittance information: who paid (payer identification) and what for (references in noisy text).

Payers write invoice numbers with or without their prefix ("INV-2026-000123", "2026-000123",
"000123", "inv 2026000123"), several in one line, with typos, next to amounts, PO numbers, our
order numbers and their customer number. ``read_references`` returns every candidate it sees, each
tagged with what kind of key it is; only the matching engine, which knows the open items, decides
which of them are real.

Payer identification: a bank account seen before (master data or a confirmed payment) identifies the
payer outright; a name a person confirmed once (an alias) nearly so; otherwise the payer name is
compared with every customer's name after legal forms, punctuation and common abbreviations are
taken out. A parent company paying for its subsidiaries is one payer whose group holds the
subsidiaries' open items.

Invariants: reading and identification are pure and deterministic, every guess says why in
words; amounts in the text ("1.234,56") are never read as references; a document number's ``full`` key is its year and sequence digits, its ``seq`` key the
sequence digits alone.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

_AMOUNT = re.compile(r"\d{1,3}(?:[.,' ]\d{3})*[.,]\d{2}(?!\d)")
_ORDER = re.compile(r"\bSO[\s\-/:#]*0*(\d{1,6})\b")
_PO = re.compile(r"\bP\.?\s?O\.?[\s\-/:#NR.]*(\d{4,10}(?:\s*[,;/&+ ]\s*\d{4,10})*)\b")  # "PO 4711, 4712"
_CUSTOMER = re.compile(r"\b(?:C|CUST(?:OMER)?\.?\s*(?:NO|NR)?\.?\s*:?\s*)[\s\-]?(\d{5})\b")
_DIGIT_RUN = re.compile(r"\d+(?:[\-/. ]\d+)*")
_SPLIT = re.compile(r"[\-/. ]")
_DOCUMENT = re.compile(r"^(?P<series>[A-Z]{2,4})-(?P<year>\d{4})-(?P<seq>\d{6})$")
FULL_DIGITS = 10
SEQ_DIGITS = 6

_LEGAL_FORMS = frozenset({
    "bv", "nv", "vof", "gmbh", "ag", "kg", "ohg", "ug", "ev", "ltd", "limited", "plc", "llp", "llc", "inc",
    "corp", "corporation", "co", "company", "sa", "sas", "sarl", "srl", "spa", "sl", "bvba", "cv", "ab", "as",
    "oy", "aps", "sp", "zoo", "the", "und", "en", "and", "et", "cie",
})
_ABBREVIATIONS = {
    "intl": "international", "int": "international", "dist": "distribution", "distr": "distribution",
    "grp": "group", "hldg": "holding", "hldgs": "holdings", "svc": "services", "svcs": "services",
    "mkt": "market", "mkts": "markets", "bros": "brothers", "st": "street", "cafe": "cafe",
    "rest": "restaurant", "whs": "wholesale", "whsl": "wholesale", "supermkt": "supermarket",
}


@dataclass(frozen=True, slots=True)
class References:
    """Candidate keys found in a text; ``digits`` are invoice-like digit strings, longest first."""

    digits: tuple[str, ...] = ()
    orders: tuple[str, ...] = ()
    purchase_orders: tuple[str, ...] = ()
    customers: tuple[str, ...] = ()
    documents: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.digits or self.orders or self.purchase_orders or self.customers or self.documents)


def document_keys(number: str) -> tuple[str, str] | None:
    """(full, seq) digit keys of a document number such as INV-2026-000123, or None."""
    found = _DOCUMENT.match(number)
    if found is None:
        return None
    return found["year"] + found["seq"], found["seq"]


def read_references(*texts: str | None) -> References:
    """Every reference-like key in the texts (remittance text, end-to-end id, structured lines)."""
    text = " ".join(t for t in texts if t).upper()
    documents = tuple(dict.fromkeys(m.group(0) for m in re.finditer(r"\b[A-Z]{2,4}-\d{4}-\d{6}\b", text)))
    orders = tuple(dict.fromkeys(f"SO-{int(m[1]):06d}" for m in _ORDER.finditer(text)))
    purchase_orders = tuple(dict.fromkeys(f"PO{n}" for m in _PO.finditer(text) for n in re.findall(r"\d{4,10}", m[1])))
    customers = tuple(dict.fromkeys(f"C{m[1]}" for m in _CUSTOMER.finditer(text)))
    rest = _CUSTOMER.sub(" ", _PO.sub(" ", _ORDER.sub(" ", _AMOUNT.sub(" ", text))))
    return References(_digit_keys(rest), orders, purchase_orders, customers, documents)


def _digit_keys(text: str) -> tuple[str, ...]:
    """Digit strings that could be document numbers: each run's parts and adjacent pairs joined. A part
    longer than any document number is kept too (a number with digits typed twice is still a number the
    payer quoted, and what it names must be found or the payment explained without it)."""
    keys: list[str] = []
    for run in _DIGIT_RUN.finditer(text):
        parts = [p for p in _SPLIT.split(run.group(0)) if p]
        keys += [p for p in parts if len(p) >= 3]
        keys += [a + b for a, b in itertools.pairwise(parts) if 3 <= len(a + b) <= FULL_DIGITS + 1]
    return tuple(sorted(dict.fromkeys(keys), key=lambda k: (-len(k), k)))


def normalise_name(name: str) -> str:
    """A payer name without accents, punctuation, legal forms and common abbreviations."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"(?<=\b[a-z])\.(?=[a-z]\b)", "", plain)
    words = re.split(r"[^a-z0-9]+", plain.replace("&", " "))
    kept = [_ABBREVIATIONS.get(w, w) for w in words if w and w not in _LEGAL_FORMS]
    return " ".join(kept)

NAME_CUTOFF = 86.0
PREFIX_LENGTH = 15  # a name cut shorter than this says too little to name one customer
# what banks restricted to Latin letters print for letters they lack (EPC's SEPA character set)
_SPELT_OUT = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Ø": "OE", "Å": "AA", "Æ": "AE", "Ł": "L"}


def printed_names(name: str) -> tuple[str, ...]:
    """A name as a bank may print it: upper case, letters and digits separated by single spaces,
    accents dropped, or umlauts spelt out (Ü as UE); the accents-dropped form first."""
    forms = []
    for spelt in (name.upper(), "".join(_SPELT_OUT.get(ch, ch) for ch in name.upper())):
        plain = unicodedata.normalize("NFKD", spelt.replace("ß", "SS")).encode("ascii", "ignore").decode()
        forms.append(" ".join(re.split(r"[^A-Z0-9]+", plain)).strip())
    return tuple(dict.fromkeys(forms))


@dataclass(frozen=True, slots=True)
class Payer:
    """A customer as cash application sees it: names, accounts and the group it pays for."""

    id: str
    name: str
    currency: str
    accounts: tuple[str, ...] = ()
    parent_id: str | None = None
    aliases: tuple[str, ...] = ()
    discount_days: int = 0
    discount_percent: str = "0"
    segment: str | None = None


@dataclass(frozen=True, slots=True)
class PayerGuess:
    """Who may have paid, how sure, and why; ``from_references`` when it was read off the invoices quoted
    (then it is no independent evidence that those invoices are the payer's)."""

    payer_id: str
    confidence: float
    why: str
    from_references: bool = False


def plain_account(account: str | None) -> str:
    return "".join(ch for ch in (account or "").upper() if ch.isalnum())


class PayerDirectory:
    """Every payer, indexed by account, by learned alias and by normalised name."""

    def __init__(self, payers: Iterable[Payer]) -> None:
        self.payers = {p.id: p for p in payers}
        self.by_account: dict[str, str] = {}
        self.by_alias: dict[str, str] = {}
        self.children: dict[str, list[str]] = defaultdict(list)
        names: dict[str, list[str]] = defaultdict(list)
        for payer in self.payers.values():
            for account in payer.accounts:
                self.by_account[plain_account(account)] = payer.id
            for alias in payer.aliases:
                self.by_alias[normalise_name(alias)] = payer.id
            names[normalise_name(payer.name)].append(payer.id)
            if payer.parent_id:
                self.children[payer.parent_id].append(payer.id)
        self._names = dict(names)
        self._choices = list(self._names)
        self._printed = sorted({(printed, p.id) for p in self.payers.values() for printed in printed_names(p.name)})
        self._printed_keys = [printed for printed, _ in self._printed]

    def group(self, payer_id: str) -> list[str]:
        """The payer and the subsidiaries it may pay for."""
        return [payer_id, *sorted(self.children.get(payer_id, ()))]

    def identify(self, name: str | None, account: str | None) -> list[PayerGuess]:
        """Guesses, best first: account, learned alias, then names that look alike."""
        key = plain_account(account)
        if key and key in self.by_account:
            found = self.payers[self.by_account[key]]
            return [PayerGuess(found.id, 1.0, f"account {account} belongs to {found.name}")]
        plain = normalise_name(name or "")
        if plain in self.by_alias:
            found = self.payers[self.by_alias[plain]]
            return [PayerGuess(found.id, 0.97, f"'{name}' was confirmed before as {found.name}")]
        return self._by_name(name or "", plain)

    def _cut_short(self, name: str) -> PayerGuess | None:
        """The one customer whose name, as banks print it, starts with ``name``: a statement field cut
        the name off (at 18, 35 or 70 characters). Too short a start, or one two customers share, is no
        evidence."""
        shown = printed_names(name)[0]
        if len(shown) < PREFIX_LENGTH:
            return None
        start, end = bisect_left(self._printed_keys, shown), bisect_left(self._printed_keys, shown + "\x7f")
        owners = {pid for _, pid in self._printed[start:end]}
        if len(owners) != 1:
            return None
        found = self.payers[owners.pop()]
        return PayerGuess(found.id, 0.95, f"payer name '{name}' is the start of {found.name}, and of no other customer's")

    def _by_name(self, name: str, plain: str) -> list[PayerGuess]:
        if len(plain) < 3:
            return []
        guesses: list[PayerGuess] = []
        cut = self._cut_short(name)
        if cut is not None:
            guesses.append(cut)
        hits = process.extract(plain, self._choices, scorer=fuzz.token_sort_ratio, limit=3, score_cutoff=70)
        exact = self._names.get(plain, [])
        for choice, score, _ in hits:
            set_score = fuzz.token_set_ratio(plain, choice)
            combined = (score + set_score) / 2
            if combined < NAME_CUTOFF:
                continue
            for payer_id in self._names[choice]:
                if choice == plain and len(exact) == 1:  # the customer's name, and no other customer's
                    guesses.append(PayerGuess(payer_id, 0.95, f"payer name '{name}' is the name of "
                                              f"{self.payers[payer_id].name}, and of no other customer"))
                    continue
                share = 1 if choice != plain else len(exact)
                confidence = round(min(0.9, combined / 100 - 0.05) / share, 3)
                guesses.append(PayerGuess(payer_id, confidence,
                                          f"payer name '{name}' looks like {self.payers[payer_id].name} "
                                          f"({combined:.0f}%)"))
        best: dict[str, PayerGuess] = {}
        for g in sorted(guesses, key=lambda g: -g.confidence):
            best.setdefault(g.payer_id, g)
        return list(best.values())
