"""What every response carries for the browser's protection, and who may read the API's docs.

Every response gets ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` and
``X-Frame-Options: DENY``; every HTML page a Content-Security-Policy that allows only this site's own
scripts, styles and images and no framing (the pages keep no inline script or style: htmx and
Chart.js are served from ``/static``). The Swagger page loads its assets from a CDN and runs one
inline script, so it alone gets a policy that allows those.

``/api/docs``, ``/api/redoc`` and ``/api/openapi.json`` follow the ``api_docs`` setting: ``public``,
``signed_in`` (a browser session or an API token; the default) or ``off`` (404).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, HTTPException, Request, status
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import JSONResponse, Response

from o2c.auth.service import session_user, user_for_token
from o2c.bootstrap import App
from o2c.web.session import COOKIE, SessionCodec

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' {CDN}; style-src 'self' 'unsafe-inline' {CDN}; "
    f"img-src 'self' data: https://fastapi.tiangolo.com; frame-ancestors 'none'; base-uri 'self'; "
    f"object-src 'none'"
)
DOCS_PATHS = ("/api/docs", "/api/redoc")
BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def install_security_headers(api: FastAPI) -> None:
    @api.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.update(BASE_HEADERS)
        if response.headers.get("content-type", "").startswith("text/html"):
            docs = request.url.path in DOCS_PATHS
            response.headers["Content-Security-Policy"] = DOCS_POLICY if docs else PAGE_POLICY
        return response


def _signed_in(request: Request, application: App, sessions: SessionCodec) -> bool:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer ") and user_for_token(application, auth[7:].strip()):
        return True
    sid = sessions.session_id(request.cookies.get(COOKIE))
    return bool(sid and session_user(application, sid))


def install_docs(api: FastAPI, application: App, sessions: SessionCodec, mode: str) -> None:
    """The OpenAPI document and its two readers, behind ``mode`` (public, signed_in or off)."""
    if mode == "off":
        return

    def allowed(request: Request) -> None:
        if mode != "public" and not _signed_in(request, application, sessions):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "the API docs are for signed-in users: log in first or send an API token",
            )

    @api.get("/api/openapi.json", include_in_schema=False)
    def openapi(request: Request) -> JSONResponse:
        allowed(request)
        return JSONResponse(api.openapi())

    @api.get("/api/docs", include_in_schema=False)
    def swagger(request: Request) -> Any:
        allowed(request)
        return get_swagger_ui_html(openapi_url="/api/openapi.json", title="o2c API")

    @api.get("/api/redoc", include_in_schema=False)
    def redoc(request: Request) -> Any:
        allowed(request)
        return get_redoc_html(openapi_url="/api/openapi.json", title="o2c API")
