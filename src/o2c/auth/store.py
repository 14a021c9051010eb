"""The user store: rows of ``users`` and ``api_tokens`` <-> ``User``, on a unit of work's connection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from o2c.auth.roles import Role
from o2c.auth.tables import api_tokens, users


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: Role

    def can(self, needed: Role) -> bool:
        return self.role.allows(needed)


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

    def get(self, name: str) -> User | None:
        row = self.conn.execute(select(users.c.name, users.c.role)
                                .where(users.c.name == name, users.c.active.is_(True))).first()
        return None if row is None else User(row.name, Role(row.role))

    def names(self) -> set[str]:
        return set(self.conn.execute(select(users.c.name)).scalars())
