"""CLI commands for the people's side: ``o2c serve``, ``o2c users add`` and ``o2c mcp``."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console

from o2c.auth.roles import Role
from o2c.cli_commands.common import DbOption, open_app

console = Console()


def _bootstrap(db: str | None, *, create: bool = False):  # type: ignore[no-untyped-def]
    return open_app(db, create=create)


def serve(host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="TCP port", min=1, max=65535)] = 8000, db: DbOption = None) -> None:
    """Serve the web UI and the REST API (OpenAPI at /api/openapi.json) on one port."""
    import uvicorn

    from o2c.api.app import create_app

    application = _bootstrap(db)
    console.print(f"o2c on [bold]http://{host}:{port}/[/] (API docs: /api/docs, health: /healthz)")
    uvicorn.run(create_app(application), host=host, port=port, log_level="warning")


def users_add(name: Annotated[str, typer.Argument(help="User name (the web login)")], role: Annotated[Role, typer.Option("--role", help="viewer, clerk, approver or admin")],
              db: DbOption = None) -> None:
    """Create a user; prints a generated password (web login) and an API token, shown only once."""
    from o2c.auth.service import add_user
    from o2c.domain.errors import DomainError

    try:
        created = add_user(_bootstrap(db, create=True), name, role, actor="cli")
    except DomainError as exc:
        console.print(f"[red]refused:[/] {exc}")
        raise typer.Exit(2) from exc
    console.print(f"user [bold]{created.user.name}[/] ({role.value}) created")
    typer.echo(f"password: {created.password}")
    typer.echo(f"token: {created.token}")


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
    """Add ``serve``, ``users add`` and ``mcp`` to the ``o2c`` command line."""
    app.command("serve")(serve)
    app.command("mcp")(mcp)
    users = typer.Typer(help="People who use the web UI, the API and the MCP server.", no_args_is_help=True)
    users.command("add")(users_add)
    app.add_typer(users, name="users")
