"""Who is using the web UI: the session's user, the role or permission a page needs, and the CSRF
check on posts.

A page without a live session (none, expired, or ended by logout or revocation) redirects to the
login (a GET) or is refused with 401 (a post); a role too low gets 403; a post without the session's
CSRF token gets 403. ``page_role(role)`` and ``page_permission(permission)`` keep the role on the
dependency (``.role``) so tests can list what each route requires.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from o2c.adapters.store.uow import UnitOfWork
from o2c.api.deps import get_app
from o2c.auth.roles import Permission, Role
from o2c.auth.service import session_user
from o2c.auth.store import User
from o2c.bootstrap import App
from o2c.web.session import COOKIE, Session, SessionCodec


class LoginRequired(Exception):
    """No valid session: a page redirects to the login form, a post is refused."""


def codec(request: Request) -> SessionCodec:
    return request.app.state.sessions


def session_id(request: Request) -> str | None:
    return codec(request).session_id(request.cookies.get(COOKIE))


def page_user(request: Request, app: Annotated[App, Depends(get_app)]) -> User:
    sid = session_id(request)
    found = session_user(app, sid) if sid else None
    if found is None or sid is None:
        raise LoginRequired()
    user, csrf = found
    request.state.user = user
    request.state.session = Session(sid, csrf)
    request.state.csrf = csrf
    return user


async def _csrf(request: Request) -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    session: Session | None = getattr(request.state, "session", None)
    token = request.headers.get("x-csrf-token")
    if token is None:
        form = await request.form()
        value = form.get("csrf_token")
        token = value if isinstance(value, str) else None
    if session is None or not session.csrf_ok(token):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the form is stale or was not sent by this site (CSRF)")


def _refuse(user: User, needed: Role, what: str) -> HTTPException:
    return HTTPException(status.HTTP_403_FORBIDDEN, f"{user.name} is a {user.role.value}; {what} needs a "
                                                    f"{needed.value} or above")


def page_role(role: Role) -> Callable[[Request, User], Awaitable[User]]:
    async def check(request: Request, user: Annotated[User, Depends(page_user)]) -> User:
        if not user.can(role):
            raise _refuse(user, role, "this")
        await _csrf(request)
        return user

    check.role = role  # type: ignore[attr-defined]
    return check


def page_permission(permission: Permission) -> Callable[[Request, User], Awaitable[User]]:
    async def check(request: Request, user: Annotated[User, Depends(page_user)]) -> User:
        if not user.may(permission):
            raise _refuse(user, permission.least_role, permission.value)
        await _csrf(request)
        return user

    check.role = permission.least_role  # type: ignore[attr-defined]
    return check


_page_viewer = page_role(Role.VIEWER)


def page_reader(app: Annotated[App, Depends(get_app)],
                _: Annotated[User, Depends(_page_viewer)]) -> Iterator[UnitOfWork]:
    """A read-only unit of work for a page, opened after the session's user was looked up (on SQLite
    every transaction holds the write lock, so the two must not overlap)."""
    with app.uow(read_only=True) as uow:
        yield uow


PageReader = Annotated[UnitOfWork, Depends(page_reader)]
PageViewer = Annotated[User, Depends(_page_viewer)]
PageClerk = Annotated[User, Depends(page_role(Role.CLERK))]
PageApprover = Annotated[User, Depends(page_role(Role.APPROVER))]
PageActsForCustomer = Annotated[User, Depends(page_permission(Permission.ACT_FOR_CUSTOMER))]
