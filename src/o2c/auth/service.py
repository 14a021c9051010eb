"""Use cases for people: add and manage users (each audited with who did it), log in with a password
(throttled per user name and per client address), browser sessions kept on the server, and API tokens.

A login for an unknown name runs the same KDF as one for a known name, and the password check runs
outside any transaction, so a slow KDF never holds SQLite's write lock.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from o2c.auth.passwords import (
    hash_password,
    needs_rehash,
    new_password,
    new_token,
    token_hash,
    verify_password,
    verify_unknown,
)
from o2c.auth.roles import Role
from o2c.auth.store import User, UserRow, UserStore
from o2c.bootstrap import App
from o2c.domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class NewUser:
    user: User
    password: str
    token: str


class TooManyFailures(Exception):
    """Logins for this user name or from this address are paused after too many wrong passwords."""


def add_user(app: App, name: str, role: Role, actor: str = "admin", password: str | None = None) -> NewUser:
    """Create a user with a generated password and API token; both are returned once, stored hashed."""
    name = name.strip()
    if not name or len(name) > 64:
        raise DomainError("a user name needs 1 to 64 characters")
    password = password or new_password()
    password_hash = hash_password(password, app.settings.password_scrypt_n)
    token = new_token()
    with app.uow() as uow:
        store = UserStore(uow.conn)
        if store.exists(name):
            raise DomainError(f"user {name!r} already exists")
        now = uow.clock.now()
        user = store.add(name, role, password_hash, now)
        store.add_token(name, token_hash(token), "created with the user", now)
        uow.audit.append(now, actor, "user_added", f"user:{name}", f"new {role.value}", {"role": role.value})
        uow.commit()
    return NewUser(user, password, token)


def _check_throttle(app: App, name: str, address: str) -> None:
    settings = app.settings
    with app.uow() as uow:
        since = uow.clock.now() - timedelta(minutes=settings.login_window_minutes)
        by_name, by_address = UserStore(uow.conn).failures(name, address, since)
    if by_name >= settings.login_max_failures or by_address >= settings.login_max_failures_per_address:
        raise TooManyFailures(f"too many wrong passwords: logins paused for {settings.login_window_minutes} "
                              f"minutes; try again later or ask an admin to reset the password")


def login(app: App, name: str, password: str, address: str = "unknown") -> User | None:
    """The user when the password is right; None when wrong. Raises ``TooManyFailures`` while paused."""
    _check_throttle(app, name, address)
    cost = app.settings.password_scrypt_n
    with app.uow() as uow:
        found = UserStore(uow.conn).password_hash(name)
    ok = verify_password(password, found[1]) if found else verify_unknown(password, cost)
    with app.uow() as uow:
        store = UserStore(uow.conn)
        if not ok or found is None:
            store.add_failure(name, address, uow.clock.now())
        else:
            store.clear_failures(name)
            if needs_rehash(found[1], cost):
                store.set_password(name, hash_password(password, cost))
        uow.commit()
    return found[0] if ok and found else None


def user_for_token(app: App, token: str) -> User | None:
    digest = token_hash(token)
    with app.uow() as uow:
        return UserStore(uow.conn).by_token(digest)


def user_named(app: App, name: str) -> User | None:
    with app.uow() as uow:
        return UserStore(uow.conn).get(name)


# --- browser sessions -------------------------------------------------------------------------------
def open_session(app: App, user: User) -> tuple[str, str]:
    """A new session for ``user``: its id (for the cookie, never stored) and its CSRF token."""
    session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    with app.uow() as uow:
        now = uow.clock.now()
        UserStore(uow.conn).add_session(token_hash(session_id), user.name, csrf, now,
                                        now + timedelta(hours=app.settings.session_hours))
        uow.commit()
    return session_id, csrf


def session_user(app: App, session_id: str) -> tuple[User, str] | None:
    """The session's user and CSRF token, while the session is neither ended nor expired."""
    with app.uow() as uow:
        return UserStore(uow.conn).session(token_hash(session_id), uow.clock.now())


def end_session(app: App, session_id: str) -> None:
    with app.uow() as uow:
        UserStore(uow.conn).end_session(token_hash(session_id), uow.clock.now())
        uow.commit()


# --- managing users (o2c users ...) -----------------------------------------------------------------
def list_users(app: App) -> list[UserRow]:
    with app.uow() as uow:
        return UserStore(uow.conn).rows(uow.clock.now())


def _existing(store: UserStore, name: str) -> None:
    if not store.exists(name):
        raise DomainError(f"no user {name!r}")


def set_active(app: App, name: str, active: bool, actor: str) -> None:
    """Disable (ending every token and session) or enable a user."""
    with app.uow() as uow:
        store = UserStore(uow.conn)
        _existing(store, name)
        store.set_active(name, active)
        ended = {} if active else {"tokens": store.revoke_tokens(name),
                                   "sessions": store.end_sessions(name, uow.clock.now())}
        uow.audit.append(uow.clock.now(), actor, "user_enabled" if active else "user_disabled", f"user:{name}",
                         "enabled" if active else "disabled; tokens and sessions ended", ended)
        uow.commit()


def reset_password(app: App, name: str, actor: str, password: str | None = None) -> str:
    """A new password (returned once); the user's sessions end."""
    password = password or new_password()
    password_hash = hash_password(password, app.settings.password_scrypt_n)
    with app.uow() as uow:
        store = UserStore(uow.conn)
        _existing(store, name)
        store.set_password(name, password_hash)
        store.clear_failures(name)
        ended = store.end_sessions(name, uow.clock.now())
        uow.audit.append(uow.clock.now(), actor, "user_password_reset", f"user:{name}",
                         "password reset; sessions ended", {"sessions": ended})
        uow.commit()
    return password


def revoke_access(app: App, name: str, actor: str, new_api_token: bool = False) -> str | None:
    """End every API token and browser session of the user; optionally issue one new token (returned once)."""
    token = new_token() if new_api_token else None
    with app.uow() as uow:
        store = UserStore(uow.conn)
        _existing(store, name)
        now = uow.clock.now()
        ended = {"tokens": store.revoke_tokens(name), "sessions": store.end_sessions(name, now)}
        if token:
            store.add_token(name, token_hash(token), f"issued by {actor}"[:100], now)
        uow.audit.append(now, actor, "user_access_revoked", f"user:{name}", "tokens and sessions ended",
                         ended | {"new_token": token is not None})
        uow.commit()
    return token


def change_role(app: App, name: str, role: Role, actor: str) -> Role:
    """Give the user another role; returns the old one."""
    with app.uow() as uow:
        store = UserStore(uow.conn)
        row = next((r for r in store.rows(uow.clock.now()) if r.name == name), None)
        if row is None:
            raise DomainError(f"no user {name!r}")
        store.set_role(name, role)
        uow.audit.append(uow.clock.now(), actor, "user_role_changed", f"user:{name}",
                         f"{row.role.value} -> {role.value}", {"from": row.role.value, "to": role.value})
        uow.commit()
    return row.role
