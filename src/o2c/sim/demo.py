"""``o2c demo``: build the demo world in a fresh database, run it, and summarise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text

from o2c.adapters.store.engine import make_engine
from o2c.bootstrap import bootstrap
from o2c.config import Settings, normalise_database_url
from o2c.services.clock import SimClock
from o2c.services.company_today import set_company_today
from o2c.services.erp_sync import sync
from o2c.services.intake import intake_summary
from o2c.sim.disruptions import figures as disruption_figures
from o2c.sim.runner import Simulation, load_master_data
from o2c.sim.scenario import Scenario, load_scenario
from o2c.sim.summary import summarise
from o2c.sim.world import HISTORY_DAYS, build_world


def reset_database(database_url: str) -> None:
    """Start the demo from nothing: delete the SQLite file, or empty the PostgreSQL schemas."""
    url = normalise_database_url(database_url)
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(path + suffix).unlink(missing_ok=True)
        return
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
        conn.execute(text("DROP SCHEMA IF EXISTS dbos CASCADE"))
    engine.dispose()


TRYTON_CUSTOMERS = {"retail_chain": 3, "wholesaler": 5, "horeca": 8}
TRYTON_COUNTRIES = {"NL": 0.5, "BE": 0.2, "DE": 0.2, "FR": 0.1}
TRYTON_PRODUCTS = 48
"""The demo on Tryton is smaller (every document is also posted in Tryton over XML-RPC) and in euros only
(the Tryton template holds one currency and no exchange rates)."""


def on_tryton(scenario: Scenario) -> Scenario:
    return replace(scenario, customers=TRYTON_CUSTOMERS, countries=TRYTON_COUNTRIES, products=TRYTON_PRODUCTS,
                   fx={})


def run_demo(settings: Settings, *, days: int = 30, seed: int | None = None, scenario_path: Path | None = None,
             on_day: Callable[[date], None] | None = None) -> dict[str, Any]:
    scenario = load_scenario(scenario_path, days=days, seed=seed)
    if settings.erp == "tryton" and scenario_path is None:
        scenario = on_tryton(scenario)
    settings = settings.model_copy(update={
        "company_name": scenario.company.get("name", settings.company_name),
        "company_country": scenario.company.get("country", settings.company_country),
        "company_currency": scenario.company.get("currency", settings.company_currency)})
    clock = SimClock(datetime.combine(scenario.start_date - timedelta(days=HISTORY_DAYS), time(8)))
    app = bootstrap(settings, clock=clock)
    try:
        world = build_world(scenario)
        load_master_data(app, world, scenario)
        if settings.erp == "tryton":
            _put_master_data_in_tryton(app, world)
        simulation = Simulation(app, clock, scenario, world)
        simulation.run(on_day)
        last_day = scenario.start_date + timedelta(days=scenario.days - 1)
        with app.uow() as uow:
            set_company_today(uow, last_day, "demo")
            uow.commit()
        summary = summarise(app, last_day, scenario.days, scenario.seed)
        with app.uow() as uow:
            summary["intake"] = intake_summary(uow)
        summary["disruptions"] = disruption_figures(simulation)
        if app.books.name != "o2c":
            app.dispatcher.drain()
            summary["books"] = {"erp": app.books.name, **sync(app.uow, app.books, app.company).as_dict()}
        return summary
    finally:
        app.close()


def _put_master_data_in_tryton(app: Any, world: Any) -> None:
    """The demo company's customers and products, with their base list price, as parties and goods."""
    from o2c.adapters.erp.tryton.seed import put_master_data  # the optional ``tryton`` extra

    prices: dict[str, Decimal] = {}
    for price_list in sorted(world.price_lists, key=lambda pl: (pl.scope.specificity, pl.valid_from)):
        for sku, price in price_list.prices.items():
            prices.setdefault(sku, price)
    put_master_data(app.books.client, world.customers, world.products, prices)
