"""An import preview: which format a file is and what it would book, without booking anything.

Bank and remittance files go through the bank registry, order files through the order registry;
a file neither recognises, or one a parser refuses, comes back with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from o2c.adapters.formats import bank, orders


@dataclass(frozen=True, slots=True)
class ImportPreview:
    filename: str
    kind: str | None
    format: str | None
    summary: dict[str, Any]
    errors: list[str]
    posted: bool = False


def _orders_preview(data: bytes, filename: str, name: str) -> ImportPreview:
    try:
        summary = orders.dry_run_summary(orders.parse_order_file(data, filename))
    except orders.FormatError as error:
        return ImportPreview(filename, "orders", name, {}, [str(error)])
    errors = [str(e) for e in summary.get("errors", [])]  # type: ignore[attr-defined]
    return ImportPreview(filename, "orders", name, summary, errors)


def preview(data: bytes, filename: str) -> ImportPreview:
    try:
        bank_format = bank.identify_bank_file(data, filename)
        if bank_format:
            summary = bank.dry_run(data, filename)
            return ImportPreview(filename, "bank", bank_format, summary, [str(e) for e in summary.get("errors", [])])
        order_format = orders.identify_order_file(data, filename)
    except (bank.FormatError, orders.FormatError, ValueError) as error:
        return ImportPreview(filename, None, None, {}, [str(error)])
    if order_format:
        return _orders_preview(data, filename, order_format)
    return ImportPreview(filename, None, None, {}, ["not a format o2c reads: bank statements (camt, MT940, BAI2, "
                                                    "CSV), remittances (X12 820) or orders (X12 850, EDIFACT, CSV)"])
