"""Browser sessions as signed cookies, and CSRF tokens bound to them.

The cookie holds the user's name and a random CSRF token, signed (itsdangerous) with the server's
secret and expiring after ``MAX_AGE`` seconds. Every form posts the CSRF token back (a hidden field,
or the ``X-CSRF-Token`` header for htmx); a post whose token does not match the session's is refused.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "o2c_session"
MAX_AGE = 12 * 3600


@dataclass(frozen=True, slots=True)
class Session:
    user: str
    csrf: str

    def csrf_ok(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf, token or "")


class SessionCodec:
    def __init__(self, secret: str) -> None:
        self.serializer = URLSafeTimedSerializer(secret, salt="o2c-session")

    def new(self, user: str) -> tuple[Session, str]:
        session = Session(user, secrets.token_urlsafe(24))
        return session, self.serializer.dumps({"u": session.user, "c": session.csrf})

    def read(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        try:
            data = self.serializer.loads(cookie, max_age=MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("u"), str) or not isinstance(data.get("c"), str):
            return None
        return Session(data["u"], data["c"])
