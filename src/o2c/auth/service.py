"""Use cases for people: add a user (audited), log in with a password, authenticate an API token."""

from __future__ import annotations

from dataclasses import dataclass

from o2c.auth.passwords import hash_password, new_password, new_token, token_hash, verify_password
from o2c.auth.roles import Role
from o2c.auth.store import User, UserStore
from o2c.bootstrap import App
from o2c.domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class NewUser:
    user: User
    password: str
    token: str


def add_user(app: App, name: str, role: Role, actor: str = "admin", password: str | None = None) -> NewUser:
    """Create a user with a generated password and API token; both are returned once, stored hashed."""
    name = name.strip()
    if not name or len(name) > 64:
        raise DomainError("a user name needs 1 to 64 characters")
    password = password or new_password()
    token = new_token()
    with app.uow() as uow:
        store = UserStore(uow.conn)
        if store.exists(name):
            raise DomainError(f"user {name!r} already exists")
        now = uow.clock.now()
        user = store.add(name, role, hash_password(password), now)
        store.add_token(name, token_hash(token), "created with the user", now)
        uow.audit.append(now, actor, "user_added", f"user:{name}", f"new {role.value}", {"role": role.value})
        uow.commit()
    return NewUser(user, password, token)


def login(app: App, name: str, password: str) -> User | None:
    with app.uow() as uow:
        found = UserStore(uow.conn).password_hash(name)
    if found is None or not verify_password(password, found[1]):
        return None
    return found[0]


def user_for_token(app: App, token: str) -> User | None:
    digest = token_hash(token)
    with app.uow() as uow:
        return UserStore(uow.conn).by_token(digest)


def user_named(app: App, name: str) -> User | None:
    with app.uow() as uow:
        return UserStore(uow.conn).get(name)
