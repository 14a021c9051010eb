"""Does a statement follow on from the one before it? The chain of an account's statements.

A statement's opening balance must equal the closing balance of the account's previous statement
(the one before it in the same file, else the latest one imported earlier). A break means a
statement in between is missing, or one of the two was corrected: the statement is kept and
flagged, like one whose entries do not add up, and never counts as reconciled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from o2c.adapters.formats.bank.model import BankStatement
from o2c.domain.money import Money


@dataclass(frozen=True, slots=True)
class Previous:
    """The closing balance a statement must open with, and where it was stated."""

    statement_id: str
    closing: Money
    source: str


@dataclass(frozen=True, slots=True)
class ChainBreak:
    previous: Previous
    difference: Money
    """Opening balance minus the previous statement's closing balance."""


def chain_breaks(
    statements: Sequence[BankStatement],
    earlier: Callable[[BankStatement], Previous | None] = lambda statement: None,
    source: str = "this file",
) -> dict[int, ChainBreak]:
    """The breaks, by index into ``statements``; ``earlier`` finds an account's statement imported
    before (the same file is searched first, in file order)."""
    last: dict[tuple[str, str], Previous] = {}
    breaks: dict[int, ChainBreak] = {}
    for index, statement in enumerate(statements):
        account = (statement.account, statement.currency)
        previous = last.get(account) or earlier(statement)
        opening = statement.opening_balance
        if (
            previous is not None
            and opening is not None
            and opening.currency == previous.closing.currency
            and opening.amount != previous.closing.amount
        ):
            breaks[index] = ChainBreak(
                previous, Money(opening.amount - previous.closing.amount, opening.currency)
            )
        if statement.closing_balance is not None:
            last[account] = Previous(statement.statement_id, statement.closing_balance, source)
    return breaks


def findings_exit_code(refused: bool, flagged: bool) -> int:
    """0 read or imported cleanly, 1 with findings for a person, 2 refused."""
    return 2 if refused else 1 if flagged else 0
