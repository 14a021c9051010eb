"""Bank statements for the demo: camt.053 files with the noise real payers make.

``remit`` turns what a customer means to pay (documents and amounts) into what the bank shows: a
reference written with a missing prefix, a typo, several invoices in one line, an order or PO number
or nothing at all; a payer name abbreviated or replaced by a payment provider's; bank fees taken off
the amount. ``camt053`` renders one day's credits as an ISO 20022 camt.053.001.02 statement that
balances (opening + entries = closing). Deterministic for a given random generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from o2c.domain.money import Money

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
PROVIDERS = ("ADYEN NV", "STRIPE PAYMENTS EUROPE", "PAYPAL EUROPE SARL", "MOLLIE BV")
FEES = ("2.50", "5.00", "7.50", "10.00", "12.50")


@dataclass(frozen=True, slots=True)
class Noise:
    """How often payers deviate from a clean remittance (shares of payments)."""

    missing_prefix: float = 0.15
    sequence_only: float = 0.05
    typo: float = 0.05
    order_number: float = 0.04
    po_number: float = 0.04
    no_reference: float = 0.04
    abbreviated_name: float = 0.15
    provider_name: float = 0.04
    bank_fee: float = 0.06


@dataclass(frozen=True, slots=True)
class Credit:
    """One credit on the statement, as the bank reports it."""

    key: str
    day: date
    amount: Money
    payer_name: str
    payer_account: str | None
    reference: str


def _typo(number: str, rng: random.Random) -> str:
    digits = list(number[-6:])
    n = rng.randrange(len(digits) - 1)
    if digits[n] == digits[n + 1]:
        digits[n] = str((int(digits[n]) + 1) % 10)
    else:
        digits[n], digits[n + 1] = digits[n + 1], digits[n]
    return number[:-6] + "".join(digits)


def reference_for(documents: list[str], orders: list[str], pos: list[str], noise: Noise,
                  rng: random.Random) -> str:
    """The text a payer writes for ``documents`` (INV-YYYY-NNNNNN), with one kind of noise or none."""
    roll, acc = rng.random(), 0.0
    styles = [("missing_prefix", noise.missing_prefix), ("sequence_only", noise.sequence_only),
              ("typo", noise.typo), ("order_number", noise.order_number), ("po_number", noise.po_number),
              ("no_reference", noise.no_reference)]
    style = "exact"
    for name, share in styles:
        acc += share
        if roll < acc:
            style = name
            break
    if style == "order_number" and all(orders):
        return "ORDER " + " ".join(orders)
    if style == "po_number" and all(pos) and len(set(pos)) == len(pos):
        return "PO " + " ".join(p.removeprefix("PO") for p in pos)
    if style == "no_reference":
        return rng.choice(["PAYMENT", "INVOICES", "THANK YOU", "SETTLEMENT"])
    written = {"missing_prefix": lambda d: d.split("-", 1)[1], "sequence_only": lambda d: d[-6:],
               "typo": lambda d: _typo(d, rng)}.get(style, lambda d: d)
    return " ".join(written(d) for d in documents)


def payer_name_for(name: str, noise: Noise, rng: random.Random) -> tuple[str, bool]:
    """The name the bank shows, and whether it still is the customer's own (False: a provider's)."""
    roll = rng.random()
    if roll < noise.provider_name:
        return rng.choice(PROVIDERS), False
    if roll < noise.provider_name + noise.abbreviated_name:
        words = name.replace("&", "").split()
        return " ".join(words[:-1]).upper() if len(words) > 2 else name.upper(), True
    return name, True


def fee_for(amount: Money, foreign: bool, noise: Noise, rng: random.Random) -> Money:
    if not foreign or rng.random() >= noise.bank_fee * 4 or amount.amount < 200:
        return Money.zero(amount.currency)
    return Money(Decimal(rng.choice(FEES)), amount.currency)


def camt053(account: str, currency: str, day: date, opening: Money, credits: list[Credit], msg_id: str) -> bytes:
    """A balanced camt.053.001.02 statement of ``credits`` booked on ``day``."""
    closing = opening
    for credit in credits:
        closing = closing + credit.amount
    entries = "".join(_entry(c) for c in credits)
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NS}"><BkToCstmrStmt>
<GrpHdr><MsgId>{msg_id}</MsgId><CreDtTm>{day.isoformat()}T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>{msg_id}</Id><CreDtTm>{day.isoformat()}T18:00:00</CreDtTm>
<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>{currency}</Ccy></Acct>
{_balance("OPBD", opening, day)}{_balance("CLBD", closing, day)}{entries}</Stmt>
</BkToCstmrStmt></Document>
"""
    return xml.encode("utf-8")


def _balance(code: str, amount: Money, day: date) -> str:
    sign = "CRDT" if amount.amount >= 0 else "DBIT"
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"{amount.currency}\">"
            f"{abs(amount.amount):.2f}</Amt><CdtDbtInd>{sign}</CdtDbtInd><Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>\n")


def _entry(credit: Credit) -> str:
    account = (f"<RltdPties><Dbtr><Nm>{escape(credit.payer_name)}</Nm></Dbtr>"
               + (f"<DbtrAcct><Id><IBAN>{credit.payer_account}</IBAN></Id></DbtrAcct>" if credit.payer_account
                  else "") + "</RltdPties>")
    return (f"<Ntry><NtryRef>{credit.key}</NtryRef><Amt Ccy=\"{credit.amount.currency}\">{credit.amount.amount:.2f}"
            f"</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{credit.day.isoformat()}</Dt></BookgDt>"
            f"<ValDt><Dt>{credit.day.isoformat()}</Dt></ValDt><AcctSvcrRef>{credit.key}</AcctSvcrRef>"
            f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
            f"<NtryDtls><TxDtls><Refs><AcctSvcrRef>{credit.key}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId>"
            f"</Refs>{account}<RmtInf><Ustrd>{escape(credit.reference)}</Ustrd></RmtInf></TxDtls></NtryDtls>"
            f"</Ntry>\n")
