"""OFX bank and credit-card statements (Open Financial Exchange 1.x SGML and 2.x XML).

US, Canadian and French banks give small businesses their statements in OFX. The file is read by
``ofxtools`` (a maintained OFX parser); this module maps its statements onto o2c's. An OFX statement
states the ledger balance at its end (LEDGERBAL) but no opening balance, so it has nothing to
contradict and balances; entries are keyed by the bank's FITID, which OFX requires to be unique
per account. A statement in a currency o2c does not know, or an amount finer than the currency's
minor unit, refuses the file like any other format.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ofxtools.header import OFXHeaderError
from ofxtools.Parser import OFXTree, ParseError
from ofxtools.Types import OFXSpecError

from o2c.adapters.formats.bank.common import EntryKeys, real_reference, to_money
from o2c.adapters.formats.bank.model import BankEntry, BankStatement, FormatError, ParsedBankFile
from o2c.domain.money import Money

_IDENTIFY = re.compile(rb"OFXHEADER|<OFX>", re.IGNORECASE)


def identify(data: bytes, filename: str) -> bool:
    return _IDENTIFY.search(data[:4096]) is not None


def parse(data: bytes, filename: str, *, strict: bool = True) -> ParsedBankFile:
    """Every bank and credit-card statement of the file (an OFX statement always balances)."""
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(data))
        ofx = tree.convert()
    except (OFXHeaderError, ParseError, OFXSpecError, ValueError, KeyError, IndexError) as error:
        raise FormatError(filename, f"not a readable OFX file ({error})", line=1, field="OFX") from None
    statements = tuple(_statement(filename, number, found) for number, found in enumerate(ofx.statements, 1))
    if not statements:
        raise FormatError(filename, "the OFX file holds no bank or credit-card statement", field="STMTRS")
    return ParsedBankFile("ofx", statements)


def _statement(filename: str, number: int, found: Any) -> BankStatement:
    currency = str(found.curdef)
    account = str(found.account.acctid)
    transactions = found.banktranlist
    keys = EntryKeys(account, currency)
    place = (filename, None, f"STMTRS #{number}")
    entries = tuple(_entry(keys, currency, place, transaction) for transaction in transactions or ())
    ledger = found.ledgerbal
    day = _day(ledger.dtasof) if ledger is not None else _day(transactions.dtend) if transactions else None
    return BankStatement(
        format="ofx",
        statement_id=f"{account}/{day.isoformat()}" if day else account,
        account=account,
        currency=currency,
        opening_balance=None,
        closing_balance=_money(ledger.balamt, currency, place) if ledger is not None else None,
        statement_date=day,
        entries=entries,
        closing_available=_money(found.availbal.balamt, currency, place)
        if found.availbal is not None
        else None,
    )


def _entry(keys: EntryKeys, currency: str, place: tuple[str, int | None, str], transaction: Any) -> BankEntry:
    own_currency = transaction.currency.cursym if transaction.currency is not None else currency
    amount = _money(transaction.trnamt, str(own_currency), place)
    booking_date = _day(transaction.dtposted)
    reference = real_reference(transaction.fitid)
    payee = transaction.payee.name if transaction.payee is not None else None
    return BankEntry(
        entry_key=keys.key(reference, booking_date, amount),
        booking_date=booking_date,
        value_date=_day(transaction.dtavail) if transaction.dtavail else booking_date,
        amount=amount,
        bank_transaction_code=str(transaction.trntype),
        counterparty_name=transaction.name or payee,
        bank_reference=reference,
        customer_reference=real_reference(transaction.refnum or transaction.checknum),
        remittance_text=transaction.memo or None,
    )


def _money(amount: Decimal, currency: str, place: tuple[str, int | None, str]) -> Money:
    return to_money(str(amount), currency, place)


def _day(moment: datetime | date | None) -> date | None:
    if moment is None:
        return None
    return moment.date() if isinstance(moment, datetime) else moment
