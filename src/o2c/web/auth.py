"""Who is using the web UI: the session's user, the role a page needs, and the CSRF check on posts.

A page without a session redirects to the login (a GET) or is refused with 401 (a post); a role too
low gets 403; a post without the session's CSRF token gets 403. ``page_role(role)`` keeps the role on
the dependency (``.role``) so tests can list what each route requires.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from o2c.adapters.store.uow import UnitOfWork
from o2c.api.deps import get_app
from o2c.auth.roles import Role
from o2c.auth.service import user_named
from o2c.auth.store import User
from o2c.bootstrap import App
from o2c.web.session import COOKIE, Session, SessionCodec


class LoginRequired(Exception):
    """No valid session: a page redirects to the login form, a post is refused."""


def codec(request: Request) -> SessionCodec:
    return request.app.state.sessions


def current_session(request: Request) -> Session | None:
    return codec(request).read(request.cookies.get(COOKIE))


def page_user(request: Request, app: Annotated[App, Depends(get_app)]) -> User:
    session = current_session(request)
    user = user_named(app, session.user) if session else None
    if user is None:
        raise LoginRequired()
    request.state.user = user
    request.state.csrf = session.csrf if session else ""
    return user


async def _csrf(request: Request) -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    session = current_session(request)
    token = request.headers.get("x-csrf-token")
    if token is None:
        form = await request.form()
        value = form.get("csrf_token")
        token = value if isinstance(value, str) else None
    if session is None or not session.csrf_ok(token):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the form is stale or was not sent by this site (CSRF)")


def page_role(role: Role) -> Callable[[Request, User], Awaitable[User]]:
    async def check(request: Request, user: Annotated[User, Depends(page_user)]) -> User:
        if not user.can(role):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"{user.name} is a {user.role.value}; "
                                                           f"this needs a {role.value} or above")
        await _csrf(request)
        return user

    check.role = role  # type: ignore[attr-defined]
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
