"""Repositories: row <-> domain object mapping for aggregates, one small class each."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update

from o2c.adapters.store import tables as t
from o2c.adapters.store.insert_once import insert_once, inserted
from o2c.adapters.store.prepared import Prepared
from o2c.domain.catalog import PriceList, Product, Promotion
from o2c.domain.codec import decode, encode
from o2c.domain.customers import Customer
from o2c.domain.invoices import Invoice
from o2c.domain.orders import OPEN_ORDER_STATUSES, Delivery, Order, OrderStatus
from o2c.domain.payments import Case, Payment, PromiseToPay

T = TypeVar("T")


class DocumentRepository(Generic[T]):
    """An aggregate stored as indexed columns plus its encoded body."""

    table: Table
    key: str
    cls: type

    remembers = False
    """Keep what this transaction read or wrote, by key (SQLite only; see ``__init__``)."""
    _statements: dict[str, Any]
    _prepared_writes: dict[str, Prepared]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Each repository's keyed statements are built once, so a hot path only binds and runs them."""
        super().__init_subclass__(**kwargs)
        table, key = cls.__dict__.get("table"), cls.__dict__.get("key")
        if table is None or key is None:
            return
        by_key = table.c[key] == bindparam("row_key")
        get = select(table.c.body).where(by_key)
        cls._statements = {"insert": insert(table), "update": update(table).where(by_key), "get": Prepared(get),
                           "get_for_update": Prepared(get.with_for_update())}
        cls._prepared_writes = {}

    def _write(self, kind: str, values: dict[str, Any]) -> None:
        """An insert or update of one aggregate's row; the columns a repository writes never change."""
        prepared = self._prepared_writes.get(kind)
        if prepared is None:
            prepared = self._prepared_writes[kind] = Prepared(
                self._statements[kind], [k for k in values if k != "row_key"])
        prepared.run(self.conn, values)

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # On SQLite a unit of work holds the database's write lock from its first statement, and every
        # write to these rows goes through this repository: an aggregate read or written once in the
        # transaction is known until it ends (``forget`` on commit, rollback and a savepoint undone).
        self._known: dict[str, T] | None = {} if self.remembers and conn.dialect.name == "sqlite" else None

    def forget(self) -> None:
        if self._known:
            self._known.clear()

    def _remember(self, key: str, obj: T) -> None:
        if self._known is not None:
            self._known[key] = obj

    def columns(self, obj: T) -> dict[str, Any]:
        raise NotImplementedError

    def _changed(self) -> None:
        """Called before every write through this repository."""

    def add(self, obj: T) -> T:
        self._changed()
        columns = self.columns(obj)
        self._write("insert", {**columns, "body": encode(obj)})
        self._remember(columns[self.key], obj)
        return obj

    def add_many(self, objs: Iterable[T]) -> None:
        self._changed()
        rows = [{**self.columns(o), "body": encode(o)} for o in objs]
        if rows:
            self.conn.execute(self._statements["insert"], rows)

    def save(self, obj: T) -> T:
        self._changed()
        columns = self.columns(obj)
        self._write("update", {**columns, "body": encode(obj), "row_key": columns[self.key]})
        self._remember(columns[self.key], obj)
        return obj

    def get(self, key: str, *, for_update: bool = False) -> T | None:
        if self._known is not None and key in self._known:
            return self._known[key]
        locking = for_update and self.conn.dialect.name == "postgresql"
        body = self._statements["get_for_update" if locking else "get"].scalar(self.conn, {"row_key": key})
        found = None if body is None else decode(self.cls, body)
        if found is not None:
            self._remember(key, found)
        return found

    def where(self, *conditions: Any, order_by: Any = None, limit: int | None = None, offset: int = 0) -> list[T]:
        query = select(self.table.c.body).where(*conditions)
        query = query.order_by(order_by if order_by is not None else self.table.c[self.key], self.table.c[self.key])
        if offset:
            query = query.offset(offset)
        if limit:
            query = query.limit(limit)
        return [decode(self.cls, body) for body in self.conn.execute(query).scalars()]

    def all(self) -> list[T]:
        return self.where()

    def count(self, *conditions: Any) -> int:
        return int(self.conn.execute(select(func.count()).select_from(self.table).where(*conditions)).scalar_one())


def _minor(amount: Decimal, places: int = 2) -> int:
    return int((amount.scaleb(places)).to_integral_value())


class Customers(DocumentRepository[Customer]):
    table, key, cls = t.customers, "id", Customer
    remembers = True  # read by intake's checks and again by the handler that books the order

    def columns(self, c: Customer) -> dict[str, Any]:
        return {"id": c.id, "name": c.name, "segment": c.segment.value, "country": c.country,
                "currency": c.currency, "credit_limit_minor": c.credit_limit.quantize().to_minor()}


class Products(DocumentRepository[Product]):
    table, key, cls = t.products, "sku", Product
    remembers = True  # every order line of a file looks its product up

    def columns(self, p: Product) -> dict[str, Any]:
        return {"sku": p.sku, "gtin": p.gtin, "name": p.name, "category": p.category}


class ReadOncePerTransaction(DocumentRepository[T]):
    """Reference data (price lists, promotions) that every order of a file prices against again: a query
    is read and decoded once per unit of work, and read afresh after any write through this repository
    and after a commit, rollback or undone savepoint (``forget``). Within one transaction every order is
    priced against the same lists, on PostgreSQL too, where a list another session commits meanwhile is
    seen by the next transaction (as if it had committed after this one)."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._read: dict[Hashable, list[T]] = {}

    def _once(self, query: Hashable, read: Callable[[], list[T]]) -> list[T]:
        found = self._read.get(query)
        if found is None:
            found = self._read[query] = read()
        return list(found)

    def _changed(self) -> None:
        self._read.clear()

    def forget(self) -> None:
        super().forget()
        self._read.clear()


class PriceLists(ReadOncePerTransaction[PriceList]):
    table, key, cls = t.price_lists, "id", PriceList

    def columns(self, p: PriceList) -> dict[str, Any]:
        return {"id": p.id, "currency": p.currency, "valid_from": p.valid_from, "valid_to": p.valid_to}

    def in_currency(self, currency: str) -> list[PriceList]:
        return self._once(("currency", currency), lambda: self.where(t.price_lists.c.currency == currency))


class Promotions(ReadOncePerTransaction[Promotion]):
    table, key, cls = t.promotions, "id", Promotion

    def columns(self, p: Promotion) -> dict[str, Any]:
        return {"id": p.id, "valid_from": p.valid_from, "valid_to": p.valid_to}

    def valid_on(self, day: date) -> list[Promotion]:
        return self._once(("valid_on", day), lambda: self.where(t.promotions.c.valid_from <= day,
                                                                 t.promotions.c.valid_to >= day))


class Orders(DocumentRepository[Order]):
    table, key, cls = t.orders, "id", Order

    def columns(self, o: Order) -> dict[str, Any]:
        return {"id": o.id, "customer_id": o.customer_id, "status": o.status.value, "channel": o.channel,
                "order_date": o.order_date, "requested_date": o.requested_date, "currency": o.currency,
                "open_value_minor": o.open_value().to_minor() if o.is_open else 0,
                "po_number": o.po_number, "source_ref": o.source_ref}

    def open_for(self, customer_id: str) -> list[Order]:
        return self.where(t.orders.c.customer_id == customer_id,
                          t.orders.c.status.in_([s.value for s in OPEN_ORDER_STATUSES]))

    def with_status(self, status: OrderStatus) -> list[Order]:
        return self.where(t.orders.c.status == status.value)

    def open_value_minor(self, customer_id: str, excluding: str | None = None) -> int:
        query = select(func.coalesce(func.sum(t.orders.c.open_value_minor), 0)).where(
            t.orders.c.customer_id == customer_id,
            t.orders.c.status.in_([s.value for s in OPEN_ORDER_STATUSES]))
        if excluding:
            query = query.where(t.orders.c.id != excluding)
        return int(self.conn.execute(query).scalar_one())

    _BY_SOURCE = Prepared(select(t.orders.c.body).where(t.orders.c.source_ref == bindparam("source_ref")))
    _ID_BY_SOURCE = Prepared(select(t.orders.c.id).where(t.orders.c.source_ref == bindparam("source_ref")))

    def by_source(self, source_ref: str) -> Order | None:
        """The order booked from this source (file, interchange, message); source refs are unique."""
        body = self._BY_SOURCE.scalar(self.conn, {"source_ref": source_ref})
        return None if body is None else decode(Order, body)

    def id_by_source(self, source_ref: str) -> str | None:
        """The id of the order booked from this source, without reading the order."""
        found = self._ID_BY_SOURCE.scalar(self.conn, {"source_ref": source_ref})
        return None if found is None else str(found)


class Deliveries(DocumentRepository[Delivery]):
    table, key, cls = t.deliveries, "id", Delivery

    def columns(self, d: Delivery) -> dict[str, Any]:
        return {"id": d.id, "order_id": d.order_id, "customer_id": d.customer_id, "ship_date": d.ship_date,
                "expected_date": d.expected_date, "delivered_date": d.delivered_date, "invoiced": d.invoiced}

    def arriving_by(self, day: date) -> list[Delivery]:
        return self.where(t.deliveries.c.delivered_date.is_(None), t.deliveries.c.expected_date <= day)

    def to_invoice(self) -> list[Delivery]:
        return self.where(t.deliveries.c.delivered_date.is_not(None), t.deliveries.c.invoiced.is_(False))


class Invoices(DocumentRepository[Invoice]):
    """Issued invoices and credit notes: insert only (the database refuses updates)."""

    table, key, cls = t.invoices, "number", Invoice

    def columns(self, i: Invoice) -> dict[str, Any]:
        return {"number": i.number, "kind": i.kind.value, "customer_id": i.customer_id,
                "issue_date": i.issue_date, "due_date": i.due_date, "currency": i.currency,
                "gross_minor": i.gross_total.to_minor(), "order_id": i.order_id,
                "delivery_id": i.delivery_id, "corrects": i.corrects}

    def save(self, obj: Invoice) -> Invoice:
        raise PermissionError("issued documents are immutable")

    def for_delivery(self, delivery_id: str) -> Invoice | None:
        found = self.where(t.invoices.c.delivery_id == delivery_id)
        return found[0] if found else None

    _NEXT_IN_SERIES = (update(t.number_series).where(
        t.number_series.c.series == bindparam("in_series"), t.number_series.c.year == bindparam("in_year"))
        .values(last=t.number_series.c.last + 1).returning(t.number_series.c.last))
    _START_SERIES = insert_once(t.number_series, ["series", "year"])

    def next_number(self, series: str, year: int) -> str:
        """The next gapless number of the series' year, its row locked until the transaction ends; the
        first of a year starts the row (a concurrent first waits, then takes the number after it)."""
        key = {"in_series": series, "in_year": year}
        row = self.conn.execute(self._NEXT_IN_SERIES, key).scalar_one_or_none()
        if row is None:
            if inserted(self.conn, self._START_SERIES, {"series": series, "year": year, "last": 1}):
                row = 1
            else:
                row = self.conn.execute(self._NEXT_IN_SERIES, key).scalar_one()
        return f"{series}-{year}-{row:06d}"


class Payments(DocumentRepository[Payment]):
    table, key, cls = t.payments, "id", Payment
    remembers = True  # read by the cash agent and again by the handler that applies it

    def columns(self, p: Payment) -> dict[str, Any]:
        return {"id": p.id, "received_on": p.received_on, "currency": p.amount.currency,
                "amount_minor": p.amount.quantize().to_minor(), "customer_id": p.customer_id,
                "status": p.status.value, "bank_entry_key": p.bank_entry_key}

    _BY_ENTRY_KEY = Prepared(select(t.payments.c.body).where(t.payments.c.bank_entry_key == bindparam("entry_key")))

    def by_entry_key(self, key: str) -> Payment | None:
        body = self._BY_ENTRY_KEY.scalar(self.conn, {"entry_key": key})
        return None if body is None else decode(Payment, body)


class Cases(DocumentRepository[Case]):
    table, key, cls = t.cases, "id", Case

    def columns(self, c: Case) -> dict[str, Any]:
        return {"id": c.id, "customer_id": c.customer_id, "invoice_number": c.invoice_number,
                "reason": c.reason, "status": c.status.value}


class Promises(DocumentRepository[PromiseToPay]):
    table, key, cls = t.promises, "id", PromiseToPay

    def columns(self, p: PromiseToPay) -> dict[str, Any]:
        return {"id": p.id, "customer_id": p.customer_id, "promised_date": p.promised_date,
                "status": p.status}


class Sequences:
    """Deterministic, gapless identifiers per name (SO-000001), safe under concurrent writers.

    The first number a transaction takes from a sequence locks its row (``UPDATE ... RETURNING``;
    on SQLite the whole database is locked from ``BEGIN IMMEDIATE``), so later numbers in the same
    transaction are counted in memory and written back once by ``flush`` before the commit. A
    rollback forgets them (``forget``), and the row still holds the last committed value.
    """

    _ADVANCE = (update(t.sequences).where(t.sequences.c.name == bindparam("seq_name"))
                .values(value=t.sequences.c.value + 1).returning(t.sequences.c.value))
    _START = insert_once(t.sequences, ["name"])
    _WRITE = update(t.sequences).where(t.sequences.c.name == bindparam("seq_name")).values(
        value=bindparam("seq_value"))

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._held: dict[str, int] = {}
        self._written: dict[str, int] = {}

    def next(self, name: str, prefix: str | None = None, width: int = 6) -> str:
        value = self._held.get(name)
        if value is not None:
            value += 1
        else:
            value = self._advance(name)
            self._written[name] = value
        self._held[name] = value
        return f"{prefix or name}-{value:0{width}d}"

    def _advance(self, name: str) -> int:
        """Move the row on by one and lock it; a sequence's first number starts its row (a transaction
        starting it at the same time waits for this one, then takes the number after it)."""
        value = self.conn.execute(self._ADVANCE, {"seq_name": name}).scalar_one_or_none()
        if value is not None:
            return int(value)
        if inserted(self.conn, self._START, {"name": name, "value": 1}):
            return 1
        return int(self.conn.execute(self._ADVANCE, {"seq_name": name}).scalar_one())

    def flush(self) -> None:
        """Write the numbers taken in memory to their rows (before the transaction commits)."""
        rows = [{"seq_name": n, "seq_value": v} for n, v in self._held.items() if self._written.get(n) != v]
        if rows:
            self.conn.execute(self._WRITE, rows)
        self._written.update(self._held)

    def snapshot(self) -> tuple[dict[str, int], dict[str, int]]:
        return dict(self._held), dict(self._written)

    def restore(self, state: tuple[dict[str, int], dict[str, int]]) -> None:
        self._held, self._written = dict(state[0]), dict(state[1])

    def forget(self) -> None:
        """After a commit or a rollback: the next number is read from the row again."""
        self._held.clear()
        self._written.clear()


class ReferenceData:
    """Small keyed reference tables (carriers, warehouses, settings of the demo world)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def put(self, kind: str, key: str, body: dict[str, Any]) -> None:
        self.conn.execute(insert(t.reference_data).values(kind=kind, key=key, body=body))

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        return self.conn.execute(select(t.reference_data.c.body).where(
            t.reference_data.c.kind == kind, t.reference_data.c.key == key)).scalar()

    def upsert(self, kind: str, key: str, body: dict[str, Any]) -> str:
        """Add or replace one entry; 'added', 'updated' or 'unchanged'."""
        stored = self.get(kind, key)
        if stored == body:
            return "unchanged"
        if stored is None:
            self.put(kind, key, body)
            return "added"
        self.conn.execute(update(t.reference_data).where(
            t.reference_data.c.kind == kind, t.reference_data.c.key == key).values(body=body))
        return "updated"

    def of_kind(self, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
        rows = self.conn.execute(select(t.reference_data.c.key, t.reference_data.c.body)
                                 .where(t.reference_data.c.kind == kind).order_by(t.reference_data.c.key))
        for row in rows:
            yield row[0], row[1]
