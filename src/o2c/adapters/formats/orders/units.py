"""Units of measure: X12 (element 355), UN/ECE Recommendation 20 (EDIFACT 6411) and spreadsheet words
mapped to one short vocabulary the catalogue uses: EA, CS, PK, BX, CT, DZ, PL, KG, G, LB, L, ML, M.

Invariant: a code we do not know is kept as sent (upper-cased), never guessed; matching it to a
product's units is the intake agent's job. Beware the one real clash: ``CA`` is a case in X12
but a can in Rec 20, so the table is chosen by the file's standard.
"""

from __future__ import annotations

_COMMON = {
    "EA": "EA", "PK": "PK", "BX": "BX", "CT": "CT", "DZ": "DZ", "KG": "KG", "LB": "LB",
}

X12_UNITS = _COMMON | {
    "CA": "CS", "CS": "CS", "PC": "EA", "UN": "EA", "PA": "PK", "PL": "PL", "PT": "PL",
    "GR": "G", "LT": "L", "ML": "ML", "MR": "M", "DO": "DZ",
}

REC20_UNITS = _COMMON | {
    "CS": "CS", "C62": "EA", "PCE": "EA", "H87": "EA", "NAR": "EA", "PA": "PK", "PF": "PL",
    "PX": "PL", "DZN": "DZ", "KGM": "KG", "GRM": "G", "LBR": "LB", "LTR": "L", "MLT": "ML",
    "MTR": "M", "CA": "CA",
}

WORD_UNITS = REC20_UNITS | X12_UNITS | {
    "EACH": "EA", "PIECE": "EA", "PIECES": "EA", "PCS": "EA", "PC": "EA", "UNIT": "EA", "UNITS": "EA",
    "CASE": "CS", "CASES": "CS", "CA": "CS", "CS": "CS", "PACK": "PK", "PACKS": "PK", "BOX": "BX",
    "BOXES": "BX", "CARTON": "CT", "CARTONS": "CT", "DOZEN": "DZ", "PALLET": "PL", "PALLETS": "PL",
    "KILO": "KG", "KILOS": "KG", "KGS": "KG", "LITRE": "L", "LITER": "L", "LITRES": "L", "LITERS": "L",
}


def normalise_unit(code: str | None, table: dict[str, str], default: str = "EA") -> str:
    """The catalogue's unit for a sent code; ``default`` when none was sent."""
    if not code:
        return default
    key = code.strip().upper()
    return table.get(key, key)

X12_CODE_FOR = {"CS": "CA", "G": "GR", "L": "LT", "M": "MR"}
REC20_CODE_FOR = {"KG": "KGM", "G": "GRM", "LB": "LBR", "L": "LTR", "ML": "MLT", "M": "MTR", "DZ": "DZN", "PL": "PF"}


def unit_code_for(unit: str, table: dict[str, str]) -> str:
    """The code to send for one of our units: ``X12_CODE_FOR`` or ``REC20_CODE_FOR``."""
    return table.get(unit, unit)
