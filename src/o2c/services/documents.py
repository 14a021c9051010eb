"""One door for a received file: ``import_document`` sends it to order intake or to the bank import.

A file that reads as a bank or remittance file (camt, MT940/942, BAI2, OFX, X12 820, bank CSV, also
zipped or in UTF-16) goes to the bank import; anything else goes to order intake (X12 850, EDIFACT
ORDERS, order CSV), which quarantines what it cannot read. ``o2c import FILE`` and the mailbox poller
(attachments) both come through here, so a file is treated the same whichever way it arrived.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from o2c.adapters.formats.bank import identify_bank_file
from o2c.services import bank_import
from o2c.services.intake import ImportReport, IntakeService

if TYPE_CHECKING:
    from o2c.bootstrap import App

DocumentReport = ImportReport | bank_import.ImportReport


def is_bank_file(data: bytes, filename: str) -> bool:
    return identify_bank_file(data, filename) is not None


def import_document(app: App, data: bytes, filename: str, *, match: bool = True) -> DocumentReport:
    """Import one received file; ``match=False`` leaves the agents' matching to the caller's dispatch."""
    if is_bank_file(data, filename):
        return bank_import.import_bank_file(app, data, filename, match=match)
    return IntakeService.for_app(app).import_file(data, filename)


def needs_a_person(report: DocumentReport) -> bool:
    """Whether the import refused or quarantined the file (a person has to look at it)."""
    if isinstance(report, bank_import.ImportReport):
        return report.refused
    return report.status == "quarantined"
