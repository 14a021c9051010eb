"""Bank statement and remittance files: tell which format a file is, read it, summarise it.

The formats: ISO 20022 camt.052/053/054, SWIFT MT940/MT942, BAI2, OFX, X12 820 and CSV (through a
``CsvLayout``). A file may arrive zipped (each file of the archive is read and the statements put
together) and in UTF-16 or with a byte order mark (see ``delivery``). Each module offers
``identify(data, filename) -> bool`` and ``parse(data, filename, *, strict=True) -> ParsedBankFile``;
this registry picks the module. With ``strict`` (the default) a statement that does not balance
refuses the file (``UnbalancedStatement``, naming its figures); ``strict=False`` keeps it, marked
unbalanced with its ``difference``, the problem among its warnings: the bank import reads that way
by default and flags the statement. Whatever ``strict`` says, a statement that cannot be read is
named in ``rejected`` while its neighbours are read, and a value that cannot be right
(``ImpossibleValue``) refuses the whole file.

``dry_run_summary`` gives the JSON-able view an import preview shows::

    {"format": "camt.053", "statements": [{"statement_id", "account", "currency", "opening",
     "closing", "entries", "balanced", "difference", "chain_break", "previous_statement",
     "warnings"}], "payments": [{"entry_key", "date", "amount", "currency", "counterparty",
     "reference"}], "errors": [...], "rejected": [...]}

``difference`` is closing - (opening + booked entries) as text (None without both balances);
``chain_break`` is the opening minus the closing of the account's previous statement in the file
(None when they agree or there is none); ``rejected`` names the statements that could not be read
while the rest of the file was. ``summary_exit_code`` gives the exit status the summary deserves:
0 clean, 1 with findings for a person (a statement that does not add up or breaks the chain, one
that could not be read), 2 refused.

For an X12 820 the payments are the remittance advices, each with its ``lines``.
"""

from __future__ import annotations

import re
from typing import Any

from o2c.adapters.formats.bank import bai2, camt, csv_statement, mt940, ofx, x12_820
from o2c.adapters.formats.bank.continuity import ChainBreak, chain_breaks, findings_exit_code
from o2c.adapters.formats.bank.csv_statement import DEFAULT_LAYOUT, CsvLayout
from o2c.adapters.formats.bank.delivery import as_utf8, is_zip, unwrap
from o2c.adapters.formats.bank.model import (
    BankEntry,
    BankStatement,
    EntryStatus,
    FileRefused,
    FormatError,
    ImpossibleValue,
    ParsedBankFile,
    RemittanceAdvice,
    RemittanceLine,
    plain_amount,
)
from o2c.domain.money import Money

__all__ = [
    "DEFAULT_LAYOUT",
    "BankEntry",
    "BankStatement",
    "CsvLayout",
    "EntryStatus",
    "FileRefused",
    "FormatError",
    "ImpossibleValue",
    "ParsedBankFile",
    "RemittanceAdvice",
    "RemittanceLine",
    "dry_run",
    "dry_run_summary",
    "identify_bank_file",
    "parse_bank_file",
    "summary_exit_code",
]

_CAMT_MESSAGE = re.compile(rb"(BkToCstmrStmt|BkToCstmrDbtCdtNtfctn|BkToCstmrAcctRpt)")
_MT940_BALANCE = re.compile(rb"^:60[FM]:", re.MULTILINE)


def identify_bank_file(data: bytes, filename: str, csv_layout: CsvLayout = DEFAULT_LAYOUT) -> str | None:
    """The format name ("camt.053", "mt940", "bai2", "ofx", "x12.820", "csv", ...), or None; a ZIP
    archive is named by its first file that o2c reads."""
    if is_zip(data):
        try:
            members = unwrap(data, filename)
        except FormatError:
            return None
        return next((found for name, content in members if (found := _identify(content, name, csv_layout))), None)
    return _identify(as_utf8(data), filename, csv_layout)


def _identify(data: bytes, filename: str, csv_layout: CsvLayout) -> str | None:
    if camt.identify(data, filename):
        found = _CAMT_MESSAGE.search(data[:4096])
        return camt.MESSAGES[found.group(1).decode()][0] if found else None
    if x12_820.identify(data, filename):
        return "x12.820"
    if bai2.identify(data, filename):
        return "bai2"
    if ofx.identify(data, filename):
        return "ofx"
    if mt940.identify(data, filename):
        return "mt940" if _MT940_BALANCE.search(data) or b":34F:" not in data else "mt942"
    if csv_statement.identify(data, filename, csv_layout):
        return "csv"
    return None


def parse_bank_file(
    data: bytes, filename: str, *, strict: bool = True, csv_layout: CsvLayout = DEFAULT_LAYOUT
) -> ParsedBankFile:
    """Read a bank or remittance file of any known format; FormatError says why one is refused.

    A ZIP archive's files are each read and put together: one that cannot be read is named among
    ``rejected`` while the others are read (a value that cannot be right refuses the archive)."""
    members = unwrap(data, filename)
    if len(members) == 1:
        return _parse_one(*members[0], strict, csv_layout)
    parsed, rejected = [], []
    for name, content in members:
        try:
            parsed.append(_parse_one(name, content, strict, csv_layout))
        except FileRefused:
            raise
        except FormatError as error:
            rejected.append(str(error))
    if not parsed:
        raise FormatError(filename, "no file in the ZIP archive could be read: " + "; ".join(rejected), field="ZIP")
    return ParsedBankFile(parsed[0].format, tuple(s for p in parsed for s in p.statements),
                          tuple(r for p in parsed for r in p.remittances), tuple(w for p in parsed for w in p.warnings),
                          (*rejected, *(r for p in parsed for r in p.rejected)))


def _parse_one(filename: str, data: bytes, strict: bool, csv_layout: CsvLayout) -> ParsedBankFile:
    found = _identify(data, filename, csv_layout)
    if found is None:
        raise FormatError(filename, "not a format o2c reads (camt.052/053/054, MT940/MT942, BAI2, OFX, X12 820, "
                                    "CSV with the configured layout)", line=1, field="format")
    if found == "csv":
        return csv_statement.parse(data, filename, strict=strict, layout=csv_layout)
    module = {"x12.820": x12_820, "bai2": bai2, "mt940": mt940, "mt942": mt940, "ofx": ofx}.get(found, camt)
    return module.parse(data, filename, strict=strict)


def dry_run(data: bytes, filename: str, *, csv_layout: CsvLayout = DEFAULT_LAYOUT) -> dict[str, Any]:
    """The summary of a file without posting anything; a refused file shows its error instead."""
    try:
        parsed = parse_bank_file(data, filename, strict=False, csv_layout=csv_layout)
    except FormatError as error:
        return {"format": identify_bank_file(data, filename, csv_layout), "statements": [],
                "payments": [], "errors": [str(error)], "rejected": []}
    return dry_run_summary(parsed)


def dry_run_summary(parsed: ParsedBankFile, breaks: dict[int, ChainBreak] | None = None) -> dict[str, Any]:
    """The JSON-able preview of a parsed file (shape in the module docstring); ``breaks`` are the
    chain breaks found against earlier imports too (default: within the file)."""
    payments = [_remittance_summary(r) for r in parsed.remittances]
    payments += [_entry_summary(e, s) for s in parsed.statements for e in s.entries]
    found = chain_breaks(parsed.statements) if breaks is None else breaks
    return {
        "format": parsed.format,
        "statements": [_statement_summary(s, found.get(n)) for n, s in enumerate(parsed.statements)],
        "payments": payments,
        "errors": list(parsed.warnings),
        "rejected": list(parsed.rejected),
    }


def summary_exit_code(summary: dict[str, Any], refused: bool = False) -> int:
    """0 clean, 1 with findings for a person, 2 refused (see the module docstring)."""
    statements = summary.get("statements") or []
    flagged = bool(summary.get("rejected")) or any(not s["balanced"] or s["chain_break"] for s in statements)
    return findings_exit_code(refused or not (statements or summary.get("payments")), flagged)


def _statement_summary(statement: BankStatement, chain: ChainBreak | None) -> dict[str, Any]:
    return {
        "statement_id": statement.statement_id,
        "account": statement.account,
        "currency": statement.currency,
        "opening": _amount(statement.opening_balance),
        "closing": _amount(statement.closing_balance),
        "entries": len(statement.entries),
        "balanced": statement.balanced,
        "difference": _amount(statement.difference),
        "chain_break": _amount(chain.difference) if chain else None,
        "previous_statement": chain.previous.statement_id if chain else None,
        "warnings": list(statement.warnings),
    }


def _entry_summary(entry: BankEntry, statement: BankStatement) -> dict[str, Any]:
    day = entry.booking_date or entry.value_date
    return {
        "entry_key": entry.entry_key,
        "date": day.isoformat() if day else None,
        "amount": plain_amount(entry.amount),
        "currency": entry.amount.currency,
        "counterparty": entry.counterparty_name,
        "reference": _best_reference(entry),
    }


def _best_reference(entry: BankEntry) -> str | None:
    """What cash application matches on first: a structured document, then the free text."""
    documents = [line.document for line in entry.remittance_lines if line.document]
    candidates = (documents[0] if documents else None, entry.remittance_text, entry.end_to_end_id,
                  entry.customer_reference, entry.bank_reference)
    return next((c for c in candidates if c), None)


def _remittance_summary(advice: RemittanceAdvice) -> dict[str, Any]:
    return {
        "entry_key": advice.advice_key,
        "date": advice.payment_date.isoformat() if advice.payment_date else None,
        "amount": plain_amount(advice.payment_amount),
        "currency": advice.payment_amount.currency,
        "counterparty": advice.payer_name,
        "reference": advice.payment_reference,
        "lines": [_line_summary(line) for line in advice.lines],
    }


def _line_summary(line: RemittanceLine) -> dict[str, Any]:
    return {
        "document": line.document,
        "kind": line.document_kind,
        "paid": _amount(line.amount_paid),
        "invoice": _amount(line.invoice_amount),
        "discount": _amount(line.discount),
        "adjustment": _amount(line.adjustment),
        "reason": line.adjustment_reason,
        "short_paid": _amount(line.short_paid),
    }


def _amount(money: Money | None) -> str | None:
    return None if money is None else plain_amount(money)
