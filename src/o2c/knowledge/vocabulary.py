"""How employees say it versus how the handbook says it: a small O2C thesaurus for queries.

People ask about "blocked" orders, "chasing" customers and "the bot"; the procedures say "credit
hold", "dunning" and "agent". ``expand`` adds the handbook's words for the colloquial ones a
question uses, before BM25 scores it and before coverage is measured. Entries are general O2C
jargon (plus the segment names of this company), written from the domain, not from the evaluation
questions; add one when a real question misses for want of a word.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from o2c.knowledge.bm25 import tokenize

SYNONYMS: dict[str, str] = {
    "blocked": "hold held", "block": "hold", "unblock": "release hold", "stuck": "hold held",
    "frozen": "hold", "let go": "release", "unfreeze": "release hold",
    "bot": "agent", "system": "agent automatically", "automatic": "automatically agent",
    "chase": "dunning reminder collector", "chasing": "dunning reminder collector", "nudge": "reminder",
    "reminder": "dunning", "overdue": "dunning due", "late": "overdue",
    "phone": "call", "ring": "call",
    "supermarket": "retail chain", "retailer": "retail chain", "grocer": "retail chain",
    "key account": "retail chain", "distributor": "wholesaler", "wholesale": "wholesaler",
    "restaurant": "horeca", "hotel": "horeca", "cafe": "horeca", "bar": "horeca", "pub": "horeca",
    "bonus": "rebate", "kickback": "rebate", "discount": "rebate promotion",
    "sign off": "approve", "signs off": "approves", "ok": "approve", "authorise": "approve", "authorize": "approve",
    "boss": "manager", "finance director": "cfo",
    "iban": "bank account", "bank details": "bank account", "scam": "fraud", "phishing": "fraud",
    "truck": "carrier pickup", "lorry": "carrier pickup", "haulier": "carrier", "courier": "carrier express",
    "collect": "pickup", "no-show": "missed",
    "dc": "warehouse", "depot": "warehouse", "site": "warehouse",
    "send back": "return", "sending back": "return", "take back": "return", "bring back": "return",
    "delivery receipt": "proof of delivery pod", "signed receipt": "proof of delivery pod", "pod": "proof of delivery",
    "missing": "shortage", "short": "shortage", "broken": "damage damaged", "leaking": "damage",
    "gap": "difference", "knock off": "write off", "forgive": "write off", "writeoff": "write off",
    "out of stock": "stockout", "sold out": "stockout", "substitute": "substitutes",
    "partial": "split backorder", "partially": "split backorder",
    "fx": "exchange rate currency", "exchange rate": "fx", "forex": "fx",
    "subledger": "sub-ledger", "gl": "general ledger", "journal": "journal",
    "vat number": "vat registration", "tax number": "vat number", "btw": "vat", "mwst": "vat", "tva": "vat",
    "e-invoice": "peppol e-invoicing", "einvoice": "peppol e-invoicing", "xml invoice": "ubl peppol",
    "mistake": "correction", "typo": "correction", "wrong amount": "correction credit note",
    "money back": "refund", "paid twice": "overpayment refund", "double paid": "overpayment refund",
    "unidentified": "unknown", "unmatched": "unapplied", "can't match": "unapplied",
    "instalment": "payment plan", "installment": "payment plan",
    "onboard": "onboarding", "new customer": "onboarding", "new client": "onboarding",
    "kyc": "know-your-customer", "background check": "kyc sanctions",
    "store": "delivery point gln", "shop": "delivery point gln", "location": "delivery point gln",
    "type in": "re-key by hand", "manually": "by hand", "manual": "by hand",
    "go live": "go-live", "live": "go-live", "edi partner": "trading partner",
    "provision": "provision doubtful", "bad debt": "provision doubtful",
    "close": "month-end close", "month end": "month-end close",
    "credit line": "credit limit", "headroom": "credit limit", "exposure": "credit limit",
    "schedule": "strategy steps", "cadence": "strategy steps", "ladder": "strategy steps",
    "beer": "alcoholic drinks", "wine": "alcoholic drinks", "spirits": "alcoholic drinks",
    "juice": "non-alcoholic drinks food", "soda": "non-alcoholic drinks",
    "percentage": "rate", "percent": "rate",
    "usa": "united states export", "america": "united states export", "uk": "united kingdom export",
    "britain": "united kingdom export", "abroad": "export intra-eu",
    "german": "germany eu", "belgian": "belgium eu", "french": "france eu", "dutch": "netherlands",
}


@cache
def _stemmed_synonyms() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    pairs = [(tuple(tokenize(phrase)), tuple(tokenize(words))) for phrase, words in SYNONYMS.items()]
    return tuple((phrase, words) for phrase, words in pairs if phrase)


def expand(tokens: Sequence[str]) -> list[str]:
    """The question's tokens followed by the handbook's words for any colloquial phrase in it."""
    extra: list[str] = []
    for words in alternatives(tokens).values():
        extra += [w for w in sorted(words) if w not in tokens and w not in extra]
    return [*tokens, *extra]


def alternatives(tokens: Sequence[str]) -> dict[str, set[str]]:
    """For each token of a colloquial phrase found in the question, the handbook's words for it."""
    found: dict[str, set[str]] = {}
    for phrase, words in _stemmed_synonyms():
        if _contains(tokens, phrase):
            for token in phrase:
                found.setdefault(token, set()).update(words)
    return found


def _contains(tokens: Sequence[str], phrase: Sequence[str], gap: int = 2) -> bool:
    """The phrase's words in order, at most ``gap`` other words between neighbours ("send the goods back")."""
    for start, token in enumerate(tokens):
        if token != phrase[0]:
            continue
        position, matched = start, 1
        while matched < len(phrase):
            window = tokens[position + 1: position + 2 + gap]
            if phrase[matched] not in window:
                break
            position += 1 + list(window).index(phrase[matched])
            matched += 1
        if matched == len(phrase):
            return True
    return False
