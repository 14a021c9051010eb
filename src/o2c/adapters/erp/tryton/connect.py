"""Tryton from o2c's settings: XML-RPC (``O2C_TRYTON_URL`` + user + password) or in-process
(``O2C_TRYTON_CONFIG`` + ``O2C_TRYTON_DATABASE``). The password comes from the environment only."""

from __future__ import annotations

from o2c.adapters.erp.tryton.books import TrytonBooks
from o2c.adapters.erp.tryton.client import InProcessClient, TrytonClient, XmlRpcClient
from o2c.config import Settings


class TrytonNotConfigured(ValueError):
    pass


def tryton_client(settings: Settings) -> TrytonClient:
    if settings.tryton_url:
        if settings.tryton_password is None:
            raise TrytonNotConfigured("O2C_TRYTON_URL is set but O2C_TRYTON_PASSWORD is not")
        return XmlRpcClient(
            settings.tryton_url, settings.tryton_user, settings.tryton_password.get_secret_value()
        )
    if settings.tryton_config and settings.tryton_database:
        return InProcessClient(str(settings.tryton_config), settings.tryton_database, settings.tryton_user)
    raise TrytonNotConfigured(
        "O2C_ERP=tryton needs O2C_TRYTON_URL (with O2C_TRYTON_USER and O2C_TRYTON_PASSWORD), "
        "or O2C_TRYTON_CONFIG and O2C_TRYTON_DATABASE"
    )


def tryton_books(settings: Settings) -> TrytonBooks:
    return TrytonBooks(tryton_client(settings))
