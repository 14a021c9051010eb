"""Correcting master data, and what waited on it: a billing hold is checked again the moment its cause is fixed.

``CorrectCustomer`` changes a customer's name, VAT id, GLN, e-mail, payment terms or a ship-to's GLN,
each value checked the way onboarding checks a loaded file (python-stdnum for VAT ids, the GS1 check
digit for GLNs); every problem is said at once and nothing is changed when there is one. Then every
delivery of the customer held before invoicing is drafted again: what passes is invoiced at once, and
the billing agent's review items whose holds are gone are marked resolved, so nobody approves them.

``RecheckBillingHolds`` is what approving such a review item does: draft the customer's held deliveries
again. When every one of them is held for the same reasons as before it is refused, naming what to fix
(approving never creates the same hold again).

Holds are grouped as the inbox shows them: one review item per customer and set of reasons
(``review_subject``), however many deliveries wait on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from o2c.adapters.formats.masterdata.fields import normal_tax_id, tax_id_problem
from o2c.adapters.store.billing_store import BillingStore, Hold
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain.billing_checks import gln_ok, review_subject
from o2c.domain.customers import Customer, PaymentTerms
from o2c.domain.errors import DomainError
from o2c.services import billing

if TYPE_CHECKING:
    from o2c.services.handlers import Company

REVIEW_ACTION = "review_billing_hold"


def hold_reasons(hold: Hold) -> tuple[str, ...]:
    return tuple(sorted({f.code.value for f in hold.findings}))


# --- checking the values -----------------------------------------------------------------------------
def corrected(customer: Customer, cmd: c.CorrectCustomer) -> tuple[Customer, list[str]]:
    """The customer with the corrections applied, and every problem with them (none: safe to store)."""
    problems: list[str] = []
    changes: dict[str, Any] = {}
    if cmd.legal_name is not None:
        name = cmd.legal_name.strip()
        if not name or len(name) > 200:
            problems.append("name: a customer needs a name of 1 to 200 characters")
        changes["name"] = name
    if cmd.vat_id is not None:
        changes["vat_id"] = _vat_id(cmd.vat_id, customer.country, problems)
    if cmd.gln is not None:
        changes["gln"] = _gln(cmd.gln, "gln", problems)
    if cmd.email is not None:
        email = cmd.email.strip()
        if email and (len(email) > 200 or "@" not in email.strip("@") or " " in email):
            problems.append(f"email: {cmd.email!r} is not an e-mail address")
        changes["email"] = email or None
    terms = _terms(customer.terms, cmd, problems)
    if terms != customer.terms:
        changes["terms"] = terms
    if cmd.ship_to is not None or cmd.ship_to_gln is not None:
        changes["ship_tos"] = _ship_tos(customer, cmd, problems)
    return replace(customer, **changes), problems


def _vat_id(value: str, country: str, problems: list[str]) -> str | None:
    if not value.strip():
        return None
    problem = tax_id_problem(value, country)
    if problem:
        problems.append(f"vat_id: {problem}")
        return None
    return normal_tax_id(value, country)


def _gln(value: str, field: str, problems: list[str]) -> str | None:
    digits = value.replace(" ", "")
    if not digits:
        return None
    if not gln_ok(digits):
        problems.append(f"{field}: {value!r} is not a GLN (13 digits, the last one the GS1 check digit)")
    return digits


def _terms(terms: PaymentTerms, cmd: c.CorrectCustomer, problems: list[str]) -> PaymentTerms:
    net = terms.net_days if cmd.net_days is None else cmd.net_days
    days = terms.discount_days if cmd.discount_days is None else cmd.discount_days
    percent = terms.discount_percent if cmd.discount_percent is None else cmd.discount_percent
    if not 0 <= net <= 365:
        problems.append(f"net_days: {net} is not between 0 and 365")
    if not 0 <= days <= net:
        problems.append(f"discount_days: {days} is not between 0 and the net days ({net})")
    if not (percent.is_finite() and Decimal(0) <= percent < 100):
        problems.append(f"discount_percent: {percent} is not a percentage below 100")
    if (days and not percent) or (percent and not days):
        problems.append("discount_days and discount_percent go together (both set, or both 0)")
    return PaymentTerms(net, days, percent)


def _ship_tos(customer: Customer, cmd: c.CorrectCustomer, problems: list[str]) -> tuple[Any, ...]:
    if not cmd.ship_to or customer.ship_to(cmd.ship_to) is None:
        known = ", ".join(s.code for s in customer.ship_tos) or "none"
        problems.append(f"ship_to: {customer.id} has no ship-to {cmd.ship_to!r} (known: {known})")
        return customer.ship_tos
    gln = _gln(cmd.ship_to_gln or "", "ship_to_gln", problems)
    return tuple(replace(s, gln=gln) if s.code == cmd.ship_to else s for s in customer.ship_tos)


# --- handlers ------------------------------------------------------------------------------------------
def correct_customer(uow: UnitOfWork, cmd: c.CorrectCustomer, company: Company) -> str:
    customer = uow.customers.get(cmd.customer_id)
    if customer is None:
        raise DomainError(f"unknown customer {cmd.customer_id!r}")
    new, problems = corrected(customer, cmd)
    if problems:
        raise DomainError(f"{customer.id} not changed: " + "; ".join(problems))
    changed = [
        name
        for name in ("name", "vat_id", "gln", "email", "terms", "ship_tos")
        if getattr(new, name) != getattr(customer, name)
    ]
    if not changed:
        return f"{customer.id}: nothing to change"
    uow.customers.save(new)
    said = ", ".join(_said(name, getattr(customer, name), getattr(new, name)) for name in changed)
    return f"{customer.id} corrected: {said}" + _recheck_text(recheck_holds(uow, customer.id, company))


def _said(name: str, old: Any, new: Any) -> str:
    if name == "terms":
        return f"terms {old.code} -> {new.code}"
    if name == "ship_tos":
        return "ship-to GLN " + ", ".join(f"{s.code} {s.gln or 'none'}" for s in new if s not in old)
    return f"{name} {old or 'none'} -> {new or 'none'}"


def recheck_billing_holds(uow: UnitOfWork, cmd: c.RecheckBillingHolds, company: Company) -> str:
    store = BillingStore(uow.conn)
    before = {h.delivery_id: hold_reasons(h) for h in _open_holds(store, cmd.customer_id, cmd.reasons)}
    if not before:
        return f"{cmd.customer_id}: no delivery held for {', '.join(cmd.reasons) or 'any reason'}"
    outcome = recheck_holds(uow, cmd.customer_id, company, set(before))
    after = {h.delivery_id: hold_reasons(h) for h in _open_holds(store, cmd.customer_id, ())}
    if all(after.get(d) == reasons for d, reasons in before.items()):
        held = next(iter(store.hold_of(d) for d in before))
        findings = "; ".join(f.message for f in held.findings) if held else ""
        raise DomainError(
            f"still held, nothing changed: {findings}. Correct the master data first "
            f"(o2c customers edit {cmd.customer_id} or the account page), then approve"
        )
    return "; ".join(outcome.values())


def _open_holds(store: BillingStore, customer_id: str, reasons: Iterable[str]) -> list[Hold]:
    wanted = tuple(sorted(set(reasons)))
    return [h for h in store.holds_of(customer_id) if not wanted or hold_reasons(h) == wanted]


def recheck_holds(
    uow: UnitOfWork, customer_id: str, company: Company, only: set[str] | None = None
) -> dict[str, str]:
    """Draft every held delivery of the customer again (invoiced when it passes); resolve the review
    items whose holds are gone. What happened, by delivery."""
    store = BillingStore(uow.conn)
    outcome: dict[str, str] = {}
    for hold in store.holds_of(customer_id):
        if only is None or hold.delivery_id in only:
            outcome[hold.delivery_id] = _invoice(uow, hold.delivery_id, company)
    resolve_reviews(uow, customer_id)
    return outcome


def _invoice(uow: UnitOfWork, delivery_id: str, company: Company) -> str:
    """Invoice the delivery if it passes now; what stops it (master data first, say), in words."""
    try:
        return billing.invoice_delivery(uow, c.InvoiceDelivery(delivery_id), company)
    except DomainError as refused:
        return str(refused)


def resolve_reviews(uow: UnitOfWork, customer_id: str) -> int:
    """Mark resolved the pending review items of the customer that no open hold is waiting on."""
    waiting = {
        review_subject(customer_id, hold_reasons(h)) for h in BillingStore(uow.conn).holds_of(customer_id)
    }
    resolved = 0
    for row in uow.proposals.list(status="pending", agent="billing"):
        if (
            row.action == REVIEW_ACTION
            and row.subject.startswith(f"billing-hold:{customer_id}:")
            and row.subject not in waiting
        ):
            uow.proposals.decide(row.id, "resolved", "billing", uow.clock.now(), "its holds were released")
            uow.audit.append(
                uow.clock.now(),
                "billing",
                f"{REVIEW_ACTION}:resolved",
                row.subject,
                "the master data was corrected and the held deliveries invoiced",
                {"proposal": row.id},
            )
            resolved += 1
    return resolved


def _recheck_text(outcome: dict[str, str]) -> str:
    if not outcome:
        return ""
    released = sum(text.startswith("invoice ") for text in outcome.values())
    return f"; {released} of {len(outcome)} held deliveries invoiced" + "".join(
        f"\n  {d}: {text}" for d, text in outcome.items()
    )


HANDLERS: dict[type, Any] = {
    c.CorrectCustomer: correct_customer,
    c.RecheckBillingHolds: recheck_billing_holds,
}
