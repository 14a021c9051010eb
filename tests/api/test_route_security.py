"""Every state-changing route, taken from the route table, refuses the unauthenticated (401) and the
under-privileged (403); web forms also refuse a post without the session's CSRF token (403)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute

try:
    from fastapi.routing import iter_route_contexts
except ImportError:  # FastAPI before routers were kept nested
    iter_route_contexts = None

from o2c.auth.roles import Role
from tests.api.conftest import bearer

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC = {("POST", "/login")}


def _required_role(dependant: Any) -> Role | None:
    for dep in dependant.dependencies:
        role = getattr(dep.call, "role", None) or _required_role(dep)
        if role is not None:
            return role
    return None


def _api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute, looking inside included routers (FastAPI >= 0.16x keeps them nested)."""
    if iter_route_contexts is None:
        return [r for r in routes if isinstance(r, APIRoute)]
    return [c.original_route for c in iter_route_contexts(routes) if isinstance(c.original_route, APIRoute)]


def state_changing_routes(api) -> list[tuple[str, str, Role | None]]:
    found = []
    for route in _api_routes(api.routes):
        for method in sorted(route.methods & STATE_CHANGING):
            if (method, route.path) not in PUBLIC:
                found.append((method, route.path, _required_role(route.dependant)))
    return found


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "X1", path)


def _login(client, user) -> str:
    client.cookies.clear()
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = client.post("/login", data={"username": user.user.name, "password": user.password,
                                           "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    page = client.get("/inbox").text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _lower(role: Role) -> Role | None:
    return list(Role)[role.rank - 1] if role.rank else None


def test_the_route_table_has_state_changing_routes_and_each_names_its_role(client):
    routes = state_changing_routes(client.app)
    assert len(routes) >= 15
    unguarded = [(m, p) for m, p, role in routes if role is None]
    assert unguarded == []


def test_unauthenticated_requests_to_every_state_changing_route_are_refused(client):
    for method, path, _ in state_changing_routes(client.app):
        client.cookies.clear()
        response = client.request(method, _concrete(path), json={}, follow_redirects=False)
        assert response.status_code == 401, (method, path, response.status_code)


@pytest.mark.parametrize("surface", ["api", "web"])
def test_under_privileged_requests_to_every_state_changing_route_are_refused(client, people, surface):
    by_role = {Role.VIEWER: people["viewer"], Role.CLERK: people["clerk"], Role.APPROVER: people["approver"]}
    checked = 0
    for method, path, role in state_changing_routes(client.app):
        lower = _lower(role)
        if lower is None or path.startswith("/api") != (surface == "api"):
            continue
        if surface == "api":
            response = client.request(method, _concrete(path), json={}, headers=bearer(by_role[lower]))
        else:
            csrf = _login(client, by_role[lower])
            response = client.request(method, _concrete(path), data={"csrf_token": csrf}, follow_redirects=False)
        assert response.status_code == 403, (surface, method, path, lower, response.status_code)
        checked += 1
    assert checked >= 4


def test_web_posts_without_the_csrf_token_are_refused(client, people):
    _login(client, people["admin"])
    for method, path, _ in state_changing_routes(client.app):
        if path.startswith("/api"):
            continue
        response = client.request(method, _concrete(path), data={"comment": "x"}, follow_redirects=False)
        assert response.status_code == 403, (method, path, response.status_code)
        wrong = client.request(method, _concrete(path), data={"csrf_token": "forged"}, follow_redirects=False)
        assert wrong.status_code == 403, (method, path, wrong.status_code)


def test_a_viewer_is_refused_on_every_state_changing_route_of_the_api_and_the_web(client, people):
    """Walks the route table (new routes are covered by themselves): a viewer's token on every API route
    and a viewer's session with its CSRF token on every web form; only logging out is theirs to do."""
    viewer = people["viewer"]
    refused = {}
    for method, path, _ in state_changing_routes(client.app):
        if (method, path) == ("POST", "/logout"):
            continue
        if path.startswith("/api"):
            client.cookies.clear()
            response = client.request(method, _concrete(path), json={"text": "cancel order SO-000001",
                                                                      "customer_id": "C1"}, headers=bearer(viewer))
        else:
            csrf = _login(client, viewer)
            response = client.request(method, _concrete(path), data={"csrf_token": csrf, "text": "cancel",
                                                                     "customer_id": "C1"}, follow_redirects=False)
        refused[(method, path)] = response.status_code
    assert refused[("POST", "/api/conversation")] == 403 and refused[("POST", "/chat")] == 403
    assert refused[("POST", "/api/portal/conversation")] == 401  # a staff token is no customer's identity
    assert {k: v for k, v in refused.items() if v not in (401, 403)} == {}
    assert len(refused) >= 15
