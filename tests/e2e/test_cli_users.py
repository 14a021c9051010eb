"""``o2c users`` and ``o2c portal`` as an administrator uses them: every change audited with who made it."""

from __future__ import annotations

import re

import typer
from typer.testing import CliRunner

from o2c.auth import portal
from o2c.auth.service import login, user_for_token
from o2c.cli_commands.web import register
from tests.factories import customer, seed

runner = CliRunner()
cli = typer.Typer()
register(cli)


def _run(app, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, [*args, "--db", app.settings.database_url])
    assert result.exit_code == 0, result.output
    return result.output


def _audited(app, action: str):  # type: ignore[no-untyped-def]
    with app.uow() as uow:
        return [(r.actor, r.subject, r.payload) for r in uow.audit.records(action=action)]


def test_users_are_added_listed_given_roles_reset_revoked_and_disabled_each_audited_with_who(app):
    added = _run(app, "users", "add", "bob", "--role", "viewer", "--by", "root")
    token = re.search(r"token: (\S+)", added).group(1)
    assert _audited(app, "user_added") == [("root", "user:bob", {"role": "viewer"})]
    assert re.search(r"bob\s+.*viewer\s+.*yes", _run(app, "users", "list"))

    _run(app, "users", "role", "bob", "clerk", "--by", "root")
    assert _audited(app, "user_role_changed") == [("root", "user:bob", {"from": "viewer", "to": "clerk"})]

    password = re.search(r"password: (\S+)", _run(app, "users", "reset", "bob", "--by", "root")).group(1)
    assert login(app, "bob", password) is not None
    assert _audited(app, "user_password_reset")[0][:2] == ("root", "user:bob")

    new_token = re.search(
        r"token: (\S+)", _run(app, "users", "revoke", "bob", "--new-token", "--by", "root")
    ).group(1)
    assert user_for_token(app, token) is None and user_for_token(app, new_token) is not None
    assert _audited(app, "user_access_revoked")[0][:2] == ("root", "user:bob")

    _run(app, "users", "disable", "bob", "--by", "root")
    assert login(app, "bob", password) is None and user_for_token(app, new_token) is None
    assert _audited(app, "user_disabled")[0][:2] == ("root", "user:bob")
    refused = runner.invoke(cli, ["users", "role", "nobody", "admin", "--db", app.settings.database_url])
    assert refused.exit_code == 2 and "no user 'nobody'" in refused.output


def test_a_customers_portal_access_is_granted_listed_and_revoked(app):
    seed(app, customer("C1"))
    granted = _run(app, "portal", "grant", "C1", "--contact", "ap@c1.example", "--by", "root")
    access_id, token = re.search(r"(PA-\w+)", granted).group(1), re.search(r"token: (\S+)", granted).group(1)
    assert portal.customer_for_token(app, token).customer_id == "C1"
    listed = _run(app, "portal", "list", "--customer", "C1")
    assert "PA-" in listed and "C1" in listed
    _run(app, "portal", "revoke", access_id, "--by", "root")
    assert portal.customer_for_token(app, token) is None
    assert [a for a, _, _ in _audited(app, "portal_access_revoked")] == ["root"]
