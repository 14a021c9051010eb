"""The unit of work: one database transaction, the repositories on it, and the events it raised.

Events collected during the work are written to the outbox in the same transaction on ``commit``, so
a change and the news of it are stored together or not at all. A read-only unit of work (pages, API
reads, reports) takes no write lock on SQLite and has every write refused by the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine

from o2c.adapters.store.audit_store import AuditLog
from o2c.adapters.store.company_store import CompanyProfiles, TradingPartners
from o2c.adapters.store.engine import read_only_options
from o2c.adapters.store.ledger_store import FxRates, LedgerStore
from o2c.adapters.store.messages_store import Messages, Tasks
from o2c.adapters.store.outbox_store import Outbox
from o2c.adapters.store.proposal_store import ProposalStore
from o2c.adapters.store.repositories import (
    Cases,
    Customers,
    Deliveries,
    DocumentRepository,
    Invoices,
    Orders,
    Payments,
    PriceLists,
    Products,
    Promises,
    Promotions,
    ReferenceData,
    Sequences,
)
from o2c.domain.events import Event
from o2c.services.clock import Clock


class UnitOfWork:
    conn: Connection

    def __init__(self, engine: Engine, clock: Clock, functional_ccy: str, *, audit_key: bytes | None = None,
                 read_only: bool = False) -> None:
        self.engine = engine
        self.clock = clock
        self.functional_ccy = functional_ccy
        self.audit_key = audit_key
        self.read_only = read_only
        self.events: list[Event] = []
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self.conn = self.engine.connect()  # the first statement begins the transaction (autobegin)
        if self.read_only:
            self.conn.execution_options(**read_only_options(self.engine))
        self._attach(self.conn)
        return self

    def _attach(self, conn: Connection) -> None:
        self.conn = conn
        self.customers = Customers(conn)
        self.products = Products(conn)
        self.price_lists = PriceLists(conn)
        self.promotions = Promotions(conn)
        self.orders = Orders(conn)
        self.deliveries = Deliveries(conn)
        self.invoices = Invoices(conn)
        self.payments = Payments(conn)
        self.cases = Cases(conn)
        self.promises = Promises(conn)
        self.sequences = Sequences(conn)
        self.reference = ReferenceData(conn)
        self.ledger = LedgerStore(conn, self.functional_ccy)
        self.fx = FxRates(conn, self.functional_ccy)
        self.outbox = Outbox(conn)
        self.audit = AuditLog(conn, self.audit_key)
        self.proposals = ProposalStore(conn)
        self.messages = Messages(conn)
        self.tasks = Tasks(conn)
        self.company_profile = CompanyProfiles(conn)
        self.partners = TradingPartners(conn)
        self.events = []
        self._committed = False

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def flush(self) -> None:
        """Write what the stores hold back until the commit: audit records, sequence numbers, events."""
        self.audit.flush()
        self.sequences.flush()
        self.outbox.add_many(self.events, self.clock.now())
        self.events = []

    def commit(self) -> None:
        self.flush()
        self.conn.commit()
        self._forget()
        self._committed = True

    def rollback(self) -> None:
        """Undo the work so far; the next statement begins a fresh transaction."""
        self.events = []
        self.conn.rollback()
        self._forget()

    def _forget(self) -> None:
        self.audit.forget()
        self.sequences.forget()
        for repository in self._remembering():
            repository.forget()

    def _remembering(self) -> tuple[DocumentRepository[Any], ...]:
        """The repositories that keep what this transaction read (see ``DocumentRepository.remembers``)."""
        return self.customers, self.products, self.price_lists, self.promotions, self.payments

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Run a block that can fail on its own: on an exception its writes, audit records, numbers and
        events are undone (the transaction goes on) and the exception is raised again."""
        audit, numbers, events = self.audit.snapshot(), self.sequences.snapshot(), len(self.events)
        nested = self.conn.begin_nested()
        try:
            yield
        except BaseException:
            nested.rollback()
            self.audit.restore(audit)
            self.sequences.restore(numbers)
            for repository in self._remembering():
                repository.forget()
            del self.events[events:]
            raise
        nested.commit()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.conn.rollback()
        self.conn.close()


class BoundUnitOfWork(UnitOfWork):
    """A unit of work inside a transaction someone else owns (a durable flow's step).

    ``commit`` writes the collected events to the outbox but leaves committing to the owner, so a
    step's business effect, its events and its completion record commit together.
    """

    def __init__(self, conn: Connection, clock: Clock, functional_ccy: str, *, audit_key: bytes | None = None) -> None:
        super().__init__(conn.engine, clock, functional_ccy, audit_key=audit_key)
        self._attach(conn)

    def __enter__(self) -> UnitOfWork:
        return self

    def commit(self) -> None:
        self.flush()
        self._forget()

    def rollback(self) -> None:
        raise RuntimeError("a bound unit of work cannot roll back: raise to abort the owner's transaction")

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        return None


class SavepointUnitOfWork(BoundUnitOfWork):
    """A unit of work that is a savepoint in a transaction someone else owns (an e-mail and its effects).

    ``commit`` keeps its work for the owner to commit; ``rollback`` undoes only its own work (the owner's
    transaction goes on), so a service that opens units of work runs unchanged inside the owner's one.
    """

    def __enter__(self) -> UnitOfWork:
        self._nested = self.conn.begin_nested()
        return self

    def commit(self) -> None:
        self.flush()
        self._nested.commit()
        self._forget()
        self._nested = self.conn.begin_nested()

    def rollback(self) -> None:
        self.events = []
        self._nested.rollback()
        self._forget()
        self._nested = self.conn.begin_nested()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._nested.is_active:
            self._nested.rollback()
        self._forget()
