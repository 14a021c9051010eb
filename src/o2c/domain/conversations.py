"""Customer conversations: who is talking, what was said and answered, and when to ask or hand over.

A ``Conversation`` belongs to at most one customer, fixed once identified (by login, or by the sender's
address plus a detail only that customer knows: postcode, VAT id, customer id or one of its own
document numbers). Its turns are append-only. A reading below ``CLARIFY_BELOW`` (or, for a request
that changes something, below ``ACT_BELOW``) gets a clarifying question; ``HAND_OVER_AFTER`` unclear
turns in a row go to a person. Customer text is untrusted: ``injection_signals`` names the attempts
to instruct the agent, which are refused and logged; they never widen what the agent may do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from o2c.domain.conversation_context import ConversationContext

LANGUAGES = ("en", "nl", "fr", "de")
CLARIFY_BELOW = 0.65
ACT_BELOW = 0.8
HAND_OVER_AFTER = 2
UNSURE = "unsure"
ACTING_INTENTS = frozenset({"report_problem", "place_order", "change_order", "cancel_order", "refund_request"})
OPEN_TO_ANYONE = frozenset({"delivery_options", "talk_to_person", "account_access", "other"})


class ConversationStatus(StrEnum):
    OPEN = "open"
    HANDED_OVER = "handed_over"


@dataclass(frozen=True, slots=True)
class Reading:
    """What a message asks for (one of the intents, or ``unsure``) and how sure the reader is."""

    intent: str
    confidence: float
    source: str = "embedded"


class Understanding(Protocol):
    """The port that reads a customer message: the embedded model by default, an LLM when configured."""

    def read(self, text: str) -> Reading:
        ...


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    channel: str
    started_at: datetime
    customer_id: str | None = None
    sender: str | None = None
    language: str = "en"
    verified: bool = False
    status: ConversationStatus = ConversationStatus.OPEN
    unsure_streak: int = 0
    awaiting: str | None = None
    turns: int = 0
    context: ConversationContext = field(default_factory=ConversationContext)

    def identified(self, customer_id: str, language: str, verified: bool) -> Conversation:
        return replace(self, customer_id=customer_id, language=language if language in LANGUAGES else "en",
                       verified=self.verified or verified)

    def after_turn(self, clear: bool, awaiting: str | None, handed_over: bool,
                   context: ConversationContext | None = None) -> Conversation:
        """The state after one exchange (a customer turn and the agent's reply)."""
        status = ConversationStatus.HANDED_OVER if handed_over else self.status
        return replace(self, unsure_streak=0 if clear else self.unsure_streak + 1, awaiting=awaiting,
                       status=status, turns=self.turns + 2, context=context or self.context)

    @property
    def should_hand_over(self) -> bool:
        """True when this unclear turn would be one too many."""
        return self.unsure_streak + 1 >= HAND_OVER_AFTER


@dataclass(frozen=True, slots=True)
class Turn:
    conversation_id: str
    seq: int
    at: datetime
    speaker: str
    text: str
    intent: str | None = None
    confidence: float | None = None
    action: str | None = None
    outcome: str | None = None
    flags: tuple[str, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict)


def is_clear(reading: Reading) -> bool:
    """Sure enough to answer (and, for a change, to propose it) without asking first."""
    if reading.intent == UNSURE or reading.confidence < CLARIFY_BELOW:
        return False
    return reading.intent not in ACTING_INTENTS or reading.confidence >= ACT_BELOW


# --- untrusted text -----------------------------------------------------------------------------------
INJECTION_PATTERNS: dict[str, re.Pattern[str]] = {name: re.compile(pattern) for name, pattern in {
    "override_rules": r"\b(ignore|disregard|forget|bypass|override|skip)\b.{0,40}\b(rules?|instructions?|"
                      r"policy|policies|limits?|guidelines|previous|above|prompt|approvals?|checks?)\b",
    "role_play": r"\b(you are now|act as|pretend (to be|you are)|from now on you|developer mode|jailbreak|"
                 r"dan mode)\b",
    "system_prompt": r"\b(system prompt|system message|your instructions|hidden instructions|reveal your)\b",
    "claimed_authority": r"\b(i am|i'm|as) (the |your )?(admin|administrator|ceo|cfo|manager|supervisor|"
                         r"developer|owner)\b.{0,60}\b(approve|authori[sz]e|order you|instruct)",
    "pre_approved": r"\b(already|pre-?)\s?approved\b|\bapprove (it|this|the credit)|\bauto-?approve",
    "foreign_nl": r"\b(negeer|vergeet)\b.{0,40}\b(regels|instructies|opdrachten)\b",
    "foreign_fr": r"\b(ignore[rz]?|oublie[rz]?)\b.{0,40}\b(regles|instructions|consignes)\b",
    "foreign_de": r"\b(ignoriere|ignorieren|vergiss)\b.{0,40}\b(regeln|anweisungen|vorgaben)\b",
    "markup": r"(<\s*/?\s*(system|assistant|instructions?)\s*>|\[\s*(system|inst)\s*\]|```\s*system)",
}.items()}


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(ch for ch in folded if not unicodedata.combining(ch)).split())


def injection_signals(text: str) -> tuple[str, ...]:
    """The names of the instruction-like patterns in a customer's message (empty when there are none)."""
    plain = _plain(text)
    return tuple(name for name, pattern in INJECTION_PATTERNS.items() if pattern.search(plain))


# --- language -----------------------------------------------------------------------------------------
_FUNCTION_WORDS = {
    "nl": {"de", "het", "een", "mijn", "onze", "waar", "is", "niet", "wanneer", "bestelling", "factuur", "graag",
           "kunt", "u", "ik", "wij", "we", "zijn", "van", "levering", "betaling", "met", "nog", "welke", "hebben",
           "klant", "klanten", "bestellingen", "facturen", "toon", "hoe"},
    "fr": {"le", "la", "les", "mon", "ma", "mes", "notre", "ou", "est", "pas", "quand", "commande", "facture",
           "vous", "je", "nous", "une", "des", "livraison", "paiement", "avec", "merci", "bonjour"},
    "de": {"der", "die", "das", "mein", "meine", "unsere", "wo", "ist", "nicht", "wann", "bestellung",
           "rechnung", "sie", "ich", "wir", "eine", "und", "lieferung", "zahlung", "mit", "bitte", "danke"},
    "en": {"the", "a", "my", "our", "where", "is", "not", "when", "order", "invoice", "you", "i", "we",
           "delivery", "payment", "with", "please", "thanks", "can", "what"},
}


def guess_language(text: str) -> str:
    """The language a message is most likely in, from common words (English when nothing stands out)."""
    words = set(re.findall(r"[a-z]+", _plain(text)))
    scores = {lang: len(words & vocabulary) for lang, vocabulary in _FUNCTION_WORDS.items()}
    best = max(LANGUAGES, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > scores["en"] else "en"
