"""ISO 20022 cash management: camt.053 statements, camt.054 notifications, camt.052 reports.

A document holds one message (``BkToCstmrStmt``, ``BkToCstmrDbtCdtNtfctn``, ``BkToCstmrAcctRpt``)
with a group header and one or more reports (``Stmt``, ``Ntfctn``, ``Rpt``), each for one account.
A report carries balances (``Bal``: OPBD or PRCD opens, CLBD closes, CLAV is the closing available)
and entries (``Ntry``): a signed amount (``Amt`` + ``CdtDbtInd``), a status (BOOK, PDNG, INFO),
dates, the bank's reference (``AcctSvcrRef``) and the transaction details (``NtryDtls/TxDtls``).

Invariants kept here: every statement balances (opening + booked entries == closing) or is refused;
a batched entry whose transactions' amounts add up to the entry is read as one entry per
transaction, otherwise it stays one entry and the reason is a warning; the namespace version
(001.02 to 001.08) changes nothing for the reader. The XML is parsed as hostile (see xml_safety).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeAlias

from lxml import etree

from o2c.adapters.formats.bank.camt_details import DetailsReader, TxDetails, merge
from o2c.adapters.formats.bank.common import EntryKeys, check_balanced, read_each
from o2c.adapters.formats.bank.model import (
    BankEntry,
    BankStatement,
    EntryStatus,
    FormatError,
    ImpossibleValue,
    ParsedBankFile,
    plain_amount,
)
from o2c.adapters.formats.bank.xml_safety import Iso, load_xml, namespace_of
from o2c.domain.money import Money

Element: TypeAlias = etree._Element

MESSAGES = {
    "BkToCstmrStmt": ("camt.053", "Stmt"),
    "BkToCstmrDbtCdtNtfctn": ("camt.054", "Ntfctn"),
    "BkToCstmrAcctRpt": ("camt.052", "Rpt"),
}
OPENING_CODES = ("OPBD", "PRCD")
STATUSES = {"BOOK": EntryStatus.BOOKED, "PDNG": EntryStatus.PENDING, "INFO": EntryStatus.INFO,
            "FUTR": EntryStatus.PENDING}


def identify(data: bytes, filename: str) -> bool:
    head = data[:4096]
    return head.lstrip().startswith(b"<") and any(m.encode() in head for m in MESSAGES)


def parse(data: bytes, filename: str, *, strict: bool = True) -> ParsedBankFile:
    """Every report of the file; an unbalanced statement is refused unless ``strict`` is False."""
    root = load_xml(data, filename)
    reader = _Reader(Iso(namespace_of(root)), filename, strict)
    message = _message(root, filename)
    format_name, report_tag = MESSAGES[etree.QName(message).localname]
    reports = reader.iso.findall(message, report_tag)
    if not reports:
        msg_id = reader.iso.text(message, "GrpHdr/MsgId") or "without MsgId"
        raise FormatError(filename, f"the message (MsgId {msg_id}) has a group header but no "
                          f"{report_tag}: there is no statement to read",
                          line=message.sourceline, field=f"{etree.QName(message).localname}/{report_tag}")
    rejected: list[str] = []
    statements = read_each(reports, lambda report: reader.statement(format_name, report), reader.warnings, rejected)
    return ParsedBankFile(format_name, tuple(statements), warnings=tuple(reader.warnings), rejected=tuple(rejected))


def _message(root: Element, filename: str) -> Element:
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).localname in MESSAGES:
            return child
    raise FormatError(filename, f"no camt message under <{etree.QName(root).localname}>",
                      line=root.sourceline, field="Document")


@dataclass
class _Balances:
    opening: Money | None = None
    closing: Money | None = None
    closing_available: Money | None = None
    closing_date: date | None = None
    closing_line: int | None = None


@dataclass
class _Reader:
    iso: Iso
    filename: str
    strict: bool
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.details = DetailsReader(self.iso, self.filename)

    def statement(self, format_name: str, report: Element) -> BankStatement:
        iso = self.iso
        account = iso.text(report, "Acct/Id/IBAN", "Acct/Id/Othr/Id")
        if account is None:
            raise FormatError(self.filename, "the account has no IBAN or other id",
                              line=report.sourceline, field="Acct/Id")
        balances = self.balances(report)
        currency = self.currency(report, balances)
        keys = EntryKeys(account, currency)
        entries = [e for ntry in iso.findall(report, "Ntry") for e in self.entries(ntry, keys)]
        statement = BankStatement(
            format=format_name,
            statement_id=iso.text(report, "Id") or "",
            account=account,
            currency=currency,
            opening_balance=balances.opening,
            closing_balance=balances.closing,
            statement_date=balances.closing_date or self.day(report, "FrToDt/ToDtTm", "CreDtTm"),
            created_at=_moment(iso.text(report, "CreDtTm")),
            servicer_bic=iso.text(report, "Acct/Svcr/FinInstnId/BICFI", "Acct/Svcr/FinInstnId/BIC"),
            entries=tuple(entries),
            closing_available=balances.closing_available,
        )
        place = (self.filename, balances.closing_line or report.sourceline, "Bal/Amt")
        check_balanced(statement, place, self.strict, self.warnings)
        return statement

    def currency(self, report: Element, balances: _Balances) -> str:
        currency = self.iso.text(report, "Acct/Ccy")
        if currency is None and balances.opening is not None:
            currency = balances.opening.currency
        if currency is None:
            first = self.iso.find(report, "Ntry/Amt")
            currency = first.get("Ccy") if first is not None else None
        if not currency:
            raise FormatError(self.filename, "no currency: neither Acct/Ccy, nor a balance, nor an entry",
                              line=report.sourceline, field="Acct/Ccy")
        return currency

    def balances(self, report: Element) -> _Balances:
        found = _Balances()
        for balance in self.iso.findall(report, "Bal"):
            code = self.iso.text(balance, "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry")
            amount = self.signed(balance)
            if code == "OPBD" or (code in OPENING_CODES and found.opening is None):
                found.opening = amount
            elif code == "CLBD":
                found.closing, found.closing_line = amount, _amount_line(self.iso, balance)
                found.closing_date = self.day(balance, "Dt/Dt", "Dt/DtTm")
            elif code == "CLAV":
                found.closing_available = amount
        return found

    def signed(self, holder: Element) -> Money:
        amount = self.details.amount(holder)
        if amount is None:
            raise FormatError(self.filename, "an amount is missing", line=holder.sourceline,
                              field=f"{etree.QName(holder).localname}/Amt")
        indicator = self.iso.text(holder, "CdtDbtInd")
        if indicator not in ("CRDT", "DBIT"):
            raise FormatError(self.filename, f"credit/debit indicator {indicator!r} is not CRDT or DBIT",
                              line=holder.sourceline, field=f"{etree.QName(holder).localname}/CdtDbtInd")
        return amount if indicator == "CRDT" else -amount

    def entries(self, ntry: Element, keys: EntryKeys) -> list[BankEntry]:
        amount = self.signed(ntry)
        transactions = self.iso.findall(ntry, "NtryDtls/TxDtls")
        if len(transactions) > 1:
            parts = self.split(ntry, transactions, amount)
            if parts:
                return [self.entry(ntry, keys, part, [tx], split=True)
                        for tx, part in zip(transactions, parts, strict=True)]
        return [self.entry(ntry, keys, amount, transactions)]

    def split(self, ntry: Element, transactions: list[Element], amount: Money) -> list[Money] | None:
        """Each transaction's signed amount, when together they make the entry; else None."""
        parts = [self.transaction_amount(tx, amount) for tx in transactions]
        known = [p for p in parts if p is not None]
        same_currency = len(known) == len(parts) and all(p.currency == amount.currency for p in known)
        if same_currency and sum(p.amount for p in known) == amount.amount:
            return known
        shown = ", ".join(f"{plain_amount(p)} {p.currency}" if p is not None else "no amount" for p in parts)
        self.warnings.append(
            f"{self.filename}: line {ntry.sourceline}, NtryDtls: the {len(transactions)} transactions "
            f"({shown}) do not add up to the entry amount {plain_amount(amount)} {amount.currency}; kept as one entry"
        )
        return None

    def transaction_amount(self, tx: Element, entry_amount: Money) -> Money | None:
        part = self.details.first_amount(tx, "Amt", "AmtDtls/TxAmt/Amt")
        if part is None:
            return None
        indicator = self.iso.text(tx, "CdtDbtInd")
        credit = indicator == "CRDT" if indicator else entry_amount.amount >= 0
        return part if credit else -part

    def entry(
        self, ntry: Element, keys: EntryKeys, amount: Money, transactions: list[Element], split: bool = False
    ) -> BankEntry:
        """One entry; a transaction split out of a batch is keyed by the batch's and its own references."""
        iso = self.iso
        credit = amount.amount >= 0
        details = merge([self.details.read(tx, credit, amount.currency) for tx in transactions] or [TxDetails()])
        booking_date = self.day(ntry, "BookgDt/Dt", "BookgDt/DtTm")
        bank_reference = iso.text(ntry, "AcctSvcrRef", "NtryRef")
        key_reference = bank_reference
        if bank_reference and split:
            key_reference = f"{bank_reference}|{details.reference or details.end_to_end_id or ''}|{amount.amount}"
        return BankEntry(
            entry_key=keys.key(key_reference, booking_date, amount),
            booking_date=booking_date,
            value_date=self.day(ntry, "ValDt/Dt", "ValDt/DtTm"),
            amount=amount,
            status=self.status(ntry),
            bank_transaction_code=self.transaction_code(ntry),
            counterparty_name=details.counterparty_name,
            counterparty_account=details.counterparty_account,
            counterparty_bic=details.counterparty_bic,
            end_to_end_id=details.end_to_end_id,
            bank_reference=bank_reference,
            customer_reference=details.reference,
            remittance_text=details.remittance_text,
            remittance_lines=details.remittance_lines,
            charges=self.details.charges(ntry) or details.charges,
            original_amount=self.details.original_amount(ntry, amount.currency) or details.original_amount,
            exchange_rate=self.details.exchange_rate(ntry) or details.exchange_rate,
            reversal=iso.text(ntry, "RvslInd") == "true",
            additional_info=iso.text(ntry, "AddtlNtryInf") or details.additional_info,
        )

    def day(self, holder: Element, *paths: str) -> date | None:
        """The date of the first of ``paths`` present (a date-time counts by its date)."""
        for path in paths:
            found = self.iso.find(holder, path)
            if found is not None and found.text and found.text.strip():
                try:
                    return date.fromisoformat(found.text.strip()[:10])
                except ValueError:
                    raise ImpossibleValue(self.filename, f"{found.text.strip()!r} is not a date",
                                      line=found.sourceline, field=path) from None
        return None

    def status(self, ntry: Element) -> EntryStatus:
        code = self.iso.text(ntry, "Sts/Cd", "Sts/Prtry", "Sts") or "BOOK"
        if code not in STATUSES:
            raise FormatError(self.filename, f"entry status {code!r} is not BOOK, PDNG or INFO",
                              line=ntry.sourceline, field="Ntry/Sts")
        return STATUSES[code]

    def transaction_code(self, ntry: Element) -> str | None:
        iso = self.iso
        domain = iso.text(ntry, "BkTxCd/Domn/Cd")
        if domain:
            family = iso.text(ntry, "BkTxCd/Domn/Fmly/Cd") or ""
            sub_family = iso.text(ntry, "BkTxCd/Domn/Fmly/SubFmlyCd") or ""
            return "/".join(part for part in (domain, family, sub_family) if part)
        return iso.text(ntry, "BkTxCd/Prtry/Cd")


def _amount_line(iso: Iso, holder: Element) -> int | None:
    amount = iso.find(holder, "Amt")
    return amount.sourceline if amount is not None else holder.sourceline


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
