"""The FastAPI application: the REST API under ``/api`` (OpenAPI at ``/api/openapi.json``), the web UI,
its static assets, and ``/healthz``. One process, one port, the same database as the CLI.

The session secret comes from ``O2C_SECRET_KEY``; without it a random one is made per process (sessions
then end when the server restarts, and several server processes would not share logins). Security
headers and who may read the API docs (``O2C_API_DOCS``): see ``o2c.api.security``.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from o2c.api.routers import approvals, documents, intake, master_data, reports
from o2c.api.schemas import Health
from o2c.api.security import install_docs, install_security_headers
from o2c.bootstrap import App
from o2c.domain.errors import DomainError
from o2c.views.common import database_answers
from o2c.web import cash_forecast, finishing, pages, work
from o2c.web.auth import LoginRequired
from o2c.web.render import render
from o2c.web.session import SessionCodec

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
TAGS = [{"name": n, "description": d} for n, d in (
    ("orders", "Sales orders: read, capture, hold."), ("invoices", "Issued invoices and credit notes."),
    ("payments", "Payments received, the cash-application queue, manual application."),
    ("imports", "Previews of bank, remittance and order files."), ("cases", "Disputes and deductions."),
    ("approvals", "Proposals waiting for a person, decisions, and people's proposals."),
    ("events", "Events from other systems into the outbox."), ("conversation", "Customer chat turns."),
    ("customers", "Customers and their receivables."), ("reports", "Dashboard, worklists and the audit trail."),
    ("health", "Liveness."))]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _install_handlers(api: FastAPI) -> None:
    @api.exception_handler(DomainError)
    async def refused(request: Request, exc: DomainError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=409)
        return render(request, "error.html", "", status_code=409, title="Refused", message=str(exc))

    @api.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.method == "GET":
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return JSONResponse({"detail": "log in first"}, status_code=401)

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request) or request.method != "GET" or exc.status_code < 400:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        title = {403: "Not allowed", 404: "Not found"}.get(exc.status_code, "Error")
        return render(request, "error.html", "", status_code=exc.status_code, title=title, message=str(exc.detail))


def create_app(application: App, secret_key: str | None = None, api_docs: str | None = None) -> FastAPI:
    """The ASGI application on an already bootstrapped ``App``; ``api_docs`` overrides the setting."""
    api = FastAPI(title="o2c", version="0.1.0", openapi_url=None, docs_url=None, redoc_url=None, openapi_tags=TAGS,
                  description="Order-to-Cash: orders, invoices, payments, cases, approvals, events and "
                              "conversation. Authenticate with `Authorization: Bearer <token>`; tokens come "
                              "from `o2c users add NAME --role viewer|clerk|approver|admin`.")
    secret = secret_key or os.environ.get("O2C_SECRET_KEY")
    if not secret:
        log.warning("O2C_SECRET_KEY is not set: sessions use a random key and end when the server restarts")
        secret = secrets.token_urlsafe(32)
    api.state.o2c = application
    api.state.sessions = SessionCodec(secret)
    _install_handlers(api)
    install_security_headers(api)
    install_docs(api, application, api.state.sessions, api_docs or application.settings.api_docs)

    @api.get("/healthz", response_model=Health, tags=["health"])
    def healthz() -> Health:
        """200 when the server answers and the database is reachable; no login needed."""
        return Health(status="ok", database=database_answers(application.engine))

    for router in (documents.router, approvals.router, intake.router, reports.router, master_data.router,
                   finishing.router, pages.router, work.router, cash_forecast.router):
        api.include_router(router)
    api.mount("/static", StaticFiles(directory=STATIC), name="static")
    return api


__all__ = ["HTTPException", "create_app"]
