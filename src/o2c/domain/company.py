"""The company whose books o2c keeps: its name, country, functional currency, VAT id, bank accounts and
fiscal calendar.

A database holds at most one company profile, so a database says whose books it is. The functional
currency is the one the ledger balances in; it never changes once the books hold an entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class BankAccount:
    """An account the company is paid into (IBAN, with the bank's BIC where known)."""

    iban: str
    bic: str | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class CompanyProfile:
    name: str
    country: str
    currency: str
    vat_id: str | None = None
    bank_accounts: tuple[BankAccount, ...] = ()
    fiscal_year_start_month: int = 1

    def fiscal_year_start(self, day: date) -> date:
        """The first day of the fiscal year ``day`` falls in."""
        year = day.year if day.month >= self.fiscal_year_start_month else day.year - 1
        return date(year, self.fiscal_year_start_month, 1)
