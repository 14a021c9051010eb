"""Browser sessions: a signed cookie that names a session kept on the server, and the login form's
CSRF token.

The cookie holds only a random session id, signed (itsdangerous) with the server's secret; the
session itself (user, CSRF token, expiry) is a row of ``web_sessions`` that logout, a password reset
and ``o2c users revoke`` end, so a copied cookie stops working with it. Every form posts the
session's CSRF token back (a hidden field, or the ``X-CSRF-Token`` header for htmx).

Before anyone is logged in, the login form carries its own token: a random value kept in a signed,
short-lived cookie and repeated in the form; a login post whose two values differ is refused.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "o2c_session"
LOGIN_COOKIE = "o2c_login"
MAX_AGE = 12 * 3600
LOGIN_MAX_AGE = 3600


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    csrf: str

    def csrf_ok(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf, token or "")


class SessionCodec:
    def __init__(self, secret: str) -> None:
        self.serializer = URLSafeTimedSerializer(secret, salt="o2c-session")
        self.login_serializer = URLSafeTimedSerializer(secret, salt="o2c-login-form")

    def seal(self, session_id: str) -> str:
        return self.serializer.dumps({"s": session_id})

    def session_id(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            data = self.serializer.loads(cookie, max_age=MAX_AGE)
        except BadSignature:
            return None
        return data["s"] if isinstance(data, dict) and isinstance(data.get("s"), str) else None

    def new_login_token(self) -> tuple[str, str]:
        """The login form's token and the cookie that carries it."""
        token = secrets.token_urlsafe(24)
        return token, self.login_serializer.dumps(token)

    def login_token_ok(self, cookie: str | None, token: str | None) -> bool:
        if not cookie or not token:
            return False
        try:
            expected = self.login_serializer.loads(cookie, max_age=LOGIN_MAX_AGE)
        except BadSignature:
            return False
        return isinstance(expected, str) and hmac.compare_digest(expected, token)
