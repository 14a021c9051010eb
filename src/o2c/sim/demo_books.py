"""The books the demo runs on: o2c's own ledger, or Tryton. With ``--erp tryton`` the demo uses the
Tryton that ``O2C_TRYTON_URL`` names (with ``O2C_TRYTON_USER``/``O2C_TRYTON_PASSWORD``), or else
starts a Tryton of its own on loopback from the cached template database, in a folder beside the
demo's database (``<db>.tryton/``), and stops it when the demo ends (the books stay in that folder)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import SecretStr

from o2c.config import Settings


def tryton_folder(database_url: str) -> Path:
    if database_url.startswith("sqlite") and ":///" in database_url:
        path = database_url.split(":///", 1)[1]
        if path and path != ":memory:":
            return Path(path + ".tryton")
    return Path(tempfile.mkdtemp(prefix="o2c-demo-tryton-"))


@contextmanager
def books_for_demo(settings: Settings, erp: str | None) -> Iterator[Settings]:
    """``settings`` pointed at the demo's books (``erp``, or the configured ones) while the demo runs."""
    if (erp or settings.erp) == "o2c":
        yield settings.model_copy(update={"erp": "o2c"})
        return
    if settings.tryton_url or (settings.tryton_config and settings.tryton_database):
        yield settings.model_copy(update={"erp": "tryton"})
        return
    from o2c.adapters.erp.tryton.local import PASSWORD, LocalTryton  # the optional ``tryton`` extra

    server = LocalTryton(tryton_folder(settings.database_url)).prepare()
    server.start()
    try:
        yield settings.model_copy(
            update={
                "erp": "tryton",
                "tryton_url": server.url,
                "tryton_user": "admin",
                "tryton_password": SecretStr(PASSWORD),
            }
        )
    finally:
        server.stop()
