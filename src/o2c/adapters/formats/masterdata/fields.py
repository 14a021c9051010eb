"""Reading one row's fields as typed values, collecting every problem with its row and column.

Identifiers are checked with maintained libraries: VAT and other tax ids by python-stdnum (check
digits, per country), IBANs and BICs by schwifty, countries and currencies by pycountry's ISO 3166
and ISO 4217 tables (a currency must also be one o2c's money knows the minor units of), GLNs and
GTINs by stdnum's GS1 check digit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import pycountry
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum import ean, get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError

from o2c.domain.errors import DomainError
from o2c.domain.money import Money, minor_units
from o2c.domain.tax import EU_COUNTRIES

YES = frozenset({"yes", "y", "true", "1", "ja", "oui", "x"})
NO = frozenset({"no", "n", "false", "0", "nee", "non", ""})


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    column: str
    message: str

    def describe(self, filename: str = "") -> str:
        where = f"{filename}, " if filename else ""
        return f"{where}row {self.row}, {self.column}: {self.message}"


@dataclass
class RowReader:
    """One row's values by column; each reader returns None (and records why) when the value is bad."""

    number: int
    values: dict[str, str]
    problems: list[RowProblem] = field(default_factory=list)

    def problem(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.number, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int = 200) -> str | None:
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                self.problem(column, "is required and empty")
            return None
        if len(value) > max_length:
            self.problem(column, f"is {len(value)} characters long, at most {max_length}")
            return None
        return value

    def listed(self, column: str) -> tuple[str, ...]:
        return tuple(v.strip() for v in self.values.get(column, "").split(";") if v.strip())

    def country(self, column: str, *, required: bool = True) -> str | None:
        value = self.text(column, required=required, max_length=3)
        if value is None:
            return None
        found = pycountry.countries.get(alpha_2=value.upper())
        if found is None:
            self.problem(column, f"{value!r} is not an ISO 3166 country code (e.g. NL, BE, US)")
            return None
        return str(found.alpha_2)

    def currency(self, column: str) -> str | None:
        value = self.text(column, required=True, max_length=3)
        if value is None:
            return None
        code = value.upper()
        if pycountry.currencies.get(alpha_3=code) is None:
            self.problem(column, f"unknown currency {value!r} (not an ISO 4217 code)")
            return None
        try:
            minor_units(code)
        except DomainError:
            self.problem(column, f"currency {code} is not one o2c keeps books in yet")
            return None
        return code

    def decimal(
        self, column: str, *, required: bool = False, minimum: Decimal | None = None
    ) -> Decimal | None:
        value = self.text(column, required=required, max_length=40)
        if value is None:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.problem(
                column,
                f"{value!r} is not a number (write 1234.50: a point for decimals, no thousands separators)",
            )
            return None
        if not number.is_finite():
            self.problem(column, f"{value!r} is not a finite number")
            return None
        if minimum is not None and number < minimum:
            self.problem(column, f"{value} is below {minimum}")
            return None
        return number

    def integer(self, column: str, *, required: bool = False, minimum: int = 0) -> int | None:
        number = self.decimal(column, required=required, minimum=Decimal(minimum))
        if number is None:
            return None
        if number != number.to_integral_value():
            self.problem(column, f"{number} is not a whole number")
            return None
        return int(number)

    def money(self, column: str, currency: str | None, *, required: bool = False) -> Money | None:
        amount = self.decimal(column, required=required, minimum=Decimal(0))
        if amount is None or currency is None:
            return None
        try:
            money = Money(amount, currency)
        except (DomainError, ValueError) as exc:
            self.problem(column, str(exc))
            return None
        if money.quantize() != money:
            self.problem(column, f"{amount} has more decimals than {currency} has ({minor_units(currency)})")
            return None
        return money

    def day(self, column: str, *, required: bool = False) -> date | None:
        value = self.text(column, required=required, max_length=40)
        if value is None:
            return None
        try:
            return date.fromisoformat(value[:10] if "T" in value else value)
        except ValueError:
            self.problem(column, f"{value!r} is not a date (write YYYY-MM-DD)")
            return None

    def flag(self, column: str, default: bool) -> bool:
        value = self.values.get(column, "").strip().lower()
        if not value:
            return default
        if value in YES:
            return True
        if value not in NO:
            self.problem(column, f"{value!r} is neither yes nor no")
        return False

    def choice(self, column: str, choices: tuple[str, ...], default: str) -> str:
        value = self.values.get(column, "").strip().lower() or default
        if value not in choices:
            self.problem(column, f"{value!r} is not one of {', '.join(choices)}")
            return default
        return value

    def vat_id(self, column: str, country: str | None) -> str | None:
        value = self.text(column, max_length=40)
        if value is None or country is None:
            return None
        problem = tax_id_problem(value, country)
        if problem:
            self.problem(column, problem)
            return None
        return normal_tax_id(value, country)

    def ibans(self, column: str) -> tuple[str, ...]:
        found = []
        for value in self.listed(column):
            try:
                found.append(str(IBAN(value).compact))
            except SchwiftyException as exc:
                self.problem(column, f"{value!r} is not a valid IBAN ({exc})")
        return tuple(found)

    def bic(self, column: str) -> str | None:
        value = self.text(column, max_length=20)
        if value is None:
            return None
        try:
            return str(BIC(value).compact)
        except SchwiftyException as exc:
            self.problem(column, f"{value!r} is not a valid BIC ({exc})")
            return None

    def gs1(self, column: str, *, lengths: tuple[int, ...], what: str, required: bool = False) -> str | None:
        value = self.text(column, required=required, max_length=20)
        if value is None:
            return None
        digits = value.replace(" ", "")
        if not digits.isdigit() or len(digits) not in lengths:
            self.problem(column, f"{value!r} is not a {what} ({' or '.join(map(str, lengths))} digits)")
            return None
        try:
            ean.validate(digits)
        except ValidationError:
            self.problem(column, f"{value!r} is not a {what}: its check digit is wrong")
            return None
        return digits


def normal_tax_id(value: str, country: str) -> str:
    compact = value.replace(" ", "").replace(".", "").replace("-", "").upper()
    if country in EU_COUNTRIES or country == "GR":
        prefix = "EL" if country == "GR" else country
        return compact if compact[:2].isalpha() else prefix + compact
    return compact


def tax_id_problem(value: str, country: str) -> str | None:
    """Why ``value`` is not a valid VAT (or other tax) id of ``country``; None when it is, or when no
    check is known for the country."""
    number = normal_tax_id(value, country)
    if country in EU_COUNTRIES:
        prefix = "EL" if country == "GR" else country
        if not number.startswith(prefix):
            return f"{value!r} is not a {country} VAT id (it should start with {prefix})"
        return (
            None if eu_vat.is_valid(number) else f"{value!r} is not a valid {country} VAT id (check digits)"
        )
    for name in ("vat", "tin"):
        try:
            module = get_cc_module(country.lower(), name)
        except (ImportError, ValueError):
            continue
        if module is not None:
            return None if module.is_valid(number) else f"{value!r} is not a valid {country} tax id"
    return None
