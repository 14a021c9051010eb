"""Order intake's storage: received files, quarantine, acknowledgements sent, stock, and intake outcomes.

Tables defined here live in the shared ``metadata`` (migration ``0002_intake``):
- ``outbound_messages``: every acknowledgement (997/855, CONTRL/ORDRSP) and drafted customer message,
  stored as rendered, with the source it answers;
- ``stock_positions`` and ``scheduled_receipts``: on hand and reserved per warehouse and SKU, and
  what arrives when (quantities in thousandths, so sums are exact in every database);
- ``order_intake``: one row per received order (source ref unique), its reason codes and what was
  decided: the duplicate guard and the figures the demo summary shows.
- ``edi_interchanges`` (migration ``0023``): per EDI sender and interchange control number, a hash
  of what the interchange carried, so a resend with the same number is told apart from a changed one.
``quarantine`` and ``imported_files`` come from the first migration; their repositories are here. A
quarantined file keeps at most its first and last ``QUARANTINE_PAGE`` bytes (with its size and
hash), and the same file refused again counts another attempt on its open entry instead of adding
a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from o2c.adapters.store import tables as t
from o2c.adapters.store.prepared import Prepared
from o2c.domain.order_checks import ScheduledReceipt, StockPlan, StockPosition

outbound_messages = Table(
    "outbound_messages", t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime, nullable=False),
    Column("kind", String(16), nullable=False, index=True),
    Column("recipient", String(100), nullable=False),
    Column("answers", String(200), nullable=False, index=True),
    Column("filename", String(300), nullable=False),
    Column("content", Text, nullable=False),
)

stock_positions = Table(
    "stock_positions", t.metadata,
    Column("sku", String(32), primary_key=True),
    Column("warehouse", String(16), primary_key=True),
    Column("on_hand_milli", BigInteger, nullable=False),
    Column("reserved_milli", BigInteger, nullable=False),
)

scheduled_receipts = Table(
    "scheduled_receipts", t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sku", String(32), nullable=False, index=True),
    Column("warehouse", String(16), nullable=False),
    Column("due", Date, nullable=False),
    Column("quantity_milli", BigInteger, nullable=False),
)

order_intake = Table(
    "order_intake", t.metadata,
    Column("source_ref", String(200), primary_key=True),
    Column("received_at", DateTime, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("customer_id", String(32), index=True),
    Column("po_number", String(64)),
    Column("status", String(16), nullable=False, index=True),
    Column("action", String(32), nullable=False),
    Column("proposal_id", String(32)),
    Column("reasons", JSON, nullable=False),
    Column("touchless", Boolean, nullable=False),
)


edi_interchanges = Table(
    "edi_interchanges", t.metadata,
    Column("family", String(8), primary_key=True),
    Column("sender", String(40), primary_key=True),
    Column("control_number", String(20), primary_key=True),
    Column("content_sha256", String(64), nullable=False),
    Column("filename", String(300), nullable=False),
    Column("received_at", DateTime, nullable=False),
)

QUARANTINE_PAGE = 64 * 1024


def _milli(quantity: Decimal) -> int:
    return int((quantity * 1000).to_integral_value())


def _units(milli: int) -> Decimal:
    return (Decimal(milli) / 1000).normalize()


class Stock:
    """On-hand, reservations and scheduled receipts: what ``StockPlan`` promises from."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def put(self, position: StockPosition) -> None:
        self.conn.execute(insert(stock_positions).values(
            sku=position.sku, warehouse=position.warehouse, on_hand_milli=_milli(position.on_hand),
            reserved_milli=_milli(position.reserved)))

    def schedule(self, receipt: ScheduledReceipt) -> None:
        self.conn.execute(insert(scheduled_receipts).values(
            sku=receipt.sku, warehouse=receipt.warehouse, due=receipt.due, quantity_milli=_milli(receipt.quantity)))

    def plan(self, skus: set[str] | None = None) -> StockPlan:
        pos_query, rec_query = select(stock_positions), select(scheduled_receipts)
        if skus is not None:
            pos_query = pos_query.where(stock_positions.c.sku.in_(sorted(skus)))
            rec_query = rec_query.where(scheduled_receipts.c.sku.in_(sorted(skus)))
        positions = tuple(StockPosition(r.sku, r.warehouse, _units(r.on_hand_milli), _units(r.reserved_milli))
                          for r in self.conn.execute(pos_query.order_by(stock_positions.c.sku,
                                                                        stock_positions.c.warehouse)))
        receipts = tuple(ScheduledReceipt(r.sku, r.warehouse, r.due, _units(r.quantity_milli))
                         for r in self.conn.execute(rec_query.order_by(scheduled_receipts.c.id)))
        return StockPlan(positions, receipts)

    def reserve_lines(self, lines: list[tuple[str, Decimal]]) -> None:
        """Reserve each (SKU, quantity) at the warehouse with the most free stock; untracked SKUs are skipped."""
        skus = sorted({sku for sku, _ in lines})
        free: dict[str, dict[str, int]] = {}
        for sku, warehouse, on_hand, reserved in _positions_of(len(skus)).rows(
                self.conn, {f"sku_{n}": sku for n, sku in enumerate(skus)}):
            free.setdefault(sku, {})[warehouse] = on_hand - reserved
        reservations = []
        for sku, quantity in lines:
            if sku not in free:
                continue
            warehouse = max(sorted(free[sku]), key=lambda wh: free[sku][wh])
            free[sku][warehouse] -= _milli(quantity)
            reservations.append({"r_sku": sku, "r_warehouse": warehouse, "r_milli": _milli(quantity)})
        if reservations:  # one statement, executed for every reservation
            _RESERVE.run(self.conn, reservations)


@cache
def _positions_of(skus: int) -> Prepared:
    """On hand and reserved of ``skus`` SKUs (``sku_0`` ...), by SKU and warehouse: one statement per count."""
    c = stock_positions.c
    return Prepared(select(c.sku, c.warehouse, c.on_hand_milli, c.reserved_milli)
                    .where(or_(*(c.sku == bindparam(f"sku_{n}") for n in range(skus))))
                    .order_by(c.sku, c.warehouse))


_RESERVE = Prepared(
    update(stock_positions)
    .where(stock_positions.c.sku == bindparam("r_sku"), stock_positions.c.warehouse == bindparam("r_warehouse"))
    .values(reserved_milli=stock_positions.c.reserved_milli + bindparam("r_milli")))


@dataclass(frozen=True, slots=True)
class IntakeRecord:
    source_ref: str
    received_at: datetime
    channel: str
    customer_id: str | None
    po_number: str | None
    status: str
    action: str
    proposal_id: str | None
    reasons: list[str]
    touchless: bool


class IntakeLog:
    """One row per received order: the duplicate guard and the intake figures."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    _ADD = Prepared(insert(order_intake), list(IntakeRecord.__slots__))
    _GET = Prepared(select(order_intake).where(order_intake.c.source_ref == bindparam("source_ref")))
    _HAS = Prepared(select(order_intake.c.source_ref).where(order_intake.c.source_ref == bindparam("source_ref")))

    def add(self, record: IntakeRecord) -> None:
        self._ADD.run(self.conn, {f: getattr(record, f) for f in record.__slots__})

    def forget_rejected(self, source_ref: str) -> None:
        """Drop a rejected order's row so the order can be checked again (a rejected order booked nothing)."""
        self.conn.execute(delete(order_intake).where(order_intake.c.source_ref == source_ref,
                                                     order_intake.c.status == "rejected"))

    def get(self, source_ref: str) -> IntakeRecord | None:
        row = self._GET.first(self.conn, {"source_ref": source_ref})
        return IntakeRecord(**dict(zip(order_intake.c.keys(), row, strict=True))) if row else None

    def has(self, source_ref: str) -> bool:
        """Whether an order from this source was received before (the duplicate guard)."""
        return self._HAS.first(self.conn, {"source_ref": source_ref}) is not None

    def all(self) -> list[IntakeRecord]:
        rows = self.conn.execute(select(order_intake).order_by(order_intake.c.received_at,
                                                               order_intake.c.source_ref))
        return [IntakeRecord(**r._mapping) for r in rows]


class TruncatedContent(Exception):
    """Only the first and last pages of a large quarantined file were kept: the original is needed."""


@dataclass(frozen=True, slots=True)
class QuarantinedBody:
    """What was kept of a refused file: all of it, or its first and last pages with size and hash."""

    size: int
    sha256: str
    head: bytes
    tail: bytes
    truncated: bool

    def original(self) -> bytes:
        """The file as received; ``TruncatedContent`` when only its pages were kept."""
        if self.truncated:
            raise TruncatedContent(f"only the first and last {QUARANTINE_PAGE // 1024} KiB of this {self.size:,}-byte "
                                   f"file were kept (SHA-256 {self.sha256}): send the original file again")
        return self.head


class Quarantine:
    """Files refused, with the reason, for a person to look at: a file up to two pages is kept byte
    for byte, a larger one as its first and last page; one open entry per file and source, counting
    attempts."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, at: datetime, source: str, filename: str, sha256: str, reason: str, content: bytes) -> int:
        q = t.quarantine.c
        known = self.conn.execute(select(q.id).where(q.sha256 == sha256, q.source == source, q.status == "open")
                                  .order_by(q.id).limit(1)).scalar()
        if known is not None:
            self.conn.execute(update(t.quarantine).where(q.id == known).values(
                attempts=q.attempts + 1, last_seen_at=at, reason=reason, filename=filename[:300]))
            return int(known)
        truncated = len(content) > 2 * QUARANTINE_PAGE
        return int(self.conn.execute(insert(t.quarantine).values(
            received_at=at, last_seen_at=at, source=source, filename=filename[:300], sha256=sha256, reason=reason,
            content=content[:QUARANTINE_PAGE] if truncated else content, status="open", size_bytes=len(content),
            content_tail=content[-QUARANTINE_PAGE:] if truncated else None, truncated=truncated, attempts=1,
        ).returning(q.id)).scalar_one())

    def entry(self, entry_id: int) -> dict[str, Any] | None:
        """An entry without its content: file name, source, reason, status, size, attempts."""
        q = t.quarantine.c
        row = self.conn.execute(select(q.id, q.received_at, q.last_seen_at, q.source, q.filename, q.reason, q.status,
                                       q.size_bytes, q.truncated, q.attempts).where(q.id == entry_id)).first()
        return dict(row._mapping) if row else None

    def body(self, entry_id: int) -> QuarantinedBody | None:
        q = t.quarantine.c
        row = self.conn.execute(select(q.content, q.content_tail, q.truncated, q.size_bytes, q.sha256)
                                .where(q.id == entry_id)).first()
        if row is None:
            return None
        head, tail = bytes(row.content), bytes(row.content_tail or b"")
        size = row.size_bytes if row.size_bytes is not None else len(head)
        return QuarantinedBody(size, row.sha256, head, tail, bool(row.truncated))

    def entries(self, status: str | None = "open", limit: int = 200) -> list[dict[str, Any]]:
        """Entries without their content, newest first (``status`` None: all)."""
        q = t.quarantine.c
        query = select(q.id, q.received_at, q.last_seen_at, q.source, q.filename, q.reason, q.status, q.size_bytes,
                       q.truncated, q.attempts).order_by(q.id.desc()).limit(limit)
        if status:
            query = query.where(q.status == status)
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def close(self, entry_id: int, status: str) -> None:
        """Mark an entry ``resolved`` (imported after a fix) or ``dismissed`` (a person closed it)."""
        self.conn.execute(update(t.quarantine).where(t.quarantine.c.id == entry_id).values(status=status))

    def by_sha(self, sha256: str) -> list[dict[str, Any]]:
        q = t.quarantine.c
        rows = self.conn.execute(select(q.id, q.filename, q.reason, q.status, q.attempts, q.size_bytes, q.truncated)
                                 .where(q.sha256 == sha256))
        return [dict(r._mapping) for r in rows]

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(t.quarantine)).scalar_one())


class ImportedFiles:
    """Files already booked, by content hash: importing the same file twice books nothing twice."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def seen(self, sha256: str) -> bool:
        return self.conn.execute(select(t.imported_files.c.sha256)
                                 .where(t.imported_files.c.sha256 == sha256)).first() is not None

    def add(self, sha256: str, filename: str, file_format: str, at: datetime) -> None:
        self.conn.execute(insert(t.imported_files).values(sha256=sha256, filename=filename[:300],
                                                          format=file_format, imported_at=at))


class Interchanges:
    """What each EDI interchange received carried, by sender and control number: a resend with the same
    number and the same content is a harmless duplicate; the same number with other content is not."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def recorded(self, family: str, sender: str, control_number: str) -> dict[str, Any] | None:
        c = edi_interchanges.c
        row = self.conn.execute(select(edi_interchanges).where(
            c.family == family, c.sender == sender[:40], c.control_number == control_number[:20])).first()
        return dict(row._mapping) if row else None

    def add(self, family: str, sender: str, control_number: str, content_sha256: str, filename: str,
            at: datetime) -> None:
        self.conn.execute(insert(edi_interchanges).values(
            family=family, sender=sender[:40], control_number=control_number[:20], content_sha256=content_sha256,
            filename=filename[:300], received_at=at))


class OutboundMessages:
    """Acknowledgements and drafted messages, stored as sent (or as drafted)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    _ADD = Prepared(insert(outbound_messages), ["created_at", "kind", "recipient", "answers", "filename", "content"])

    def add(self, at: datetime, kind: str, recipient: str, answers: str, filename: str, content: str) -> None:
        self._ADD.run(self.conn, {"created_at": at, "kind": kind, "recipient": recipient[:100],
                                  "answers": answers[:200], "filename": filename[:300], "content": content})

    def for_source(self, answers_prefix: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(select(outbound_messages).where(outbound_messages.c.answers.startswith(
            answers_prefix)).order_by(outbound_messages.c.id))
        return [dict(r._mapping) for r in rows]


@dataclass
class IntakeStore:
    """The intake repositories on one connection (the caller's unit of work)."""

    conn: Connection

    def __post_init__(self) -> None:
        self.stock = Stock(self.conn)
        self.log = IntakeLog(self.conn)
        self.quarantine = Quarantine(self.conn)
        self.files = ImportedFiles(self.conn)
        self.interchanges = Interchanges(self.conn)
        self.outbound = OutboundMessages(self.conn)


def seed_stock(conn: Connection, positions: list[StockPosition], receipts: list[ScheduledReceipt]) -> None:
    """Bulk-load stock for a demo or test world."""
    if positions:
        conn.execute(insert(stock_positions), [{"sku": p.sku, "warehouse": p.warehouse,
                                                "on_hand_milli": _milli(p.on_hand),
                                                "reserved_milli": _milli(p.reserved)} for p in positions])
    if receipts:
        conn.execute(insert(scheduled_receipts), [{"sku": r.sku, "warehouse": r.warehouse, "due": r.due,
                                                   "quantity_milli": _milli(r.quantity)} for r in receipts])

