"""Logging in and staying logged in: throttled wrong passwords, the same KDF work for unknown names,
scrypt at OWASP's cost with old hashes replaced, sessions that logout ends on the server, the login
form's CSRF token, security headers on every page, and API docs only for signed-in users."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from o2c.api.app import create_app
from o2c.auth import passwords
from o2c.auth.service import login, revoke_access
from o2c.auth.store import UserStore
from o2c.config import Settings
from tests.api.conftest import bearer

PAGES = ("/dashboard", "/inbox", "/accounts", "/cash", "/collections", "/audit", "/chat")


def _login_token(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)


def _post_login(client: TestClient, name: str, password: str, token: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/login", data={"username": name, "password": password, "csrf_token": token}, follow_redirects=False
    )


def _attempts(client: TestClient, name: str, passwords_tried: list[str]) -> list[int]:
    """Status codes of logins through the form, each with the token of the form shown before it."""
    token, codes = _login_token(client), []
    for password in passwords_tried:
        response = _post_login(client, name, password, token)
        codes.append(response.status_code)
        found = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        token = found.group(1) if found else _login_token(client)
    return codes


def test_a_hundred_and_twenty_wrong_passwords_are_not_all_answered_and_the_pause_is_explained(
    client, people, clock
):
    codes = _attempts(client, "clerk", [f"guess-{i}" for i in range(120)])
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    paused = _post_login(client, "clerk", people["clerk"].password, _login_token(client))
    assert paused.status_code == 429 and "Logins paused" in paused.text and "15 minutes" in paused.text
    clock.advance_to(clock.now() + timedelta(minutes=16))
    assert _attempts(client, "clerk", [people["clerk"].password]) == [303]


def test_a_successful_login_resets_the_count_and_one_address_is_throttled_across_names(app, client, people):
    assert _attempts(client, "clerk", ["wrong"] * 4 + [people["clerk"].password]) == [401] * 4 + [303]
    assert _attempts(client, "clerk", ["wrong"] * 4) == [401] * 4
    client.cookies.clear()
    codes = [_attempts(client, f"nobody-{i}", ["wrong"])[0] for i in range(18)]
    # the success cleared clerk's first four; 4 + 16 other names make this address's 20
    assert codes == [401] * 16 + [429] * 2


def test_known_and_unknown_names_run_the_same_kdf(app, people, monkeypatch):
    login(app, "warm-up-unknown", "x")  # the dummy hash is made once, on first use
    calls: list[tuple[int, int, int]] = []
    real = passwords._scrypt

    def counted(password: str, salt: bytes, n: int, r: int, p: int, length: int = 32) -> bytes:
        calls.append((n, r, p))
        return real(password, salt, n, r, p, length)

    monkeypatch.setattr(passwords, "_scrypt", counted)
    assert login(app, "clerk", "wrong") is None
    known = list(calls)
    calls.clear()
    assert login(app, "no-such-user", "wrong") is None
    assert known == calls == [(app.settings.password_scrypt_n, 8, 1)]


def test_new_hashes_use_owasps_scrypt_cost_and_an_old_hash_is_replaced_at_login(app, people):
    assert Settings().password_scrypt_n == 2**17 and passwords.SCRYPT_N == 2**17
    assert passwords.hash_password("secret").startswith("scrypt$131072$8$1$")
    with app.uow() as uow:
        UserStore(uow.conn).set_password("clerk", passwords.hash_password(people["clerk"].password, 2**10))
        uow.commit()
    assert login(app, "clerk", people["clerk"].password) is not None
    with app.uow() as uow:
        stored = UserStore(uow.conn).password_hash("clerk")[1]
    assert stored.startswith(f"scrypt${app.settings.password_scrypt_n}$") and not passwords.needs_rehash(
        stored, app.settings.password_scrypt_n
    )
    assert login(app, "clerk", people["clerk"].password) is not None


def test_the_login_form_needs_its_csrf_token(client, people):
    _login_token(client)
    assert _post_login(client, "clerk", people["clerk"].password, "forged").status_code == 403
    client.cookies.clear()
    assert _post_login(client, "clerk", people["clerk"].password, "").status_code == 403


def test_a_copied_session_cookie_stops_working_after_logout(app, client, people):
    assert _post_login(client, "clerk", people["clerk"].password, _login_token(client)).status_code == 303
    copied = client.cookies.get("o2c_session")
    page = client.get("/inbox")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    with TestClient(create_app(app, secret_key="test-secret")) as thief:
        thief.cookies.set("o2c_session", copied)
        refused = thief.get("/inbox", follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"].startswith("/login")


def test_revoking_a_user_ends_their_sessions_and_tokens(app, client, people):
    assert _post_login(client, "clerk", people["clerk"].password, _login_token(client)).status_code == 303
    assert client.get("/inbox", follow_redirects=False).status_code == 200
    revoke_access(app, "clerk", actor="admin")
    assert client.get("/inbox", follow_redirects=False).status_code == 303
    assert client.get("/api/orders", headers=bearer(people["clerk"])).status_code == 401


def test_every_html_page_carries_the_security_headers_and_no_inline_code(client, people):
    assert _post_login(client, "clerk", people["clerk"].password, _login_token(client)).status_code == 303
    for path in (*PAGES, "/login"):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy, path
        assert (
            response.headers["x-frame-options"] == "DENY"
            and response.headers["x-content-type-options"] == "nosniff"
        )
        assert response.headers["referrer-policy"] == "same-origin"
        inline = [
            s
            for s in re.findall(r"<script([^>]*)>", response.text)
            if "src=" not in s and "application/json" not in s
        ]
        assert inline == [] and not re.search(r"\s(on[a-z]+|hx-on[:a-z-]*)=", response.text), path
        assert "<style" not in response.text and " style=" not in response.text, path


@pytest.mark.parametrize("path", ["/api/docs", "/api/redoc", "/api/openapi.json"])
def test_the_api_docs_are_for_signed_in_users_or_off(app, client, people, path):
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer(people["viewer"])).status_code == 200
    assert _post_login(client, "viewer", people["viewer"].password, _login_token(client)).status_code == 303
    assert client.get(path).status_code == 200
    with TestClient(create_app(app, secret_key="s", api_docs="off")) as closed:
        assert closed.get(path, headers=bearer(people["viewer"])).status_code == 404
