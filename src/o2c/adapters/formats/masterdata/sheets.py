"""Reading a master-data file (CSV or XLSX) into numbered rows of text, header first.

CSV: UTF-8 (with or without a byte-order mark), separated by commas, semicolons or tabs (sniffed from
the header). XLSX: the first worksheet, read with openpyxl. A formula cell gives the value the
spreadsheet program saved with it; a formula without a saved value (a file written by a program that
does not calculate) is refused, as is a sheet with merged cells: which row a merged value belongs to
is a guess, and a master-data load does not guess.

Invariants: row numbers are the file's own (the header is row 1), so a problem points at the line a
person opens; blank rows are skipped, never renumbered; nothing here knows what a column means.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class SheetError(ValueError):
    """The file cannot be read as a table at all (one line, naming the file and where)."""


@dataclass(frozen=True, slots=True)
class Sheet:
    filename: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def column_key(title: str) -> str:
    """A header as a column name: ``Customer number`` -> ``customer_number``."""
    return "_".join(title.strip().lower().replace("-", " ").replace("/", " ").split())


def read_sheet(data: bytes, filename: str) -> Sheet:
    if data[:4] == b"PK\x03\x04":
        return _table(filename, _xlsx_rows(data, filename))
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise SheetError(f"{filename}: not an XLSX workbook (save it again as .xlsx, or as CSV)")
    return _table(filename, _csv_rows(data, filename))


def _table(filename: str, rows: list[tuple[int, list[str]]]) -> Sheet:
    if not rows:
        raise SheetError(f"{filename}: the file is empty (the first row must name the columns)")
    header = tuple(column_key(h) for h in rows[0][1])
    body = []
    for number, values in rows[1:]:
        if any(v.strip() for v in values):
            padded = list(values) + [""] * (len(header) - len(values))
            body.append((number, {h: v.strip() for h, v in zip(header, padded, strict=False) if h}))
    return Sheet(filename, header, tuple(body))


def _csv_rows(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(f"{filename}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8") from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise SheetError(f"{filename}, line {reader.line_num}: {exc}") from None


def _xlsx_rows(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    try:
        formulas = load_workbook(io.BytesIO(data), data_only=False).worksheets[0]
        values = load_workbook(io.BytesIO(data), data_only=True).worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SheetError(f"{filename}: not a readable XLSX workbook ({exc})") from None
    if merged := sorted(str(r) for r in formulas.merged_cells.ranges):
        raise SheetError(
            f"{filename}, sheet {formulas.title!r}: merged cells {', '.join(merged[:5])}; "
            "unmerge them and repeat the value in each row"
        )
    rows: list[tuple[int, list[str]]] = []
    for formula_row, value_row in zip(formulas.iter_rows(), values.iter_rows(), strict=True):
        texts = []
        for formula_cell, cell in zip(formula_row, value_row, strict=True):
            if formula_cell.data_type == "f" and cell.value is None:
                raise SheetError(
                    f"{filename}, sheet {formulas.title!r}, cell {formula_cell.coordinate}: formula "
                    f"{formula_cell.value} has no saved value; open and save the file in a spreadsheet "
                    "program, or paste the values"
                )
            texts.append(_text(cell.value))
        rows.append((value_row[0].row if value_row else len(rows) + 1, texts))
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)
