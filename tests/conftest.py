"""Shared fixtures: a fresh database per test on SQLite and, where reachable, PostgreSQL.

PostgreSQL comes from O2C_TEST_PG_URL (default: the local server, trust auth). When it cannot be
reached the PostgreSQL variants are skipped — except in CI (CI=true), where they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from o2c.bootstrap import App, bootstrap
from o2c.config import Settings, normalise_database_url
from o2c.services.clock import SimClock

PG_SERVER = normalise_database_url(os.environ.get("O2C_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
SAMPLES = Path(__file__).resolve().parent / "data"


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # the reason is shown in the skip message
        return f"PostgreSQL not reachable at {PG_SERVER}: {exc.__class__.__name__}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test session; its URL."""
    reason = _pg_available()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"o2c_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = PG_SERVER.rpartition("/")
    yield f"{base}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def reset_pg(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
        conn.execute(text("DROP SCHEMA IF EXISTS dbos CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'o2c-test.db'}"
    url = request.getfixturevalue("pg_server")
    reset_pg(url)
    return url


@pytest.fixture
def clock() -> SimClock:
    return SimClock(datetime(2026, 9, 1, 8, 0))


@pytest.fixture
def app(database_url: str, clock: SimClock) -> Iterator[App]:
    # a low scrypt cost keeps the many users tests create fast; the real cost is tested on its own
    application = bootstrap(Settings(database_url=database_url, password_scrypt_n=2**12), clock=clock)
    yield application
    application.close()
