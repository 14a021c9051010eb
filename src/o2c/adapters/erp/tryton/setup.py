"""Set up a Tryton database as the books of a company: the modules o2c uses, activated, and what
they need to post (company, fiscal year with periods and sequences, a chart of accounts, payment terms,
a product category with accounts, a bank statement journal and a dunning procedure).

Written as code so that tests, the demo and a person trying o2c get the same books. Run as

    python -m o2c.adapters.erp.tryton.setup --config trytond.conf --database books --password PW

Creating and activating the modules takes ~20 s on SQLite; ``cached_template`` keeps an activated
SQLite database per module versions under ``~/.cache/o2c-tryton`` so that a test copies it in ~1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

MODULES = (
    "party",
    "product",
    "account",
    "account_invoice",
    "sale",
    "stock",
    "account_statement",
    "account_dunning",
)
ADMIN_EMAIL = "admin@example.com"
STATEMENT_JOURNAL = "o2c bank"
DUNNING_PROCEDURE = "o2c reminders"
TERMS = {"Net 30": 30, "Net 14": 14, "Net 60": 60}


@dataclass(frozen=True, slots=True)
class TrytonSite:
    """Where a Tryton database lives: its trytond configuration file and database name."""

    config_file: Path
    database: str


def write_config(path: Path, *, database_uri: str, data_dir: Path, listen: str = "127.0.0.1:8000") -> Path:
    """A trytond configuration file: ``database_uri`` is ``sqlite://`` (files under ``data_dir``)
    or ``postgresql://user@host:port/``."""
    sqlite_dir = f"path = {data_dir}\n" if database_uri.startswith("sqlite") else ""
    path.write_text(
        f"[database]\nuri = {database_uri}\n{sqlite_dir}\n[web]\nlisten = {listen}\n\n"
        f"[session]\ntimeout = 86400\nmax_attempt = 1000\n\n[request]\nmax_size_authenticated = 1000000000\n"
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    return path


def create_database(site: TrytonSite, admin_password: str) -> None:
    """Create the database (``trytond-admin --all``) and activate ``MODULES``."""
    admin = str(Path(sys.executable).with_name("trytond-admin"))
    with tempfile.NamedTemporaryFile("w", suffix=".pass", delete=False) as pass_file:
        pass_file.write(admin_password)
    env = {**os.environ, "TRYTONPASSFILE": pass_file.name}
    try:
        _sqlite_file(site).touch() if _is_sqlite(site) else None
        base = [admin, "-c", str(site.config_file), "-d", site.database]
        subprocess.run([*base, "--all", "--email", ADMIN_EMAIL], check=True, env=env, capture_output=True)
        subprocess.run(
            [*base, "-u", *MODULES, "--activate-dependencies"], check=True, env=env, capture_output=True
        )
    finally:
        os.unlink(pass_file.name)


def _is_sqlite(site: TrytonSite) -> bool:
    return "uri = sqlite" in site.config_file.read_text()


def _sqlite_file(site: TrytonSite) -> Path:
    for line in site.config_file.read_text().splitlines():
        if line.startswith("path = "):
            return Path(line[len("path = ") :]) / f"{site.database}.sqlite"
    raise ValueError(f"{site.config_file}: no [database] path for SQLite")


def set_up_books(site: TrytonSite, *, company_name: str, currency: str, today: dt.date) -> None:
    """Company, fiscal year, chart, terms, category, statement journal, dunning procedure (proteus,
    in-process). Runs once on a fresh database."""
    from proteus import Model, config
    from trytond.modules.account.tests.tools import create_chart, create_fiscalyear, get_accounts
    from trytond.modules.account_invoice.tests.tools import set_fiscalyear_invoice_sequences
    from trytond.modules.company.tests.tools import create_company

    config.set_trytond(site.database, config_file=str(site.config_file))
    Currency = Model.get("currency.currency")
    (money,) = Currency.find([("code", "=", currency)]) or [
        Currency(name=currency, code=currency, symbol=currency, rounding=Decimal("0.01"), digits=2)
    ]
    money.save()
    Party = Model.get("party.party")
    create_company(Party(name=company_name), money)
    create_chart()
    for offset in (-1, 0, 1):
        year = today.year + offset
        fiscalyear = create_fiscalyear(today=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        fiscalyear.name = str(year)
        set_fiscalyear_invoice_sequences(fiscalyear)
        numbers = fiscalyear.invoice_sequences[0].out_invoice_sequence
        numbers.prefix, numbers.padding = f"INV-{year}-", 6
        numbers.save()
        fiscalyear.click("create_period")
    accounts = get_accounts()
    _payment_terms(Model)
    _product_category(Model, accounts)
    _statement_journal(Model, accounts)
    _dunning_procedure(Model)
    _countries(Model)


def _payment_terms(model: object) -> None:
    from proteus import Model

    Term = Model.get("account.invoice.payment_term")
    for name, days in TERMS.items():
        term = Term(name=name)
        line = term.lines.new(type="remainder")
        line.relativedeltas.new(days=days)
        term.save()


def _product_category(model: object, accounts: dict) -> None:  # type: ignore[type-arg]
    from proteus import Model

    Category = Model.get("product.category")
    category = Category(name="Goods", accounting=True)
    category.account_revenue = accounts["revenue"]
    category.account_expense = accounts["expense"]
    category.save()


def _statement_journal(model: object, accounts: dict) -> None:  # type: ignore[type-arg]
    from proteus import Model

    Journal = Model.get("account.journal")
    (account_journal,) = Journal.find([("code", "=", "STA")], limit=1)
    StatementJournal = Model.get("account.statement.journal")
    StatementJournal(
        name=STATEMENT_JOURNAL, journal=account_journal, account=accounts["cash"], validation="amount"
    ).save()


def _dunning_procedure(model: object) -> None:
    from proteus import Model

    Procedure = Model.get("account.dunning.procedure")
    procedure = Procedure(name=DUNNING_PROCEDURE)
    for sequence, days in enumerate((1, 15, 30, 45), start=1):
        level = procedure.levels.new()
        level.sequence = sequence
        level.overdue = dt.timedelta(days)
    procedure.save()
    Configuration = Model.get("account.configuration")
    configuration = Configuration(1)
    configuration.default_dunning_procedure = procedure
    configuration.save()


COUNTRIES = {
    "NL": "Netherlands",
    "BE": "Belgium",
    "DE": "Germany",
    "FR": "France",
    "GB": "United Kingdom",
    "US": "United States",
    "ES": "Spain",
    "IT": "Italy",
}


def _countries(model: object) -> None:
    from proteus import Model

    Country = Model.get("country.country")
    known = {c.code for c in Country.find([])}
    for code, name in COUNTRIES.items():
        if code not in known:
            Country(name=name, code=code).save()


# --- the cached template --------------------------------------------------------------------------------


SETUP_VERSION = 3
"""Bump when ``set_up_books`` changes, so that cached templates are built again."""


def cache_key() -> str:
    versions = [version("trytond"), *(version(f"trytond-{m.replace('_', '-')}") for m in MODULES)]
    return f"v{SETUP_VERSION}-" + "-".join(versions)


def cached_template(
    *,
    company_name: str = "Brightwater Drinks & Foods B.V.",
    currency: str = "EUR",
    admin_password: str = "admin",
    today: dt.date | None = None,
    cache_dir: Path | None = None,
) -> Path:
    """An activated SQLite database file set up as books (built once per module versions and day)."""
    today = today or dt.date.today()
    root = cache_dir or Path(os.environ.get("O2C_TRYTON_CACHE", Path.home() / ".cache" / "o2c-tryton"))
    folder = root / f"{cache_key()}-{today.year}"
    template = folder / "template.sqlite"
    if template.exists():
        return template
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        site = TrytonSite(
            write_config(work / "trytond.conf", database_uri="sqlite://", data_dir=work), "template"
        )
        create_database(site, admin_password)
        subprocess.run(
            [
                sys.executable,
                "-m",
                __name__,
                "--config",
                str(site.config_file),
                "--database",
                site.database,
                "--company",
                company_name,
                "--currency",
                currency,
                "--books-only",
                "--today",
                today.isoformat(),
            ],
            check=True,
            capture_output=True,
        )
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work / "template.sqlite", folder / "building.sqlite")
        os.replace(folder / "building.sqlite", template)
    return template


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--password", default=os.environ.get("O2C_TRYTON_PASSWORD", "admin"))
    parser.add_argument("--company", default="Brightwater Drinks & Foods B.V.")
    parser.add_argument("--currency", default="EUR")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--books-only", action="store_true", help="the database exists, modules activated")
    args = parser.parse_args(argv)
    site = TrytonSite(args.config, args.database)
    if not args.books_only:
        create_database(site, args.password)
    set_up_books(site, company_name=args.company, currency=args.currency, today=args.today)


if __name__ == "__main__":
    main()
