"""Request dependencies: the application, a read-only unit of work, and who is asking with which role.

The API authenticates with a bearer token (``Authorization: Bearer o2c_...``); the web UI with a
signed session cookie. ``require(role)`` returns a dependency that refuses the request with 401
(nobody logged in) or 403 (logged in, role too low); the role it needs is kept on the dependency
(``.role``), so a test can list what every route requires. ``permitted(permission)`` does the same
for a named permission (its ``.role`` is the least role that holds it).

A customer's portal token (``o2cp_...``) is not a user's token: ``portal_customer`` accepts only it,
and routes for staff never do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from o2c.adapters.store.uow import UnitOfWork
from o2c.auth.portal import CustomerIdentity, customer_for_token
from o2c.auth.roles import Permission, Role
from o2c.auth.service import user_for_token
from o2c.auth.store import User
from o2c.bootstrap import App

bearer = HTTPBearer(auto_error=False, description="An API token from `o2c users add NAME --role ROLE`.")


def get_app(request: Request) -> App:
    return request.app.state.o2c


def token_user(app: Annotated[App, Depends(get_app)],
               credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "an API token is needed",
                            headers={"WWW-Authenticate": "Bearer"})
    user = user_for_token(app, credentials.credentials)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown or revoked API token",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


def require(role: Role) -> Callable[[User], User]:
    """A dependency: the API caller, who must hold at least ``role``."""

    def check(user: Annotated[User, Depends(token_user)]) -> User:
        if not user.can(role):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"{user.name} is a {user.role.value}; "
                                                           f"this needs a {role.value} or above")
        return user

    check.role = role  # type: ignore[attr-defined]
    return check


def permitted(permission: Permission) -> Callable[[User], User]:
    """A dependency: the API caller, whose role must grant ``permission``."""

    def check(user: Annotated[User, Depends(token_user)]) -> User:
        if not user.may(permission):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"{user.name} is a {user.role.value}; "
                                                           f"{permission.value} needs a {permission.least_role.value} "
                                                           f"or above")
        return user

    check.role = permission.least_role  # type: ignore[attr-defined]
    return check


def portal_customer(app: Annotated[App, Depends(get_app)],
                    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> CustomerIdentity:
    """The customer contact a portal token speaks for; 401 for anything else."""
    identity = customer_for_token(app, credentials.credentials) if credentials else None
    if identity is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a customer portal token is needed",
                            headers={"WWW-Authenticate": "Bearer"})
    return identity


portal_customer.role = Role.VIEWER  # type: ignore[attr-defined]  # guarded: a customer ranks below any staff
_viewer = require(Role.VIEWER)


def reader(app: Annotated[App, Depends(get_app)], _: Annotated[User, Depends(_viewer)]) -> Iterator[UnitOfWork]:
    """A unit of work for reading (never committed), opened only after the caller is authenticated:
    on SQLite every transaction holds the write lock, so the token lookup must finish first."""
    with app.uow(read_only=True) as uow:
        yield uow


Reader = Annotated[UnitOfWork, Depends(reader)]
AppDep = Annotated[App, Depends(get_app)]
Viewer = Annotated[User, Depends(_viewer)]
Clerk = Annotated[User, Depends(require(Role.CLERK))]
Approver = Annotated[User, Depends(require(Role.APPROVER))]
Admin = Annotated[User, Depends(require(Role.ADMIN))]
ActsForCustomer = Annotated[User, Depends(permitted(Permission.ACT_FOR_CUSTOMER))]
PortalCustomer = Annotated[CustomerIdentity, Depends(portal_customer)]
