"""Wiring: one place builds the application from typed settings; tests pass fakes into the same call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine

from o2c.adapters.audit_seal import audit_key as read_audit_key
from o2c.adapters.erp.own_ledger import OwnLedger
from o2c.adapters.store.company_clock_store import read_stored_today
from o2c.adapters.store.company_store import read_company_profile
from o2c.adapters.store.engine import make_engine
from o2c.adapters.store.migrate import migrate
from o2c.adapters.store.uow import SavepointUnitOfWork, UnitOfWork
from o2c.agents.base import Agent
from o2c.agents.billing import BillingAgent
from o2c.agents.cash_application import CashApplicationAgent
from o2c.agents.collections import CollectionsAgent
from o2c.agents.credit import CreditAgent
from o2c.agents.credit_review import CreditReviewAgent
from o2c.agents.disputes import DisputesAgent
from o2c.agents.fulfilment import FulfilmentAgent
from o2c.agents.sentinel import SentinelAgent
from o2c.config import Settings
from o2c.domain.commands import Command
from o2c.policy.gate import Policy, load_policy
from o2c.ports.system_of_record import SystemOfRecord
from o2c.services.clock import Clock, CompanyClock
from o2c.services.dispatcher import Dispatcher
from o2c.services.erp_push import ErpPush
from o2c.services.handlers import Company
from o2c.services.proposals import run_command


def default_agents() -> list[Agent]:
    return [CreditAgent(), CashApplicationAgent(), FulfilmentAgent(), SentinelAgent(), CollectionsAgent(),
            DisputesAgent(), CreditReviewAgent(), BillingAgent()]


@dataclass
class App:
    settings: Settings
    engine: Engine
    clock: Clock
    policy: Policy
    company: Company
    dispatcher: Dispatcher
    audit_key: bytes
    books: SystemOfRecord = field(default_factory=OwnLedger)
    """The system of record (o2c's own ledger unless ``O2C_ERP`` names an ERP)."""

    def uow(self, *, read_only: bool = False) -> UnitOfWork:
        """A unit of work; ``read_only`` for reads (no write lock on SQLite, writes refused)."""
        return UnitOfWork(self.engine, self.clock, self.company.currency, audit_key=self.audit_key,
                          read_only=read_only)

    def execute(self, command: Command, actor: str, reason: str) -> str:
        """Run one command as ``actor`` in its own transaction, audited."""
        with self.uow() as uow:
            result = run_command(uow, command, actor, reason, self.company)
            uow.commit()
        return result

    def within(self, conn: Connection) -> App:
        """The same application whose units of work are savepoints in ``conn``'s transaction: services
        run unchanged, and their effects commit (or not) with whatever the owner of ``conn`` records."""
        return TransactionApp(self.settings, self.engine, self.clock, self.policy, self.company, self.dispatcher,
                              self.audit_key, self.books, conn)

    def close(self) -> None:
        self.engine.dispose()


@dataclass
class TransactionApp(App):
    conn: Connection | None = None

    def uow(self, *, read_only: bool = False) -> UnitOfWork:
        if self.conn is None:
            raise RuntimeError("a TransactionApp needs the connection whose transaction it works in")
        return SavepointUnitOfWork(self.conn, self.clock, self.company.currency, audit_key=self.audit_key)


def company_of(settings: Settings, engine: Engine) -> Company:
    """The company ``o2c init`` stored in the database; else (a demo database) the settings' company."""
    profile = read_company_profile(engine)
    if profile is None:
        return Company(settings.company_name, settings.company_country, settings.company_currency,
                       settings.send_unvalidated_einvoices)
    return Company(profile.name, profile.country, profile.currency, settings.send_unvalidated_einvoices)


def system_of_record(settings: Settings) -> SystemOfRecord:
    """The books ``O2C_ERP`` names; Tryton's client is imported only then (the ``tryton`` extra)."""
    if settings.erp == "o2c":
        return OwnLedger()
    from o2c.adapters.erp.tryton.connect import tryton_books

    return tryton_books(settings)


def bootstrap(settings: Settings | None = None, *, clock: Clock | None = None, policy: Policy | None = None,
              agents: Sequence[Agent] | None = None, migrate_schema: bool = True,
              books: SystemOfRecord | None = None) -> App:
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    key = read_audit_key(settings)
    if migrate_schema:
        migrate(engine, audit_key=key)
    clock = clock or CompanyClock(lambda: read_stored_today(engine))
    policy = policy or load_policy(settings.policy_file)
    company = company_of(settings, engine)
    app_agents = list(agents) if agents is not None else default_agents()
    books = books or system_of_record(settings)
    if books.name != "o2c":
        app_agents.append(ErpPush(books))

    def uow_factory() -> UnitOfWork:
        return UnitOfWork(engine, clock, company.currency, audit_key=key)

    dispatcher = Dispatcher(uow_factory, app_agents, policy, company, clock, settings.dispatch_max_attempts)
    return App(settings, engine, clock, policy, company, dispatcher, key, books)
