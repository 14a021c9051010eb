"""The transaction details of a camt entry (``NtryDtls/TxDtls``): who paid, why, and at what rate.

Each ``TxDtls`` names the parties (``RltdPties``: debtor and creditor, in v08 wrapped in ``Pty``),
their agents (``RltdAgts``), the references (``Refs``), the remittance information (``RmtInf``:
free text in ``Ustrd``, documents and creditor references in ``Strd``), charges (``Chrgs``) and
the amounts as instructed and exchanged (``AmtDtls``). The counterparty is the debtor of a credit
and the creditor of a debit. Several details merged into one entry keep a value only where all
agree, and keep every text and remittance line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TypeAlias

from lxml import etree

from o2c.adapters.formats.bank.common import real_reference, to_money
from o2c.adapters.formats.bank.model import FormatError, RemittanceLine
from o2c.adapters.formats.bank.xml_safety import Iso
from o2c.domain.money import Money

Element: TypeAlias = etree._Element


@dataclass(frozen=True, slots=True)
class TxDetails:
    """What the details of one transaction (or several, merged) say about it."""

    counterparty_name: str | None = None
    counterparty_account: str | None = None
    counterparty_bic: str | None = None
    end_to_end_id: str | None = None
    reference: str | None = None
    remittance_text: str | None = None
    remittance_lines: tuple[RemittanceLine, ...] = ()
    charges: Money | None = None
    original_amount: Money | None = None
    exchange_rate: Decimal | None = None
    additional_info: str | None = None


class DetailsReader:
    """Reads ``TxDtls`` elements of one document."""

    def __init__(self, iso: Iso, filename: str) -> None:
        self.iso, self.filename = iso, filename

    def read(self, tx: Element | None, credit: bool, currency: str) -> TxDetails:
        iso = self.iso
        side = "Dbtr" if credit else "Cdtr"
        refs, parties, remittance = iso.find(tx, "Refs"), iso.find(tx, "RltdPties"), iso.find(tx, "RmtInf")
        account = iso.find(parties, f"{side}Acct/Id")
        agent = iso.find(tx, f"RltdAgts/{side}Agt/FinInstnId")
        return TxDetails(
            counterparty_name=iso.text(parties, f"{side}/Nm", f"{side}/Pty/Nm"),
            counterparty_account=iso.text(account, "IBAN", "Othr/Id"),
            counterparty_bic=iso.text(agent, "BICFI", "BIC"),
            end_to_end_id=real_reference(iso.text(refs, "EndToEndId")),
            reference=iso.text(refs, "AcctSvcrRef", "TxId", "InstrId"),
            remittance_text=_joined(iso.texts(remittance, "Ustrd")),
            remittance_lines=tuple(self.remittance_line(s) for s in iso.findall(remittance, "Strd")),
            charges=self.charges(tx),
            original_amount=self.original_amount(tx, currency),
            exchange_rate=self.exchange_rate(tx),
            additional_info=iso.text(tx, "AddtlTxInf"),
        )

    def amount(self, element: Element | None, path: str = "Amt") -> Money | None:
        found = self.iso.find(element, path)
        if found is None or not (found.text or "").strip():
            return None
        place = (self.filename, found.sourceline, _local(found))
        return to_money(found.text.strip(), found.get("Ccy", ""), place)

    def first_amount(self, element: Element | None, *paths: str) -> Money | None:
        for path in paths:
            amount = self.amount(element, path)
            if amount is not None:
                return amount
        return None

    def charges(self, holder: Element | None) -> Money | None:
        iso = self.iso
        amounts: list[Money | None] = []
        for charges in iso.findall(holder, "Chrgs"):
            total = self.amount(charges, "TtlChrgsAndTaxAmt")
            if total is not None:
                amounts.append(total)
                continue
            amounts.extend(self.amount(record) for record in iso.findall(charges, "Rcrd"))
            amounts.append(self.amount(charges))
        return _sum([a for a in amounts if a is not None])

    def original_amount(self, holder: Element | None, currency: str) -> Money | None:
        details = self.iso.find(holder, "AmtDtls")
        for path in ("InstdAmt/Amt", "TxAmt/Amt"):
            amount = self.amount(details, path)
            if amount is not None and amount.currency != currency:
                return amount.abs()
        return None

    def exchange_rate(self, holder: Element | None) -> Decimal | None:
        details = self.iso.find(holder, "AmtDtls")
        for path in ("InstdAmt/CcyXchg/XchgRate", "TxAmt/CcyXchg/XchgRate", "CntrValAmt/CcyXchg/XchgRate"):
            found = self.iso.find(details, path)
            if found is not None and found.text:
                try:
                    return Decimal(found.text.strip())
                except InvalidOperation:
                    raise FormatError(self.filename, f"{found.text!r} is not a rate",
                                      line=found.sourceline, field="XchgRate") from None
        return None

    def remittance_line(self, strd: Element) -> RemittanceLine:
        """One ``Strd`` block: the referred document and its amounts, or a creditor reference."""
        iso = self.iso
        document, amounts = iso.find(strd, "RfrdDocInf"), iso.find(strd, "RfrdDocAmt")
        creditor = iso.find(strd, "CdtrRefInf")
        creditor_reference = iso.text(creditor, "Ref")
        adjustment, reason = self._adjustment(amounts)
        return RemittanceLine(
            document=iso.text(document, "Nb") or creditor_reference,
            document_kind=iso.text(document, "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry")
            or iso.text(creditor, "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry"),
            amount_paid=self.amount(amounts, "RmtdAmt"),
            invoice_amount=self.amount(amounts, "DuePyblAmt"),
            discount=self.first_amount(amounts, "DscntApldAmt/Amt", "DscntApldAmt"),
            adjustment=adjustment,
            adjustment_reason=reason,
            document_date=_date(iso.text(document, "RltdDt", "RltdDt/Dt")),
            creditor_reference=creditor_reference,
            note=_joined(iso.texts(strd, "AddtlRmtInf")),
        )

    def _adjustment(self, amounts: Element | None) -> tuple[Money | None, str | None]:
        iso = self.iso
        adjustment = iso.find(amounts, "AdjstmntAmtAndRsn")
        amount = self.amount(adjustment)
        if amount is not None:
            reduces = iso.text(adjustment, "CdtDbtInd") != "CRDT"
            return (-amount if reduces else amount), iso.text(adjustment, "Rsn")
        credit_note = self.amount(amounts, "CdtNoteAmt")
        if credit_note is not None:
            return -credit_note, "CREN"
        return None, None


def merge(details: list[TxDetails]) -> TxDetails:
    """Several transactions kept as one entry: shared values survive, texts and lines add up."""
    if len(details) == 1:
        return details[0]
    first = details[0]
    return replace(
        first,
        counterparty_name=_agreed(d.counterparty_name for d in details),
        counterparty_account=_agreed(d.counterparty_account for d in details),
        counterparty_bic=_agreed(d.counterparty_bic for d in details),
        end_to_end_id=_agreed(d.end_to_end_id for d in details),
        reference=_agreed(d.reference for d in details),
        remittance_text=_joined([d.remittance_text for d in details if d.remittance_text]),
        remittance_lines=tuple(line for d in details for line in d.remittance_lines),
        charges=_sum([d.charges for d in details if d.charges is not None]),
        original_amount=None,
        exchange_rate=None,
        additional_info=_joined([d.additional_info for d in details if d.additional_info]),
    )


def _agreed(values: object) -> str | None:
    distinct = set(values)  # type: ignore[call-overload]
    return distinct.pop() if len(distinct) == 1 else None


def _sum(amounts: list[Money]) -> Money | None:
    if not amounts:
        return None
    total = amounts[0]
    for amount in amounts[1:]:
        total = total + amount
    return total


def _joined(texts: list[str]) -> str | None:
    return " ".join(texts) if texts else None


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _local(element: Element) -> str:
    return str(etree.QName(element).localname)
