"""Starting a company on o2c from its own files: load master data and opening balances.

A load reads the whole file, checks every row (formats in ``adapters.formats.masterdata``, references
against the books here) and then either writes the good rows as one command or nothing at all: any
refused row stops the load unless the caller asks for a partial load; a dry run runs the same command
and rolls it back, so it reports exactly what a real load would do. The command goes through the
service layer (``run_command``): executed and audited in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from o2c.adapters.formats.masterdata import Context, ParsedFile, ParsedRow, RowProblem, parse_file, read_sheet
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain.codec import decode
from o2c.domain.customers import Customer, PaymentTerms
from o2c.domain.onboarding import NamedTerms
from o2c.services.onboarding_handlers import TERMS, opening_item_problem
from o2c.services.proposals import run_command

# --- loading a file ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadReport:
    kind: str
    filename: str
    rows: int
    loaded: int
    problems: tuple[RowProblem, ...]
    refused: tuple[ParsedRow, ...]
    result: str
    written: bool
    dry_run: bool
    header: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.filename,
            "rows": self.rows,
            "loaded": self.loaded,
            "refused": len(self.refused),
            "written": self.written,
            "dry_run": self.dry_run,
            "result": self.result,
            "problems": [{"row": p.row, "column": p.column, "problem": p.message} for p in self.problems],
        }


def load_file(
    app: Any,
    kind: str,
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    partial: bool = False,
    actor: str = "onboarding",
) -> LoadReport:
    """Read, check and (unless refused or a dry run) load one master-data file of ``kind``.

    Raises ``SheetError`` when the file cannot be read as a table at all.
    """
    sheet = read_sheet(data, filename)
    with app.uow() as uow:
        parsed = parse_file(kind, sheet, Context(app.company.currency, stored_terms(uow)))
        parsed = _with_book_problems(uow, parsed)
        good, refused = parsed.good, parsed.refused

        def report(loaded: int, result: str, written: bool) -> LoadReport:
            return LoadReport(
                kind,
                filename,
                len(parsed.rows),
                loaded,
                tuple(parsed.problems()),
                tuple(refused),
                result,
                written,
                dry_run,
                parsed.header,
            )

        if not good or (refused and not partial):
            why = "nothing to load" if not refused else f"{len(refused)} of {len(parsed.rows)} rows refused"
            return report(0, f"nothing written: {why}", False)
        command = COMMANDS[kind]([r.record for r in good], filename)
        result = run_command(uow, command, actor, f"loaded {kind} from {filename}", app.company)
        if dry_run:
            uow.rollback()
        else:
            uow.commit()
    return report(len(good), result, not dry_run)


def stored_terms(uow: UnitOfWork) -> dict[str, PaymentTerms]:
    return {code: decode(NamedTerms, body).terms for code, body in uow.reference.of_kind(TERMS)}


def _customers_command(records: list[Any], source: str) -> c.Command:
    return c.LoadCustomers(tuple(cu for cu, _ in records), tuple(p for _, ps in records for p in ps), source)


COMMANDS: dict[str, Callable[[list[Any], str], c.Command]] = {
    "customers": _customers_command,
    "ship-tos": lambda records, source: c.LoadShipTos(tuple(records), source),
    "products": lambda records, source: c.LoadProducts(tuple(records), source),
    "prices": lambda records, source: c.LoadPrices(tuple(records), source),
    "promotions": lambda records, source: c.LoadPromotions(tuple(records), source),
    "payment-terms": lambda records, source: c.LoadPaymentTerms(tuple(records), source),
    "open-items": lambda records, source: c.OpenBalances(tuple(records), source),
}


def _with_book_problems(uow: UnitOfWork, parsed: ParsedFile) -> ParsedFile:
    """``parsed`` with the problems of rows whose references the books do not bear out."""
    check = BOOK_CHECKS.get(parsed.kind)
    if check is None:
        return parsed
    batch = [r.record for r in parsed.rows if r.record is not None]
    rows = []
    for row in parsed.rows:
        found = check(uow, row.record, batch) if row.record is not None else []
        problems = tuple(RowProblem(row.row, column, message) for column, message in found)
        rows.append(replace(row, problems=row.problems + problems, record=None if problems else row.record))
    return replace(parsed, rows=tuple(rows))


def _customer_problems(uow: UnitOfWork, record: Any, batch: list[Any]) -> list[tuple[str, str]]:
    customer: Customer = record[0]
    found = []
    if (
        customer.parent_id
        and customer.parent_id not in {cu.id for cu, _ in batch}
        and uow.customers.get(customer.parent_id) is None
    ):
        found.append(("parent_customer", f"unknown customer {customer.parent_id!r}"))
    stored = uow.customers.get(customer.id)
    if stored and stored.currency != customer.currency and uow.ledger.open_receivable_minor(customer.id):
        found.append(
            (
                "currency",
                f"{customer.id} has open items in {stored.currency}; its currency cannot "
                f"change to {customer.currency}",
            )
        )
    return found


def _ship_to_problems(uow: UnitOfWork, record: Any, batch: list[Any]) -> list[tuple[str, str]]:
    if uow.customers.get(record.customer_id) is None:
        return [("customer_number", f"unknown customer {record.customer_id!r} (load customers first)")]
    return []


def _product_problems(uow: UnitOfWork, record: Any, batch: list[Any]) -> list[tuple[str, str]]:
    known = {p.sku for p in batch}
    missing = [s for s in record.substitutes if s not in known and uow.products.get(s) is None]
    return [("substitutes", f"unknown SKU {', '.join(missing)}")] if missing else []


def _price_problems(uow: UnitOfWork, record: Any, batch: list[Any]) -> list[tuple[str, str]]:
    found = []
    if uow.products.get(record.sku) is None:
        found.append(("sku", f"unknown SKU {record.sku!r} (load products first)"))
    first = next(p for p in batch if p.list_id == record.list_id)
    for column, mine, theirs in (
        ("currency", record.currency, first.currency),
        ("valid_to", record.valid_to, first.valid_to),
        ("customers", record.scope, first.scope),
    ):
        if mine != theirs:
            found.append(
                (
                    column,
                    f"differs from other rows of price list {record.price_list} from "
                    f"{record.valid_from}: one list has one {column if column != 'customers' else 'scope'}",
                )
            )
    stored = uow.price_lists.get(record.list_id)
    if stored is not None and stored.currency != record.currency:
        found.append(("currency", f"price list {record.list_id} is in {stored.currency}"))
    return found


def _promotion_problems(uow: UnitOfWork, record: Any, batch: list[Any]) -> list[tuple[str, str]]:
    missing = [s for s in record.skus if uow.products.get(s) is None]
    return [("skus", f"unknown SKU {', '.join(missing)} (load products first)")] if missing else []


def _open_item_problems(uow: UnitOfWork, record: Any, batch: list[Any]) -> list[tuple[str, str]]:
    problem = opening_item_problem(uow, record)
    return [] if problem is None else [problem]


BOOK_CHECKS: dict[str, Callable[[UnitOfWork, Any, list[Any]], list[tuple[str, str]]]] = {
    "customers": _customer_problems,
    "ship-tos": _ship_to_problems,
    "products": _product_problems,
    "prices": _price_problems,
    "promotions": _promotion_problems,
    "open-items": _open_item_problems,
}
