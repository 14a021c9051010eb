"""Talking to Tryton: one ``call(model, method, *args)`` over XML-RPC or in-process.

``XmlRpcClient`` logs in with a user and password (``common.db.login``) and sends the session with every
call; ``InProcessClient`` runs trytond inside this process (its configuration file and database name).
Both pass the user's context last, as Tryton's RPC expects. Tryton's XML-RPC encodes Decimals and dates
in its own way; importing ``proteus.config`` (Tryton's client library) registers that codec.
The password is kept in memory only: never stored, never logged.
"""

from __future__ import annotations

import base64
import http.client
import xmlrpc.client
from collections.abc import Callable
from typing import Any, Protocol

import proteus.config


class TrytonUnavailable(ConnectionError):
    """Tryton could not be reached (stopped, restarting, network): the work is retried later."""


class TrytonClient(Protocol):
    def call(self, model: str, method: str, *args: Any) -> Any: ...


def rpc_url(url: str) -> str:
    """``http://host:port/db/`` -> ``http://host:port/db/rpc/`` (where trytond answers XML-RPC)."""
    url = url if url.endswith("/") else url + "/"
    return url if url.endswith("/rpc/") else url + "rpc/"


class XmlRpcClient:
    def __init__(self, url: str, user: str, password: str, *, timeout: float = 60.0) -> None:
        self.url, self._user, self._password, self._timeout = rpc_url(url), user, password, timeout
        self._server: xmlrpc.client.ServerProxy | None = None
        self._context: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"XmlRpcClient({self.url!r}, user={self._user!r})"

    def call(self, model: str, method: str, *args: Any) -> Any:
        return self._guarded(
            lambda: getattr(self._session(), f"model.{model}.{method}")(*args, self._context)
        )

    def _session(self) -> xmlrpc.client.ServerProxy:
        if self._server is None:
            anonymous: Any = self._proxy([])
            user_id, session, *_ = anonymous.common.db.login(self._user, {"password": self._password}, "en")
            token = base64.b64encode(f"{self._user}:{user_id}:{session}".encode()).decode()
            server: Any = self._proxy([("Authorization", f"Session {token}")])
            self._context = dict(server.model.res.user.get_preferences(True, {}))
            self._server = server
        return self._server

    def _proxy(self, headers: list[tuple[str, str]]) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(
            self.url, allow_none=True, use_builtin_types=True, transport=_Transport(self._timeout, headers)
        )

    def _guarded(self, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except (OSError, http.client.HTTPException) as exc:
            self._server = None
            raise TrytonUnavailable(f"Tryton at {self.url} unreachable: {type(exc).__name__}") from exc
        except xmlrpc.client.ProtocolError as exc:
            self._server = None
            if exc.errcode in (401, 403):
                raise PermissionError(f"Tryton at {self.url} refused user {self._user!r}") from exc
            raise TrytonUnavailable(f"Tryton at {self.url} answered {exc.errcode}") from exc


class _Transport(xmlrpc.client.Transport):
    def __init__(self, timeout: float, headers: list[tuple[str, str]]) -> None:
        super().__init__(use_builtin_types=True, headers=headers)
        self._timeout = timeout

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


class InProcessClient:
    """trytond in this process (``O2C_TRYTON_CONFIG`` + ``O2C_TRYTON_DATABASE``), as its admin user."""

    def __init__(self, config_file: str, database: str, user: str = "admin") -> None:
        self._config = proteus.config.TrytondConfig(database, user, config_file=config_file)

    def call(self, model: str, method: str, *args: Any) -> Any:
        proxy = self._config.get_proxy(model)
        return getattr(proxy, method)(*args, self._config.context)


__all__ = ["InProcessClient", "TrytonClient", "TrytonUnavailable", "XmlRpcClient", "rpc_url"]
