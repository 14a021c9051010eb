"""Entities in a customer message: references, amounts, dates, quantities and products.

`extract_entities(text, today, catalog)` returns an `Entities` value. Everything is rules and
regular expressions (English, Dutch, French, German); products are matched fuzzily against a
catalogue the caller passes in (`products.extract_products`). Relative dates resolve against the
injected ``today``, never the system clock.

References recognised:
- order numbers: ``SO-2026-000123`` and ``SO-000123``; a number after order/bestelling/commande/Auftrag/Bestellung;
- invoice numbers: ``INV-2026-000045``, ``F2026/123``; numbers after invoice/inv/factuur/facture/
  Rechnung (``invoices 4410 and 4411`` gives both);
- purchase-order numbers: ``PO 4711``, ``PO#4711``, ``PO-2026-114``, "our ref 4711".
Quantities: a number with a unit (``40 cases of Heineken``, ``10 kegs``, ``3 pallets``, ``50x Cola``,
``SKU 10045 x 12``) and pack formats (``24x33cl``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from o2c.adapters.nlp.amounts import Amount, find_amounts
from o2c.adapters.nlp.dates import DateMention, find_dates
from o2c.adapters.nlp.products import CatalogEntry, ProductMatch, extract_products

__all__ = [
    "Amount",
    "DateMention",
    "Entities",
    "PackSize",
    "ProductMatch",
    "Quantity",
    "extract_entities",
    "extract_products",
]

_NUMBER_LIST = r"(\d[\d/-]*\d|\d)((?:\s*(?:,|\+|&|and|en|et|und)\s*(?:\d[\d/-]*\d|\d))*)"
_ORDER_CODE = re.compile(r"\bSO-(?:\d{4}-)?\d{3,}\b", re.IGNORECASE)
_ORDER_WORD = re.compile(
    r"\b(?:orders?|bestellings?|bestellung(?:en)?|commandes?|auftr[aä]ge?)\s*(?:no\.?|nr\.?|number|nummer|n°|#)?\s*:?\s*#?"
    r"(\d{3,})(?![\d/.,])",
    re.IGNORECASE,
)
_INVOICE_CODE = re.compile(r"\b(?:INV-\d{4}-\d{3,}|F\d{4}/\d+)\b", re.IGNORECASE)
_INVOICE_WORD = re.compile(
    r"\b(?:invoices?|inv|factuur|facturen|factures?|rechnungen?)\.?\s*(?:no\.?|nr\.?|number|nummer|n°|#)?\s*:?\s*#?"
    + _NUMBER_LIST,
    re.IGNORECASE,
)
_PO = re.compile(
    r"\b(?:PO|P\.O\.)\s*(?:number|no\.?|nr\.?|#)?\s*[-:#]?\s*([A-Z0-9][\w-]*\d[\w-]*)|"
    r"\b(?:our|onze|notre|unsere)\s+r[eé]f(?:erence|erentie|érence|erenz)?\.?\s*(?:no\.?|nr\.?|is|:)?\s*([A-Z0-9][\w/-]*\d)",
    re.IGNORECASE,
)
_UNIT_WORDS = {
    "case": "cases?|cs|caisses?|kisten?|kist|dozen|doos|cartons?|boxe?s?|trays?",
    "crate": "crates?|kratten|krat|casiers?|kasten",
    "keg": "kegs?|fusten|fust|fûts?|futs?|fässer|fass|fasser",
    "pallet": "pallets?|pal|palettes?|paletten|palette",
    "bottle": "bottles?|flessen|flesjes|fles|bouteilles?|flaschen|flasche",
    "can": "cans|blikken|blikjes|canettes?|dosen",
    "kg": "kg|kilos?",
    "l": "liters?|litres?",
    "unit": "units?|pcs|pieces?|stuks?|pièces?|stück|cups|becher|mugs|tassen|x",
}
_UNIT_PATTERNS = {unit: re.compile(words, re.IGNORECASE) for unit, words in _UNIT_WORDS.items()}
_UNIT = "|".join(
    sorted((w for words in _UNIT_WORDS.values() for w in words.split("|")), key=len, reverse=True)
)
_STOP = (
    r"(?:for|voor|pour|für|and|en|et|und|on|op|to|naar|à|a|by|with|met|avec|mit|asap|please|pls|graag|svp|bitte"
    r"|not|niet|nicht|pas|instead|from|in|at|we|but|maar|mais|aber|order|bestelling|commande|bestellung"
    r"|today|tomorrow|tmrw|morgen|demain|next|volgende|prochain|nächste)"
)
_QUANTITY = re.compile(
    rf"(?<![\w.,/-])(\d+(?:[.,]\d+)?)\s?({_UNIT})(?![\w])"
    rf"(?:\s+(?:of|van|de|d'|der|des|du)\b)?\s*((?:(?!{_STOP}\b)[\w][\w'./-]*\s?){{0,3}})",
    re.IGNORECASE,
)
_CODE_TIMES = re.compile(r"\b(?:SKU\s*)?([A-Z0-9][A-Z0-9-]*\d[A-Z0-9-]*)\s?x\s?(\d+)\b", re.IGNORECASE)
_PACK = re.compile(r"\b(\d+)\s?x\s?(\d+(?:[.,]\d+)?)\s?(cl|ml|l)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """How much of something: ``40 cases of Heineken`` is (40, "case", "Heineken")."""

    text: str
    amount: Decimal
    unit: str
    item: str | None


@dataclass(frozen=True)
class PackSize:
    """A pack format such as ``24x33cl``: 24 units of 33 cl."""

    text: str
    units_per_pack: int
    unit_volume: Decimal
    volume_unit: str


@dataclass(frozen=True)
class Entities:
    """Everything the rules found in one message."""

    order_numbers: tuple[str, ...] = ()
    invoice_numbers: tuple[str, ...] = ()
    po_numbers: tuple[str, ...] = ()
    amounts: tuple[Amount, ...] = ()
    dates: tuple[DateMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    pack_sizes: tuple[PackSize, ...] = ()
    products: tuple[ProductMatch, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (decimals and dates as strings)."""
        return json.loads(self.to_json())

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=_json_default, ensure_ascii=False)


def _json_default(value: object) -> str:
    if isinstance(value, Decimal | date):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _number_list(first: str, rest: str) -> list[str]:
    return [first, *re.findall(r"\d[\d/-]*\d|\d", rest or "")]


def _unit_of(word: str) -> str:
    return next(unit for unit, pattern in _UNIT_PATTERNS.items() if pattern.fullmatch(word))


def find_order_numbers(text: str) -> tuple[str, ...]:
    codes = [m[0].upper() for m in _ORDER_CODE.finditer(text)]
    return _unique(codes + [m[1] for m in _ORDER_WORD.finditer(text)])


def find_invoice_numbers(text: str) -> tuple[str, ...]:
    codes = [m[0].upper() for m in _INVOICE_CODE.finditer(text)]
    listed = [n for m in _INVOICE_WORD.finditer(text) for n in _number_list(m[1], m[2])]
    return _unique(codes + listed)


def find_po_numbers(text: str) -> tuple[str, ...]:
    return _unique((m[1] or m[2]).upper() for m in _PO.finditer(text))


def find_pack_sizes(text: str) -> tuple[PackSize, ...]:
    return tuple(
        PackSize(m[0], int(m[1]), Decimal(m[2].replace(",", ".")), m[3].lower()) for m in _PACK.finditer(text)
    )


def find_quantities(text: str) -> tuple[Quantity, ...]:
    """Quantities with units, and ``CODE x N`` lines (N units of the product code)."""
    found: list[tuple[int, Quantity]] = []
    taken: list[tuple[int, int]] = []
    for m in _CODE_TIMES.finditer(text):
        if not _PACK.fullmatch(m[0]):
            taken.append(m.span())
            found.append((m.start(), Quantity(m[0], Decimal(m[2]), "unit", m[1])))
    for m in _QUANTITY.finditer(text):
        if any(m.start() < end and start < m.end() for start, end in taken):
            continue
        item = m[3].strip() or None
        amount = Decimal(m[1].replace(",", "."))
        found.append((m.start(), Quantity(m[0].strip(), amount, _unit_of(m[2]), item)))
    return tuple(q for _, q in sorted(found, key=lambda pair: pair[0]))


def extract_entities(text: str, today: date, catalog: Iterable[CatalogEntry] | None = None) -> Entities:
    """All entities in `text`; relative dates resolve against `today`."""
    return Entities(
        order_numbers=find_order_numbers(text),
        invoice_numbers=find_invoice_numbers(text),
        po_numbers=find_po_numbers(text),
        amounts=tuple(find_amounts(text)),
        dates=tuple(find_dates(text, today)),
        quantities=find_quantities(text),
        pack_sizes=find_pack_sizes(text),
        products=tuple(extract_products(text, catalog)) if catalog else (),
    )
