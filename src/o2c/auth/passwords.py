"""Password and token hashing with the standard library only.

Passwords are hashed with scrypt and a random salt per user, stored as ``scrypt$n$r$p$salt$hash``
(hex), and compared in constant time. The cost follows OWASP's guidance (n=2**17, r=8, p=1, 128 MiB);
a hash made with a lower cost still verifies and ``needs_rehash`` says it should be replaced at the
next successful login. ``verify_unknown`` runs the same KDF against a dummy hash, so a login for a
name that does not exist costs as much as one for a name that does.

API tokens are long random strings, so a plain SHA-256 of the token is enough to store and look
them up; the token itself is shown once and never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
TOKEN_PREFIX = "o2c_"
PORTAL_TOKEN_PREFIX = "o2cp_"


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int = 32) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=256 * n * r + 2**20)


def hash_password(password: str, n: int = SCRYPT_N) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, n, SCRYPT_R, SCRYPT_P)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p), len(expected) // 2)
    return hmac.compare_digest(digest.hex(), expected)


@cache
def _dummy_hash(n: int) -> str:
    return hash_password(secrets.token_urlsafe(16), n)


def verify_unknown(password: str, n: int = SCRYPT_N) -> bool:
    """The work of a real verification for a user that does not exist; always False."""
    verify_password(password, _dummy_hash(n))
    return False


def needs_rehash(stored: str, n: int = SCRYPT_N) -> bool:
    """True when ``stored`` was made with another scheme or a lower cost than ``n``."""
    parts = stored.split("$")
    return len(parts) != 6 or parts[0] != "scrypt" or int(parts[1]) < n or int(parts[2]) < SCRYPT_R


def new_password() -> str:
    return secrets.token_urlsafe(12)


def new_token(prefix: str = TOKEN_PREFIX) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
