"""What a conversation is about: the documents its last answers named, so a follow-up can point at them.

A customer writes "and the other one?" or "what about the second invoice?" after an answer that listed
invoices or orders. ``ConversationContext`` keeps, between turns, the intent of the last request, the
documents the answer referred to (``documents``, in the order they were shown) and the ones that answer
was about (``focus``). ``referred_to`` reads a follow-up that names no number and picks the documents it
means: an ordinal ("second", "tweede", "deuxième", "zweite", "last") picks by position; "the other
one" picks the shown documents the last answer was not about. A new answer that names only documents
already shown keeps the list and moves the focus, so "the other one" still has something to point at.
``only_points`` tells a bare pointer ("and the other one?", "en de tweede factuur?"), which asks nothing
of its own and so continues the last request, from a follow-up that also asks something.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_DOCUMENTS = 10

_ORDINALS: dict[int, tuple[str, ...]] = {
    1: ("first", "1st", "eerste", "premiere", "premier", "erste", "ersten"),
    2: ("second", "2nd", "tweede", "deuxieme", "seconde", "zweite", "zweiten"),
    3: ("third", "3rd", "derde", "troisieme", "dritte", "dritten"),
    4: ("fourth", "4th", "vierde", "quatrieme", "vierte", "vierten"),
    -1: ("last", "laatste", "derniere", "dernier", "letzte", "letzten"),
}
_OTHER = re.compile(r"\b(other|others|ander|andere|anderen|autre|autres)\b")
_INVOICE = re.compile(r"\b(invoices?|factuur|facturen|factures?|rechnung(en)?)\b")
_ORDER = re.compile(r"\b(orders?|bestelling(en)?|commandes?|bestellung(en)?|auftrag)\b")
_BOTH = re.compile(r"\b(both|all of them|beide|beiden|allebei|les deux|tous les deux|alle)\b")

_POINTER_FILLER = frozenset(
    """
    and what about how then also one ones the a an that this please pls
    en wat hoe zit met dan ook die dat de het een ene nog
    et quoi alors aussi le la les l un une de du des
    und was ist mit wie dann auch der die das den dem ein eine einen einer noch
""".split()
)
_WORDS = re.compile(r"[a-z0-9]+")


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def only_points(text: str) -> bool:
    """True when the message is nothing but a pointer: ordinals, "other", "both", document nouns, fillers."""
    plain = _plain(text)
    if not (_OTHER.search(plain) or _BOTH.search(plain) or _ordinal(set(_WORDS.findall(plain))) is not None):
        return False
    rest = _WORDS.sub(lambda m: "" if _is_pointer_word(m.group()) else m.group(), plain)
    return not _WORDS.search(rest)


def _is_pointer_word(word: str) -> bool:
    return (
        word in _POINTER_FILLER
        or _ordinal({word}) is not None
        or any(rx.fullmatch(word) for rx in (_OTHER, _BOTH, _INVOICE, _ORDER))
    )


def _ordinal(words: set[str]) -> int | None:
    return next((position for position, names in _ORDINALS.items() if words & set(names)), None)


@dataclass(frozen=True, slots=True)
class ConversationContext:
    """The last request's intent, the documents its answer showed, and the ones it was about."""

    intent: str | None = None
    documents: tuple[str, ...] = ()
    focus: tuple[str, ...] = ()

    def after(self, intent: str, referenced: list[str], named: list[str]) -> ConversationContext:
        """The context after an answer that referred to ``referenced``, the customer having ``named`` some."""
        shown = tuple(dict.fromkeys(referenced))[:MAX_DOCUMENTS]
        if not shown:
            return ConversationContext(intent, self.documents, self.focus)
        if set(shown) <= set(self.documents) and len(shown) < len(self.documents):
            return ConversationContext(intent, self.documents, shown)
        focus = tuple(d for d in shown if d in named) or (shown if len(shown) == 1 else ())
        return ConversationContext(intent, shown, focus)

    def referred_to(self, text: str, is_order: Callable[[str], bool]) -> tuple[str, ...]:
        """The shown documents a follow-up without numbers points at (empty when it points at none); a
        follow-up that says "invoice" or "order" counts among the shown documents of that kind only."""
        plain = _plain(text)
        if _INVOICE.search(plain):
            return self._kind(lambda d: not is_order(d))._pick(plain)
        if _ORDER.search(plain):
            return self._kind(is_order)._pick(plain)
        return self._pick(plain)

    def _pick(self, plain: str) -> tuple[str, ...]:
        if not self.documents:
            return ()
        position = _ordinal(set(re.findall(r"[a-z0-9]+", plain)))
        if position is not None:
            index = position - 1 if position > 0 else len(self.documents) - 1
            return (self.documents[index],) if index < len(self.documents) else ()
        if _BOTH.search(plain):
            return self.documents
        if _OTHER.search(plain):
            rest = tuple(d for d in self.documents if d not in self.focus)
            return rest[:1] if self.focus else self.documents[1:2]
        return ()

    def _kind(self, keep: Callable[[str], bool]) -> ConversationContext:
        return ConversationContext(
            self.intent, tuple(filter(keep, self.documents)), tuple(filter(keep, self.focus))
        )

    def to_dict(self) -> dict[str, Any]:
        return {"intent": self.intent, "documents": list(self.documents), "focus": list(self.focus)}

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> ConversationContext:
        stored = stored or {}
        return cls(
            stored.get("intent"), tuple(stored.get("documents") or ()), tuple(stored.get("focus") or ())
        )


@dataclass(frozen=True, slots=True)
class Topics:
    """Cues the intent alone does not carry: a question about held orders, a payment announced."""

    credit_hold: bool = False
    payment_announced: bool = False


_HOLD = re.compile(
    r"\b(on hold|hold(s|ing)? (up |back )?(our|my|the)|held|block(ed|ing)?|tegengehouden|tegenhouden|"
    r"houden .{0,30}tegen|geblokkeerd\w*|blokkeren|vastgehouden|bloque\w*|retenu\w*|"
    r"gesperrt\w*|zuruckgehalten\w*|zuruckhalten|halten .{0,30}zuruck|angehalten\w*)\b"
)
_PAID = re.compile(
    r"\b(we|i|have|has|had|already|just) (have |already |just )?(paid|transferred|sent the payment|settled)\b|"
    r"\b(betaald|overgemaakt|paye|payee|regle|vire|bezahlt|uberwiesen|beglichen)\b"
)


def topics_in(text: str) -> Topics:
    """The cues in a customer's message: a held-orders question, a payment announced."""
    plain = _plain(text)
    return Topics(credit_hold=bool(_HOLD.search(plain)), payment_announced=bool(_PAID.search(plain)))
