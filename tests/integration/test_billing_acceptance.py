"""Acceptance: every invoice and credit note a short demo run produces passes XSD, EN 16931 and Peppol
BIS 3 as UBL, Factur-X passes its own checks, and the ledger holds — after invoicing, crediting,
rebilling and rebate settlement (SQLite)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from o2c.bootstrap import bootstrap
from o2c.config import Settings
from o2c.domain import commands as c
from o2c.domain.invoices import DocumentKind
from o2c.domain.money import Money
from o2c.services.billing import render_document
from o2c.services.clock import SimClock
from o2c.services.proposals import approve
from o2c.sim.demo import run_demo
from o2c.sim.scenario import load_scenario

RULES = Path(__file__).resolve().parents[1] / "data" / "einvoice" / "rules"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_documents(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A five-day demo, then rebates settled after their period, a credit note and a rebill."""
    url = f"sqlite:///{tmp_path_factory.mktemp('billing-demo') / 'demo.db'}"
    run_demo(Settings(database_url=url), days=5)
    start = load_scenario(days=5).start_date
    app = bootstrap(Settings(database_url=url), clock=SimClock(datetime.combine(start + timedelta(days=16), time(7))))
    try:
        app.execute(c.AccrueRebates(start + timedelta(days=16)), "billing", "period end")
        app.dispatcher.drain()
        with app.uow() as uow:
            for row in uow.proposals.list(status="pending", agent="billing"):
                if row.action == "settle_rebate":
                    approve(uow, row.id, "controller", "rebate checked", app.company)
            uow.commit()
            invoices = [d for d in uow.invoices.all() if d.kind is DocumentKind.INVOICE]
        foreign = next(d for d in invoices if d.currency == "GBP")
        app.execute(c.IssueCreditNote(foreign.number, Money.of("10.00", "GBP"), "Damaged case"), "person", "claim")
        intra_eu = next(d for d in invoices if any(s.category == "K" for s in d.tax_subtotals))
        app.execute(c.RebillInvoice(intra_eu.number, "PO number corrected", po_number="PO-CORRECTED"), "person", "fix")
        with app.uow() as uow:
            documents = uow.invoices.all()
            customers = {cu.id: cu for cu in uow.customers.all()}
            ledger = uow.ledger.problems()
        yield app, documents, customers, ledger
    finally:
        app.close()


def test_the_demo_set_covers_vat_categories_allowances_charges_credit_notes_and_currencies(demo_documents):
    _app, documents, _customers, _ledger = demo_documents
    categories = {s.category for d in documents for s in d.tax_subtotals}
    assert {"S", "K", "G"} <= categories
    assert {"EUR", "GBP", "USD"} <= {d.currency for d in documents}
    assert any(ac.charge for d in documents for ac in d.allowance_charges)
    assert any(not ac.charge for d in documents for ac in d.allowance_charges)
    assert any(ln.allowance_charges for d in documents for ln in d.lines)
    notes = [d for d in documents if d.kind is DocumentKind.CREDIT_NOTE]
    assert any((d.reason or "").startswith("Volume rebate") for d in notes)
    assert any((d.reason or "").startswith("Rebill") for d in notes)
    assert all(not d.problems() for d in documents)


def test_every_demo_document_passes_xsd_en16931_and_peppol_as_ubl(demo_documents):
    pytest.importorskip("saxonche")
    from o2c.adapters.formats.einvoice.validate import UblValidator

    peppol, cen = RULES / "PEPPOL-EN16931-UBL.sch", RULES / "EN16931-UBL-validation.xslt"
    if not peppol.exists() or not cen.exists():
        pytest.skip(f"rule files not found in {RULES}")
    validator = UblValidator(peppol_sch=peppol, en16931_xslt=cen)
    app, documents, customers, _ledger = demo_documents
    failed = []
    for doc in documents:
        _name, xml = render_document(doc, customers[doc.customer_id], app.company, "ubl")
        report = validator.validate(xml, doc.number)
        if not report.passed:
            failed.append(f"{doc.number}:\n{report.describe()}")
    assert not failed, "\n".join(failed[:5])


def test_factur_x_of_each_kind_of_document_passes_the_libraries_checks(demo_documents):
    pytest.importorskip("facturx")
    pytest.importorskip("saxonche")
    from o2c.adapters.formats.einvoice.validate import validate_factur_x

    app, documents, customers, _ledger = demo_documents
    kinds: dict[tuple[str, str, frozenset[str]], object] = {}
    for doc in documents:
        kinds.setdefault((doc.kind.value, doc.currency, frozenset(s.category for s in doc.tax_subtotals)), doc)
    for doc in kinds.values():
        _name, xml = render_document(doc, customers[doc.customer_id], app.company, "cii")  # type: ignore[attr-defined]
        report = validate_factur_x(xml)
        assert report.passed, report.describe()
    _name, pdf = render_document(doc, customers[doc.customer_id], app.company, "facturx")  # type: ignore[attr-defined]
    assert pdf.startswith(b"%PDF")


def test_the_ledger_holds_after_invoicing_crediting_rebilling_and_rebates(demo_documents):
    _app, _documents, _customers, ledger = demo_documents
    assert ledger == []
