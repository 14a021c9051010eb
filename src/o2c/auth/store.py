"""The user store: rows of ``users``, ``api_tokens``, ``web_sessions`` and ``login_failures`` <-> plain
values, on a unit of work's connection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from o2c.auth.roles import Permission, Role
from o2c.auth.tables import api_tokens, login_failures, users, web_sessions


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: Role

    def can(self, needed: Role) -> bool:
        return self.role.allows(needed)

    def may(self, permission: Permission) -> bool:
        return self.role.permits(permission)


@dataclass(frozen=True, slots=True)
class UserRow:
    name: str
    role: Role
    active: bool
    created_at: datetime
    tokens: int
    sessions: int


class UserStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, name: str, role: Role, password_hash: str, at: datetime) -> User:
        self.conn.execute(insert(users).values(name=name, role=role.value, password_hash=password_hash,
                                               active=True, created_at=at))
        return User(name, role)

    def exists(self, name: str) -> bool:
        return self.conn.execute(select(users.c.name).where(users.c.name == name)).first() is not None

    def password_hash(self, name: str) -> tuple[User, str] | None:
        row = self.conn.execute(select(users).where(users.c.name == name, users.c.active.is_(True))).first()
        return None if row is None else (User(row.name, Role(row.role)), row.password_hash)

    def set_password(self, name: str, password_hash: str) -> None:
        self.conn.execute(update(users).where(users.c.name == name).values(password_hash=password_hash))

    def set_role(self, name: str, role: Role) -> None:
        self.conn.execute(update(users).where(users.c.name == name).values(role=role.value))

    def set_active(self, name: str, active: bool) -> None:
        self.conn.execute(update(users).where(users.c.name == name).values(active=active))

    def add_token(self, name: str, digest: str, label: str, at: datetime) -> None:
        self.conn.execute(insert(api_tokens).values(token_hash=digest, user_name=name, label=label,
                                                    created_at=at, revoked=False))

    def by_token(self, digest: str) -> User | None:
        row = self.conn.execute(
            select(users.c.name, users.c.role).join(api_tokens, api_tokens.c.user_name == users.c.name)
            .where(api_tokens.c.token_hash == digest, api_tokens.c.revoked.is_(False),
                   users.c.active.is_(True))).first()
        return None if row is None else User(row.name, Role(row.role))

    def touch_token(self, digest: str, at: datetime) -> None:
        self.conn.execute(update(api_tokens).where(api_tokens.c.token_hash == digest).values(last_used_at=at))

    def revoke_tokens(self, name: str) -> int:
        done = self.conn.execute(update(api_tokens).where(api_tokens.c.user_name == name,
                                                          api_tokens.c.revoked.is_(False)).values(revoked=True))
        return done.rowcount

    def get(self, name: str) -> User | None:
        row = self.conn.execute(select(users.c.name, users.c.role)
                                .where(users.c.name == name, users.c.active.is_(True))).first()
        return None if row is None else User(row.name, Role(row.role))

    def names(self) -> set[str]:
        return set(self.conn.execute(select(users.c.name)).scalars())

    def rows(self, now: datetime) -> list[UserRow]:
        tokens = (select(func.count()).where(api_tokens.c.user_name == users.c.name, api_tokens.c.revoked.is_(False))
                  .scalar_subquery())
        sessions = (select(func.count()).where(web_sessions.c.user_name == users.c.name,
                                               web_sessions.c.revoked_at.is_(None), web_sessions.c.expires_at > now)
                    .scalar_subquery())
        query = select(users.c.name, users.c.role, users.c.active, users.c.created_at, tokens, sessions)
        return [UserRow(r[0], Role(r[1]), r[2], r[3], r[4], r[5]) for r in self.conn.execute(query.order_by(users.c.name))]

    # --- browser sessions ---------------------------------------------------------------------------
    def add_session(self, digest: str, name: str, csrf: str, at: datetime, expires_at: datetime) -> None:
        self.conn.execute(insert(web_sessions).values(session_hash=digest, user_name=name, csrf=csrf, created_at=at,
                                                      expires_at=expires_at))

    def session(self, digest: str, now: datetime) -> tuple[User, str] | None:
        row = self.conn.execute(
            select(users.c.name, users.c.role, web_sessions.c.csrf)
            .join(web_sessions, web_sessions.c.user_name == users.c.name)
            .where(web_sessions.c.session_hash == digest, web_sessions.c.revoked_at.is_(None),
                   web_sessions.c.expires_at > now, users.c.active.is_(True))).first()
        return None if row is None else (User(row.name, Role(row.role)), row.csrf)

    def end_session(self, digest: str, at: datetime) -> None:
        self.conn.execute(update(web_sessions).where(web_sessions.c.session_hash == digest,
                                                     web_sessions.c.revoked_at.is_(None)).values(revoked_at=at))

    def end_sessions(self, name: str, at: datetime) -> int:
        done = self.conn.execute(update(web_sessions).where(web_sessions.c.user_name == name,
                                                            web_sessions.c.revoked_at.is_(None))
                                 .values(revoked_at=at))
        return done.rowcount

    # --- failed logins ------------------------------------------------------------------------------
    def add_failure(self, name: str, address: str, at: datetime) -> None:
        self.conn.execute(insert(login_failures).values(user_name=name[:64], address=address[:64], at=at))

    def failures(self, name: str, address: str, since: datetime) -> tuple[int, int]:
        """Failures since ``since`` for the user name, and from the address."""
        recent = select(login_failures.c.user_name, login_failures.c.address).where(
            login_failures.c.at >= since, or_(login_failures.c.user_name == name[:64],
                                              login_failures.c.address == address[:64]))
        rows = list(self.conn.execute(recent))
        return sum(r.user_name == name[:64] for r in rows), sum(r.address == address[:64] for r in rows)

    def clear_failures(self, name: str) -> None:
        self.conn.execute(delete(login_failures).where(login_failures.c.user_name == name[:64]))
