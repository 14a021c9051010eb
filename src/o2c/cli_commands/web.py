"""CLI commands for the people's side: ``o2c serve``, ``o2c users add|list|disable|enable|reset|revoke|role``,
``o2c portal grant|list|revoke`` and ``o2c mcp``."""

from __future__ import annotations

import copy
import getpass
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from o2c.auth import portal
from o2c.auth.roles import Role
from o2c.auth.service import (
    add_user,
    change_role,
    list_users,
    reset_password,
    revoke_access,
    set_active,
)
from o2c.cli_commands.common import DbOption, open_app
from o2c.domain.errors import DomainError

console = Console()
ByOption = Annotated[str | None, typer.Option("--by", help="Who makes the change, for the audit record "
                                                          "(default: cli:<your login>)")]


def _actor(by: str | None) -> str:
    return (by or f"cli:{getpass.getuser()}")[:64]


def _bootstrap(db: str | None, *, create: bool = False):  # type: ignore[no-untyped-def]
    return open_app(db, create=create)


def access_log_config(path: Path | None) -> dict[str, Any]:
    """uvicorn's logging with every request in the access log (to stderr, or appended to ``path``) and
    only warnings from the server itself."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["uvicorn.error"]["level"] = "WARNING"
    config["loggers"]["uvicorn.access"]["level"] = "INFO"
    if path is not None:
        config["formatters"]["access"]["use_colors"] = False
        config["handlers"]["access"] = {"class": "logging.FileHandler", "formatter": "access",
                                        "filename": str(path), "mode": "a", "encoding": "utf-8"}
    return config


def serve(host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="TCP port", min=1, max=65535)] = 8000, db: DbOption = None,
          access_log: Annotated[Path | None, typer.Option(help="Append the access log (one line a request) to "
                                                              "this file instead of stderr",
                                                         dir_okay=False)] = None) -> None:
    """Serve the web UI and the REST API (OpenAPI at /api/openapi.json) on one port; every request is
    written to the access log (stderr unless --access-log names a file)."""
    import uvicorn

    from o2c.api.app import create_app

    application = _bootstrap(db)
    console.print(f"o2c on [bold]http://{host}:{port}/[/] (API docs: /api/docs, health: /healthz)")
    uvicorn.run(create_app(application), host=host, port=port, log_config=access_log_config(access_log),
                access_log=True)


def _refused(exc: Exception) -> typer.Exit:
    console.print(f"[red]refused:[/] {exc}")
    return typer.Exit(2)


def users_add(name: Annotated[str, typer.Argument(help="User name (the web login)")], role: Annotated[Role, typer.Option("--role", help="viewer, clerk, approver or admin")],
              db: DbOption = None, by: ByOption = None) -> None:
    """Create a user; prints a generated password (web login) and an API token, shown only once."""
    try:
        created = add_user(_bootstrap(db, create=True), name, role, actor=_actor(by))
    except DomainError as exc:
        raise _refused(exc) from exc
    console.print(f"user [bold]{created.user.name}[/] ({role.value}) created")
    typer.echo(f"password: {created.password}")
    typer.echo(f"token: {created.token}")


def users_list(db: DbOption = None) -> None:
    """Every user with role, state, live API tokens and live browser sessions."""
    table = Table("user", "role", "active", "created", "tokens", "sessions")
    for row in list_users(_bootstrap(db)):
        table.add_row(row.name, row.role.value, "yes" if row.active else "[red]disabled[/]",
                      row.created_at.strftime("%Y-%m-%d %H:%M"), str(row.tokens), str(row.sessions))
    console.print(table)


def users_disable(name: str, db: DbOption = None, by: ByOption = None) -> None:
    """Disable a user: no login, every API token and browser session ends."""
    try:
        set_active(_bootstrap(db), name, False, _actor(by))
    except DomainError as exc:
        raise _refused(exc) from exc
    console.print(f"user [bold]{name}[/] disabled; tokens and sessions ended")


def users_enable(name: str, db: DbOption = None, by: ByOption = None) -> None:
    """Enable a disabled user again (they need a new token: ``o2c users revoke NAME --new-token``)."""
    try:
        set_active(_bootstrap(db), name, True, _actor(by))
    except DomainError as exc:
        raise _refused(exc) from exc
    console.print(f"user [bold]{name}[/] enabled")


def users_reset(name: str, db: DbOption = None, by: ByOption = None) -> None:
    """Give a user a new generated password (shown once); their browser sessions end."""
    try:
        password = reset_password(_bootstrap(db), name, _actor(by))
    except DomainError as exc:
        raise _refused(exc) from exc
    console.print(f"password of [bold]{name}[/] reset; sessions ended")
    typer.echo(f"password: {password}")


def users_revoke(name: str, new_token: Annotated[bool, typer.Option("--new-token", help="Issue one new API "
                                                                                           "token (shown once)")] = False,
                 db: DbOption = None, by: ByOption = None) -> None:
    """Revoke every API token and browser session of a user."""
    try:
        token = revoke_access(_bootstrap(db), name, _actor(by), new_token)
    except DomainError as exc:
        raise _refused(exc) from exc
    console.print(f"tokens and sessions of [bold]{name}[/] revoked")
    if token:
        typer.echo(f"token: {token}")


def users_role(name: str, role: Annotated[Role, typer.Argument(help="viewer, clerk, approver or admin")],
               db: DbOption = None, by: ByOption = None) -> None:
    """Change a user's role."""
    try:
        old = change_role(_bootstrap(db), name, role, _actor(by))
    except DomainError as exc:
        raise _refused(exc) from exc
    console.print(f"user [bold]{name}[/]: {old.value} -> {role.value}")


def portal_grant(customer_id: str, contact: Annotated[str, typer.Option("--contact", help="The contact's name or "
                                                                                          "e-mail address")],
                 db: DbOption = None, by: ByOption = None) -> None:
    """Give a customer's contact a portal token (shown once) to talk to o2c as that customer."""
    try:
        access, token = portal.grant(_bootstrap(db), customer_id, contact, _actor(by))
    except DomainError as exc:
        raise _refused(exc) from exc
    console.print(f"portal access [bold]{access.id}[/] for {access.contact} of {access.customer_id}")
    typer.echo(f"token: {token}")


def portal_list(customer: Annotated[str | None, typer.Option("--customer", help="Only this customer's portal accesses")] = None, db: DbOption = None) -> None:
    """Portal accesses, with their customer, contact, last use and whether revoked."""
    table = Table("access", "customer", "contact", "granted by", "last used", "revoked")
    for a in portal.accesses(_bootstrap(db), customer):
        table.add_row(a.id, a.customer_id, a.contact, a.created_by,
                      a.last_used_at.strftime("%Y-%m-%d %H:%M") if a.last_used_at else "-",
                      a.revoked_at.strftime("%Y-%m-%d %H:%M") if a.revoked_at else "-")
    console.print(table)


def portal_revoke(access_id: str, db: DbOption = None, by: ByOption = None) -> None:
    """Revoke a portal access: its token stops working at once."""
    try:
        portal.revoke(_bootstrap(db), access_id, _actor(by))
    except DomainError as exc:
        raise _refused(exc) from exc
    console.print(f"portal access [bold]{access_id}[/] revoked")


def mcp(token: Annotated[str | None, typer.Option(help="API token of the user the server acts as "
                                                        "(default: O2C_MCP_TOKEN)")] = None,
        db: DbOption = None) -> None:
    """Run the MCP server on stdio, acting as the token's user under that user's role."""
    from o2c.auth.service import user_for_token
    from o2c.mcp_server import build_server

    application = _bootstrap(db)
    token = token or os.environ.get("O2C_MCP_TOKEN")
    user = user_for_token(application, token) if token else None
    if user is None:
        typer.echo("o2c mcp needs a valid API token (--token or O2C_MCP_TOKEN)", err=True)
        raise typer.Exit(2)
    build_server(application, user).run("stdio")


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``users ...``, ``portal ...`` and ``mcp`` to the ``o2c`` command line."""
    app.command("serve")(serve)
    app.command("mcp")(mcp)
    users = typer.Typer(help="People who use the web UI, the API and the MCP server; every change is audited "
                             "with who made it (--by, default cli:<your login>).", no_args_is_help=True)
    for name, command in (("add", users_add), ("list", users_list), ("disable", users_disable),
                          ("enable", users_enable), ("reset", users_reset), ("revoke", users_revoke),
                          ("role", users_role)):
        users.command(name)(command)
    app.add_typer(users, name="users")
    portal_app = typer.Typer(help="Customers' portal access: one revocable token per contact.", no_args_is_help=True)
    portal_app.command("grant")(portal_grant)
    portal_app.command("list")(portal_list)
    portal_app.command("revoke")(portal_revoke)
    app.add_typer(portal_app, name="portal")
