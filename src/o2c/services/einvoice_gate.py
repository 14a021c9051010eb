"""The outgoing e-invoice gate: no UBL, CII or Factur-X document leaves o2c unvalidated.

Before a document is handed to a channel or written by an export, it is checked against the XSD, the
CEN EN 16931 rules and (UBL) the Peppol BIS 3 rules (``adapters.formats.einvoice.validate``). A document
that fails is *held*: it is not sent, and the billing team gets one task naming the failed rule ids and
every message, so a person fixes the master data and sends it again (the next send re-renders and
re-checks it). The document itself is issued and never changes.

Without Saxon (the ``einvoice`` extra) nothing can be validated: sending is refused with an error that
says what to install, unless the company's ``send_unvalidated_einvoices`` setting allows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from o2c.adapters.formats.einvoice.validate import ValidationReport, ValidatorUnavailable, validate_outgoing
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain.errors import DomainError
from o2c.domain.messages import Task

if TYPE_CHECKING:
    from o2c.services.handlers import Company

TASK_KIND = "einvoice_invalid"


class ValidationRequired(DomainError):
    """An e-invoice would leave unvalidated: Saxon is missing and the setting does not allow it."""


def hold_if_invalid(
    uow: UnitOfWork, number: str, customer_id: str, fmt: str, filename: str, content: bytes, company: Company
) -> tuple[str, ...]:
    """The failed rule ids of a document about to leave, the document then held for a person; empty
    when it may leave."""
    try:
        report = validate_outgoing(fmt, content, filename)
    except ValidatorUnavailable as exc:
        if company.send_unvalidated_einvoices:
            return ()
        raise ValidationRequired(
            f"{number} not sent: {exc}; or set O2C_SEND_UNVALIDATED_EINVOICES=true to "
            f"send e-invoices unvalidated"
        ) from None
    if report is None or report.passed:
        return ()
    hold_invalid_document(uow, number, customer_id, fmt, report)
    return report.rule_ids


def hold_invalid_document(
    uow: UnitOfWork, number: str, customer_id: str, fmt: str, report: ValidationReport
) -> None:
    """One open task per document and format, naming the failed rule ids; audited."""
    rules = list(report.rule_ids)
    title = f"E-invoice {number} held: fails {', '.join(rules)}"
    uow.tasks.add(
        Task(
            uow.sequences.next("task", "TASK"),
            uow.clock.now(),
            "billing",
            TASK_KIND,
            f"invoice:{number}",
            title[:200],
            report.describe()[:4000],
            {"rules": rules, "format": fmt, "customer": customer_id},
            dedupe_key=f"{TASK_KIND}:{number}:{fmt}:{','.join(rules)}"[:200],
        )
    )
    uow.audit.append(
        uow.clock.now(),
        "system",
        "hold_einvoice",
        f"invoice:{number}",
        f"{fmt} document fails {', '.join(rules)}",
        {"rules": rules, "format": fmt},
    )
