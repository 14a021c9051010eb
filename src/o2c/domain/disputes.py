"""Disputes and deductions: why a customer does not pay (in full), what the records say, what to do.

A case (``payments.Case``) opens from a short pay, a customer's reply or a complaint. Its reason is a
``ReasonCode``, read from the customer's words by ``classify_reason`` (English, Dutch, French, German;
tolerant of one typo in longer words). ``Evidence`` gathers what the company's own records show —
proof of delivery, the price list and promotion in force on the order date, the invoice lines, the
order's source — and ``propose_resolution`` turns reason + evidence into one ``Resolution``: a credit
note, a rebill, a rejection with the evidence, a write-off under the threshold, or a person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from o2c.domain.money import Money


class ReasonCode(StrEnum):
    PRICE = "price"
    PROMOTION = "promotion"
    SHORTAGE = "shortage"
    DAMAGE = "damage"
    DUPLICATE = "duplicate"
    TAX = "tax"
    NOT_ORDERED = "not_ordered"
    OTHER = "other"


class ResolutionKind(StrEnum):
    CREDIT_NOTE = "credit_note"
    REBILL = "rebill"
    REJECT = "reject"
    WRITE_OFF = "write_off"
    PERSON = "person"


# Word stems per reason; a text matches a stem when one of its words starts with it (or is one edit
# away for stems of six letters or more). Order matters only for ties: the first reason wins.
REASON_WORDS: dict[ReasonCode, tuple[str, ...]] = {
    ReasonCode.DUPLICATE: ("=duplicate", "twice", "double", "dubbel", "tweemaal", "twee keer", "deux fois",
                           "en double", "doublon", "zweimal", "doppelt", "already invoiced", "al gefactureerd",
                           "deja facture", "bereits berechnet", "same invoice", "dezelfde factuur"),
    ReasonCode.TAX: ("vat", "btw", "tva", "mwst", "ust", "tax", "belasting", "taxe", "steuer",
                     "reverse charge", "verlegd", "autoliquidation", "exempt", "vrijgesteld", "exonere",
                     "steuerfrei"),
    ReasonCode.PROMOTION: ("promo", "promotion", "actie", "aktion", "korting", "discount", "remise",
                           "rabatt", "offer", "aanbieding", "angebot", "deal", "reduction", "ristourne"),
    ReasonCode.PRICE: ("price", "prijs", "prix", "preis", "tarif", "overcharg", "too expensive",
                       "te duur", "trop cher", "zu teuer", "agreed rate", "=contract", "afgesproken",
                       "convenu", "vereinbart", "pricing", "gerekend", "berechnet"),
    ReasonCode.SHORTAGE: ("short", "missing", "not delivered", "ontbr", "ontbreken", "te weinig", "niet geleverd",
                          "manqu", "pas livre", "non livre", "fehlt", "fehlen", "nicht geliefert",
                          "zu wenig", "less than", "minder", "incomplete", "onvolledig", "incomplet",
                          "unvollstandig", "=only", "only received", "alleen ontvangen", "recu que", "nur erhalten"),
    ReasonCode.DAMAGE: ("damage", "broken", "leak", "beschadig", "kapot", "gebroken", "lek", "=casse",
                        "endommag", "abime", "fuite", "beschadigt", "kaputt", "zerbrochen", "undicht",
                        "beschadigung", "spoiled", "expired", "bedorven", "verlopen", "perime", "abgelaufen",
                        "defect", "defekt", "defectueux", "crushed", "dented"),
    ReasonCode.NOT_ORDERED: ("not ordered", "never ordered", "niet besteld", "nooit besteld", "pas commande",
                             "jamais commande", "nicht bestellt", "nie bestellt", "didn't order",
                             "did not order", "no order", "geen bestelling", "aucune commande",
                             "keine bestellung", "unordered", "not ours", "niet van ons"),
}


def normalise(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces: 'Beschädigt!' -> 'beschadigt'."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).replace("ß", "ss")
    return " ".join(re.sub(r"[^a-z0-9']+", " ", plain).split())


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                                   and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _word_matches(word: str, stem: str, fuzzy: bool) -> bool:
    if word.startswith(stem):
        return True
    n = len(stem)
    return fuzzy and n >= 5 and any(_one_edit(word[:k], stem) for k in (n - 1, n, n + 1))


def stem_in(stem: str, words: list[str], text: str = "") -> bool:
    """Whether ``stem`` occurs in the normalised ``words``: each of its words as the prefix of consecutive
    words, one typo allowed in words of five letters or more; a leading '=' asks for exact prefixes."""
    fuzzy = not stem.startswith("=")
    parts = stem.lstrip("=").split()
    for i in range(len(words) - len(parts) + 1):
        if all(_word_matches(words[i + k], part, fuzzy) for k, part in enumerate(parts)):
            return True
    return False


def score_words(text: str, vocabulary: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """How many stems of each class occur in ``text`` (normalised first)."""
    words = normalise(text).split()
    return {name: sum(1 for stem in stems if stem_in(stem, words)) for name, stems in vocabulary.items()}


def classify_reason(text: str) -> tuple[ReasonCode, float]:
    """The dispute reason the customer's words point to, and how clearly (0..1)."""
    scores = score_words(text, {r.value: stems for r, stems in REASON_WORDS.items()})
    best = max(scores.items(), key=lambda kv: kv[1])
    if best[1] == 0:
        return ReasonCode.OTHER, 0.3
    runner_up = sorted(scores.values())[-2]
    return ReasonCode(best[0]), 0.9 if best[1] > runner_up else 0.6


@dataclass(frozen=True, slots=True)
class InvoicedLine:
    sku: str
    quantity: Decimal
    unit_price: Decimal
    list_price: Decimal | None = None
    promotion_id: str | None = None
    delivered: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the records show about a disputed invoice (all optional: absent facts prove nothing)."""

    invoice_number: str
    gross: Money
    lines: tuple[InvoicedLine, ...] = ()
    pod_reference: str | None = None
    order_source: str | None = None
    po_number: str | None = None
    price_list_prices: dict[str, Decimal] = field(default_factory=dict)
    promotions_in_force: dict[str, Decimal] = field(default_factory=dict)
    duplicates: tuple[str, ...] = ()
    tax_note: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"invoice": self.invoice_number, "gross": str(self.gross), "pod": self.pod_reference,
                "order_source": self.order_source, "po": self.po_number,
                "lines": [f"{ln.sku} x{ln.quantity} @ {ln.unit_price}" for ln in self.lines],
                "price_list": {k: str(v) for k, v in self.price_list_prices.items()},
                "promotions_in_force": {k: str(v) for k, v in self.promotions_in_force.items()},
                "duplicates": list(self.duplicates)}


@dataclass(frozen=True, slots=True)
class Resolution:
    kind: ResolutionKind
    amount: Money | None
    reason: str
    confidence: float


def overcharge(evidence: Evidence) -> Decimal:
    """Net amount invoiced above the price list in force (per unit x quantity), never negative."""
    extra = Decimal(0)
    for ln in evidence.lines:
        listed = evidence.price_list_prices.get(ln.sku)
        if listed is not None and ln.unit_price > listed:
            extra += (ln.unit_price - listed) * ln.quantity
    return extra


def missed_promotion(evidence: Evidence) -> Decimal:
    """Net discount a promotion in force would have given on lines invoiced without it."""
    missed = Decimal(0)
    for ln in evidence.lines:
        percent = evidence.promotions_in_force.get(ln.sku)
        if percent and ln.promotion_id is None:
            missed += (ln.unit_price * ln.quantity * percent / 100)
    return missed


def _capped(claimed: Money, value: Decimal) -> Money:
    found = Money(value, claimed.currency).quantize()
    return found if found < claimed else claimed


def propose_resolution(reason: ReasonCode, claimed: Money, evidence: Evidence,
                       write_off_limit: Money | None) -> Resolution:
    """One proposal from the reason and the evidence; the policy gate decides whether it needs a person."""
    small = write_off_limit is not None and claimed.currency == write_off_limit.currency \
        and claimed <= write_off_limit
    if reason is ReasonCode.DUPLICATE:
        if evidence.duplicates:
            return Resolution(ResolutionKind.CREDIT_NOTE, claimed,
                              f"billed twice: same delivery also on {', '.join(evidence.duplicates)}", 0.95)
        return Resolution(ResolutionKind.REJECT, None, "no other invoice for the same delivery or order", 0.8)
    if reason is ReasonCode.PRICE:
        extra = overcharge(evidence)
        if extra > 0:
            return Resolution(ResolutionKind.CREDIT_NOTE, _capped(claimed, extra),
                              f"invoiced {extra} net above the price list in force", 0.9)
    if reason is ReasonCode.PROMOTION:
        missed = missed_promotion(evidence)
        if missed > 0:
            return Resolution(ResolutionKind.CREDIT_NOTE, _capped(claimed, missed),
                              f"promotion in force not applied: {missed} net", 0.9)
    if reason in (ReasonCode.SHORTAGE, ReasonCode.DAMAGE) and evidence.pod_reference is None:
        return Resolution(ResolutionKind.CREDIT_NOTE, claimed, "no proof of delivery on file", 0.8)
    if reason is ReasonCode.TAX:
        return Resolution(ResolutionKind.REBILL, evidence.gross, "tax treatment questioned: credit and reissue", 0.6)
    if small:
        return Resolution(ResolutionKind.WRITE_OFF, claimed, f"{claimed} is under the write-off threshold", 0.9)
    if reason is ReasonCode.DAMAGE:
        return Resolution(ResolutionKind.CREDIT_NOTE, claimed, "damage reported after a clean POD: credit", 0.7)
    if reason in (ReasonCode.SHORTAGE, ReasonCode.PRICE, ReasonCode.PROMOTION):
        return Resolution(ResolutionKind.REJECT, None, _reject_reason(reason, evidence), 0.85)
    if reason is ReasonCode.NOT_ORDERED and (evidence.order_source or evidence.po_number):
        return Resolution(ResolutionKind.REJECT, None,
                          f"ordered through {evidence.order_source or 'PO'} {evidence.po_number or ''}".strip(), 0.85)
    return Resolution(ResolutionKind.PERSON, claimed, "no rule settles this case", 0.5)


def _reject_reason(reason: ReasonCode, evidence: Evidence) -> str:
    return {ReasonCode.SHORTAGE: f"signed proof of delivery {evidence.pod_reference} shows full delivery",
            ReasonCode.PRICE: "invoiced at the price list in force on the order date",
            ReasonCode.PROMOTION: "no promotion in force for these items on the order date"}[reason]


def root_causes(reasons: Iterable[str]) -> dict[str, int]:
    """Counts per reason code, most frequent first (for reporting)."""
    counts: dict[str, int] = {}
    for reason in reasons:
        counts[reason] = counts.get(reason, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
