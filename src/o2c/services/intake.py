"""Order intake: receive an order file or e-mail, check every order, decide, book and acknowledge.

One file (or one batch of e-mails) is one unit of work, so nothing is ever half-created:
1. a file already imported (same SHA-256) books nothing; an unreadable file, or one with envelope or
   segment errors (truncated, wrong counts, bad control numbers), is quarantined with every error
   naming its segment, and a rejecting 997/CONTRL is stored; no order is created;
2. each order becomes an ``OrderRequest`` (``intake_channels``) whose source reference (interchange
   control number + sender, or message id / content hash) guards against duplicates: an order seen
   before is skipped;
3. ``check_order`` finds every problem; the intake agent turns the result into one proposal, which
   goes through the policy gate (``submit``: execute, approvals queue, or refuse; always audited);
4. what was decided is logged in ``order_intake``; 855/ORDRSP and 997/CONTRL, and any drafted
   message to the customer, are stored in ``outbound_messages``.
Booked orders raise ``OrderCaptured``, which the credit agent answers through the dispatcher (the
caller drains it), so credit only ever checks orders intake has passed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from o2c.adapters.formats import bank
from o2c.adapters.formats.orders import FormatError, dry_run_summary, identify_order_file, parse_order_file
from o2c.adapters.formats.orders.acknowledgement import (
    ControlNumbers,
    OrderAcknowledgement,
    Partners,
    Sending,
    order_status_of,
)
from o2c.adapters.formats.orders.edifact_ack import render_contrl, render_ordrsp
from o2c.adapters.formats.orders.model import EnvelopeReceipt, ParsedInterchange, ParsedOrder
from o2c.adapters.formats.orders.x12_ack import render_855, render_997
from o2c.adapters.store import tables as t
from o2c.adapters.store.intake_store import IntakeRecord, IntakeStore, TruncatedContent
from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.intake import IntakeAgent, IntakeDecision
from o2c.domain.errors import AmountOutOfRange, DomainError
from o2c.domain.order_checks import (
    IntakeReference,
    IntakeRules,
    OrderingPattern,
    OrderRequest,
    check_order,
    seasonal_index,
    typical_quantity,
)
from o2c.policy.gate import Outcome, Policy
from o2c.policy.order_intake import load_intake_rules
from o2c.services.handlers import Company
from o2c.services.intake_channels import EmailOrder, request_from_email, request_from_parsed
from o2c.services.proposals import submit

HISTORY_DAYS = 120
PO_DAYS = 730   # a PO number reused within two years is a duplicate
STATUS = {Outcome.EXECUTE: "captured", Outcome.NEEDS_APPROVAL: "pending", Outcome.REFUSE: "refused"}


@dataclass(frozen=True, slots=True)
class OrderOutcome:
    source_ref: str
    status: str
    action: str
    reasons: tuple[str, ...] = ()
    order_id: str | None = None
    proposal_id: str | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    filename: str
    format: str | None
    status: str
    errors: tuple[str, ...] = ()
    orders: tuple[OrderOutcome, ...] = ()


UNKNOWN_SENDER = "unknown_sender"
"""The quarantine source of a file whose orders came from a sender no customer is mapped to."""


def _unknown_senders(report: ImportReport) -> int:
    return sum("unknown_customer" in o.reasons for o in report.orders)


def load_reference(uow: UnitOfWork, today: date, rules: IntakeRules | None = None) -> IntakeReference:
    """Master data, ordering patterns and stock as of ``today``, read once for a file or batch;
    ``rules`` default to the shipped policy's ``order_intake`` section."""
    store = IntakeStore(uow.conn)
    rules = rules or load_intake_rules()
    return IntakeReference(
        today=today, customers={c.id: c for c in uow.customers.all()},
        products={p.sku: p for p in uow.products.all()}, price_lists=uow.price_lists.all(),
        promotions=uow.promotions.all(), patterns=ordering_patterns(uow, store, today, rules),
        stock=store.stock.plan(), rules=rules,
        partners=uow.partners.directory())


def ordering_patterns(uow: UnitOfWork, store: IntakeStore, today: date,
                      rules: IntakeRules | None = None) -> dict[str, OrderingPattern]:
    """Per customer: the median quantity per SKU and overall over recent orders (before the current
    season's window, so that a peak under way does not raise its own yardstick), every PO used, and
    the seasonal index from what it ordered around the same day a year ago."""
    rules = rules or IntakeRules()
    recent_from = today - timedelta(days=HISTORY_DAYS)
    year_ago = today - timedelta(days=364)
    window = timedelta(days=rules.season_window_days)
    dated = t.orders.c.order_date
    rows = uow.conn.execute(select(t.orders.c.customer_id, t.orders.c.po_number, dated, t.orders.c.body)
                            .where((dated >= recent_from) | dated.between(year_ago - window, year_ago + window)))
    by_sku: dict[str, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    season: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    pos: dict[str, set[str]] = defaultdict(set)
    for customer_id, po, order_date, body in rows:
        if po:
            pos[customer_id].add(po)
        recent = recent_from <= order_date < today - window
        for line in body["lines"]:
            quantity = Decimal(line["quantity"])
            if recent:
                by_sku[customer_id][line["sku"]].append(quantity)
            elif order_date < recent_from:
                season[customer_id].append((line["sku"], quantity))
    used = uow.conn.execute(select(t.orders.c.customer_id, t.orders.c.po_number)
                            .where((dated >= today - timedelta(days=PO_DAYS)) & t.orders.c.po_number.is_not(None)))
    for customer_id, po in used:
        pos[customer_id].add(po)
    for record in store.log.all():
        if record.po_number and record.customer_id and record.status in ("captured", "pending"):
            pos[record.customer_id].add(record.po_number)
    return {cid: _pattern(by_sku.get(cid, {}), pos.get(cid, set()), season.get(cid, []), rules)
            for cid in set(by_sku) | set(pos)}


def _pattern(quantities: dict[str, list[Decimal]], po_numbers: set[str], same_weeks_last_year: list[tuple[str, Decimal]],
             rules: IntakeRules) -> OrderingPattern:
    typical = {sku: q for sku, values in quantities.items() if (q := typical_quantity(values)) is not None}
    overall = typical_quantity([v for values in quantities.values() for v in values])
    return OrderingPattern(typical, overall, frozenset(po_numbers),
                           seasonal_index(same_weeks_last_year, typical, rules.min_season_lines))


@dataclass
class IntakeService:
    uow_factory: Callable[[], UnitOfWork]
    policy: Policy
    company: Company
    agent: IntakeAgent = field(default_factory=IntakeAgent)
    rules: IntakeRules = field(default_factory=load_intake_rules)

    @classmethod
    def for_app(cls, app: Any) -> IntakeService:
        """The service on a bootstrapped ``App`` (thresholds from its policy file)."""
        return cls(app.uow, app.policy, app.company, rules=load_intake_rules(app.settings.policy_file))

    def import_file(self, data: bytes, filename: str, reference: IntakeReference | None = None) -> ImportReport:
        """Import one order file (X12 850, EDIFACT ORDERS or CSV) in one transaction. A ``reference``
        read earlier in the same day may be passed in to save reading it again (the demo does)."""
        sha = hashlib.sha256(data).hexdigest()
        with self.uow_factory() as uow:
            store = IntakeStore(uow.conn)
            if store.files.seen(sha):
                return ImportReport(filename, identify_order_file(data, filename), "already_imported")
            try:
                report = self._import(uow, store, data, filename, sha, reference)
            except (FormatError, DomainError) as error:
                uow.rollback()
                report = self._quarantine(uow, store, data, filename, sha, None, [str(error)])
            uow.commit()
        return report

    def retry_quarantined(self, entry_id: int, actor: str = "intake") -> ImportReport:
        """Import a quarantined order file again (after master data was fixed or its EDI sender mapped).
        A file kept only as its first and last pages cannot be retried: the report says the original is
        needed. An entry whose file now imports is closed as ``resolved``; an unknown sender's file is read
        again even though it was received before (its rejected orders booked nothing)."""
        with self.uow_factory() as uow:
            store = IntakeStore(uow.conn)
            entry, body = store.quarantine.entry(entry_id), store.quarantine.body(entry_id)
        if entry is None or body is None:
            return ImportReport(f"quarantine #{entry_id}", None, "not_found", (f"no quarantined file #{entry_id}",))
        if entry["status"] != "open":
            return ImportReport(entry["filename"], entry["source"], entry["status"],
                                (f"quarantined file #{entry_id} is {entry['status']} already",))
        try:
            data = body.original()
        except TruncatedContent as error:
            return ImportReport(entry["filename"], entry["source"], "needs_original", (str(error),))
        if entry["source"] == UNKNOWN_SENDER:
            report = self._read_again(data, entry["filename"])
        else:
            report = self.import_file(data, entry["filename"])
        if report.status == "imported" and not _unknown_senders(report):
            with self.uow_factory() as uow:
                IntakeStore(uow.conn).quarantine.close(entry_id, "resolved")
                uow.audit.append(uow.clock.now(), actor, "quarantine_resolved", f"quarantine:{entry_id}",
                                 f"{entry['filename']} imported on retry",
                                 {"orders": [o.source_ref for o in report.orders]})
                uow.commit()
        return report

    def _read_again(self, data: bytes, filename: str) -> ImportReport:
        sha = hashlib.sha256(data).hexdigest()
        with self.uow_factory() as uow:
            store = IntakeStore(uow.conn)
            try:
                report = self._import(uow, store, data, filename, sha, None, again=True)
            except (FormatError, DomainError) as error:
                uow.rollback()
                report = self._quarantine(uow, store, data, filename, sha, None, [str(error)])
            uow.commit()
        return report

    def receive_emails(self, messages: Sequence[EmailOrder],
                       reference: IntakeReference | None = None) -> list[OrderOutcome]:
        """Book the orders in customers' e-mails (one transaction for the batch)."""
        with self.uow_factory() as uow:
            store = IntakeStore(uow.conn)
            ref = reference or load_reference(uow, uow.clock.today(), self.rules)
            usual = {cid: p.typical_by_sku for cid, p in ref.patterns.items()}
            outcomes = []
            for message in messages:
                request = request_from_email(message, ref.today, ref.customers.values(), ref.products.values(),
                                             self._usual_for(message, ref, usual))
                try:
                    outcome, decision = self._book(uow, store, request, ref)
                except AmountOutOfRange as error:  # raised while judging, before anything is written
                    outcomes.append(self._quarantine_email(uow, store, message, request.source_ref, str(error)))
                    continue
                if decision and decision.message_to_customer:
                    store.outbound.add(uow.clock.now(), "draft", message.sender, request.source_ref,
                                       f"reply-{request.source_ref}.txt", decision.message_to_customer)
                outcomes.append(outcome)
            uow.commit()
        return outcomes

    def _quarantine_email(self, uow: UnitOfWork, store: IntakeStore, message: EmailOrder, source_ref: str,
                          error: str) -> OrderOutcome:
        data = message.text.encode("utf-8")
        reason = f"e-mail from {message.sender}: {error}"
        store.quarantine.add(uow.clock.now(), "email", source_ref, hashlib.sha256(data).hexdigest(), reason, data)
        uow.audit.append(uow.clock.now(), "intake", "quarantine_email", f"order:{source_ref[:90]}", reason[:2000], {})
        return OrderOutcome(source_ref, "quarantined", "none", ("amount_out_of_range",))

    def _usual_for(self, message: EmailOrder, ref: IntakeReference,
                   usual: dict[str, dict[str, Decimal]]) -> dict[str, Decimal]:
        sender = message.sender.lower()
        customer = next((c for c in ref.customers.values() if (c.email or "").lower() == sender), None)
        return usual.get(customer.id, {}) if customer else {}

    def _import(self, uow: UnitOfWork, store: IntakeStore, data: bytes, filename: str, sha: str,
                reference: IntakeReference | None, again: bool = False) -> ImportReport:
        parsed = parse_order_file(data, filename)
        if not parsed.is_clean:
            return self._quarantine(uow, store, data, filename, sha, parsed, [e.describe() for e in parsed.errors])
        if changed := changed_interchanges(store, parsed):
            return self._quarantine(uow, store, data, filename, sha, None, changed)
        ref = reference or load_reference(uow, uow.clock.today(), self.rules)
        outcomes = []
        for order in parsed.orders:
            request = request_from_parsed(order, sha)
            if again:
                store.log.forget_rejected(request.source_ref)
            outcome, decision = self._book(uow, store, request, ref)
            outcomes.append(outcome)
            if decision is not None:
                self._acknowledge_order(uow, store, parsed, order, outcome, decision)
        self._acknowledge_interchanges(uow, store, parsed)
        remember_interchanges(store, parsed, filename, uow.clock.now())
        if not store.files.seen(sha):
            store.files.add(sha, filename, parsed.source_format, uow.clock.now())
        senders = sorted({":".join(p for p in (o.sender_qualifier, o.sender_id) if p)
                          for o, out in zip(parsed.orders, outcomes, strict=True)
                          if o.sender_id and o.source_format != "csv.orders" and "unknown_customer" in out.reasons})
        if senders:
            unknown = _unknown_senders(ImportReport(filename, None, "", (), tuple(outcomes)))
            store.quarantine.add(uow.clock.now(), UNKNOWN_SENDER, filename, sha,
                                 f"{unknown} order(s) from no known customer ("
                                 + ", ".join(f"EDI sender {s}" for s in senders)
                                 + "): map the sender to a customer, then retry", data)
        uow.audit.append(uow.clock.now(), "intake", "import_file", f"file:{filename[:90]}",
                         f"{len(outcomes)} orders read from {parsed.source_format}",
                         {"sha256": sha, "orders": [o.source_ref for o in outcomes]})
        return ImportReport(filename, parsed.source_format, "imported", (), tuple(outcomes))

    def _quarantine(self, uow: UnitOfWork, store: IntakeStore, data: bytes, filename: str, sha: str,
                    parsed: ParsedInterchange | None, errors: list[str]) -> ImportReport:
        file_format = parsed.source_format if parsed else identify_order_file(data, filename)
        reason = "; ".join(errors)
        store.quarantine.add(uow.clock.now(), file_format or "unknown", filename, sha, reason, data)
        if parsed is not None:
            self._acknowledge_interchanges(uow, store, parsed)
        uow.audit.append(uow.clock.now(), "intake", "quarantine_file", f"file:{filename[:90]}", reason[:2000],
                         {"sha256": sha, "format": file_format})
        return ImportReport(filename, file_format, "quarantined", tuple(errors))

    def _book(self, uow: UnitOfWork, store: IntakeStore, request: OrderRequest,
              ref: IntakeReference) -> tuple[OrderOutcome, IntakeDecision | None]:
        if store.log.has(request.source_ref) or uow.orders.id_by_source(request.source_ref):
            return OrderOutcome(request.source_ref, "duplicate", "none"), None
        checked = check_order(request, ref)
        decision = self.agent.decide(checked, ref)
        reasons = tuple(sorted({p.reason.value for p in checked.problems}))
        status, order_id, proposal_id = "rejected", None, None
        if decision.proposal is None:
            uow.audit.append(uow.clock.now(), "intake", "reject_order", f"order:{request.source_ref}",
                             "; ".join(p.message for p in checked.problems), {"reasons": list(reasons)})
        else:
            submitted = submit(uow, decision.proposal, self.policy, self.company)
            status, proposal_id = STATUS[submitted.outcome], submitted.proposal_id
            order_id = submitted.result.split()[1] if submitted.result.startswith("order ") else None
            self._remember(ref, decision)
        customer_id = checked.customer.id if checked.customer else None
        store.log.add(IntakeRecord(request.source_ref, uow.clock.now(), request.channel, customer_id,
                                   request.po_number, status, decision.action, proposal_id, list(reasons),
                                   status == "captured" and decision.action == "capture_order"))
        return OrderOutcome(request.source_ref, status, decision.action, reasons, order_id, proposal_id), decision

    def _remember(self, ref: IntakeReference, decision: IntakeDecision) -> None:
        """Later orders of the same batch see this order's PO and stock as taken."""
        command = decision.proposal.command if decision.proposal else None
        customer_id = getattr(command, "customer_id", None)
        if not customer_id:
            return
        pattern = ref.patterns.get(customer_id, OrderingPattern())
        po = getattr(command, "po_number", None)
        if po:
            ref.patterns[customer_id] = replace(pattern, po_numbers=pattern.po_numbers | {po})
        for line in getattr(command, "lines", ()):
            ref.stock.take(line.sku, line.quantity)

    def _acknowledge_order(self, uow: UnitOfWork, store: IntakeStore, parsed: ParsedInterchange,
                           order: ParsedOrder, outcome: OrderOutcome, decision: IntakeDecision) -> None:
        envelope = _envelope_of(parsed, order)
        if envelope is None or outcome.status == "pending":
            return
        lines = decision.acknowledgement
        ack = OrderAcknowledgement(order.po_number, order_status_of(lines), uow.clock.today(), lines,
                                   order.po_date, outcome.order_id, order.currency,
                                   order.buyer.party_id if order.buyer else None)
        sending = self._sending(uow, envelope)
        x12 = parsed.source_format.startswith("x12")
        content = render_855(ack, sending) if x12 else render_ordrsp(ack, sending)
        kind = "855" if x12 else "ORDRSP"
        store.outbound.add(uow.clock.now(), kind, envelope.sender_id, outcome.source_ref,
                           f"{kind}-{order.po_number}.edi", content.decode("latin-1"))
        if decision.message_to_customer:
            store.outbound.add(uow.clock.now(), "draft", envelope.sender_id, outcome.source_ref,
                               f"message-{order.po_number}.txt", decision.message_to_customer)

    def _acknowledge_interchanges(self, uow: UnitOfWork, store: IntakeStore, parsed: ParsedInterchange) -> None:
        for envelope in parsed.envelopes:
            x12 = parsed.source_format.startswith("x12")
            content = render_997(envelope, self._sending(uow, envelope)) if x12 else \
                render_contrl(envelope, self._sending(uow, envelope))
            kind = "997" if x12 else "CONTRL"
            family = parsed.source_format.split(".")[0]
            store.outbound.add(uow.clock.now(), kind, envelope.sender_id,
                               f"{family}:{envelope.sender_id}:{envelope.control_number}",
                               f"{kind}-{envelope.control_number}.edi", content.decode("latin-1"))

    def _sending(self, uow: UnitOfWork, envelope: EnvelopeReceipt) -> Sending:
        number = int(uow.sequences.next("edi_ack", "ACK", 9).rsplit("-", 1)[1])
        return Sending(Partners.replying_to(envelope), ControlNumbers(number), uow.clock.now(), envelope.test)


def changed_interchanges(store: IntakeStore, parsed: ParsedInterchange) -> list[str]:
    """Why each interchange of ``parsed`` that reuses a recorded sender + control number with other
    orders in it must go to review (empty when none does). An identical resend is not listed: its
    orders are then skipped as duplicates."""
    family = parsed.source_format.split(".")[0]
    found = []
    for envelope in parsed.envelopes:
        recorded = store.interchanges.recorded(family, envelope.sender_id, envelope.control_number)
        if recorded and recorded["content_sha256"] != interchange_hash(parsed, envelope):
            found.append(f"{family.upper()} interchange {envelope.control_number} from {envelope.sender_id}: same "
                         f"control number, changed content (first received {recorded['received_at']:%Y-%m-%d %H:%M} "
                         f"in {recorded['filename']})")
    return found


def remember_interchanges(store: IntakeStore, parsed: ParsedInterchange, filename: str, at: datetime) -> None:
    """Record what each new interchange carried, so a later resend can be compared with it."""
    family = parsed.source_format.split(".")[0]
    for envelope in parsed.envelopes:
        if not store.interchanges.recorded(family, envelope.sender_id, envelope.control_number):
            store.interchanges.add(family, envelope.sender_id, envelope.control_number,
                                   interchange_hash(parsed, envelope), filename, at)


def interchange_hash(parsed: ParsedInterchange, envelope: EnvelopeReceipt) -> str:
    """SHA-256 of the orders an interchange carries, as read: the same business content hashes the same
    whatever the line breaks or the envelope's date and time of a resend."""
    orders = [repr(order) for order in parsed.orders if order.interchange_control_number == envelope.control_number
              and order.sender_id in (None, envelope.sender_id)]
    return hashlib.sha256("\n".join(orders).encode("utf-8")).hexdigest()


def _envelope_of(parsed: ParsedInterchange, order: ParsedOrder) -> EnvelopeReceipt | None:
    return next((e for e in parsed.envelopes if e.control_number == order.interchange_control_number), None)


def preview_file(data: bytes, filename: str) -> tuple[dict[str, Any], bool]:
    """What an order or bank/remittance file holds, without a database: (summary, readable).

    Readable means o2c could read the content: for order files, orders were read and every message
    in them is intact (a missing interchange trailer alone is reported but does not refuse the
    preview; the import still quarantines such a file); for bank files, the file parsed (balance
    problems show among the errors). A file that reads as a bank file (camt in UTF-16 or zipped, MT940,
    BAI2, OFX...) is read as one; only a CSV that both could read is left to order intake."""
    bank_format = bank.identify_bank_file(data, filename)
    if bank_format and (bank_format != "csv" or not identify_order_file(data, filename)):
        try:
            return bank.dry_run_summary(bank.parse_bank_file(data, filename, strict=False)), True
        except bank.FormatError:
            return bank.dry_run(data, filename), False
    if identify_order_file(data, filename):
        try:
            parsed = parse_order_file(data, filename)
        except FormatError as error:
            return {"format": identify_order_file(data, filename), "orders": [], "errors": [error.as_dict()]}, False
        return dry_run_summary(parsed), _messages_intact(parsed)
    return {"format": None, "orders": [], "errors": [
        {"segment": None, "position": None, "field": None, "message":
         "not a supported file: no X12 850, EDIFACT ORDERS, order CSV, camt, MT940, BAI2, X12 820 or bank CSV"}]}, False


def _messages_intact(parsed: ParsedInterchange) -> bool:
    if not parsed.orders:
        return False
    if not parsed.envelopes:
        return parsed.is_clean
    return all(message.accepted and not group.errors for envelope in parsed.envelopes
               for group in envelope.groups for message in group.messages)


def intake_summary(uow: UnitOfWork) -> dict[str, Any]:
    """The order agent's work for the demo summary: touchless rate, discrepancies by reason, decisions."""
    records = IntakeStore(uow.conn).log.all()
    by_reason: dict[str, int] = defaultdict(int)
    by_action: dict[str, int] = defaultdict(int)
    for record in records:
        by_action[record.action] += 1
        for reason in record.reasons:
            by_reason[reason] += 1
    touchless = sum(r.touchless for r in records)
    return {"orders_received": len(records),
            "touchless_rate": round(touchless / len(records), 4) if records else 0.0,
            "discrepancies_by_reason": dict(sorted(by_reason.items())),
            "decisions": dict(sorted(by_action.items())),
            "substitutes_proposed": by_action.get("substitute_item", 0),
            "split_deliveries_proposed": by_action.get("split_delivery", 0),
            "awaiting_review": sum(r.status == "pending" for r in records),
            "rejected": sum(r.status == "rejected" for r in records)}
