"""``o2c mail poll [--once]``: read the company's mailbox over IMAP and act on each message once.

The mailbox is ``O2C_IMAP_URL`` (``imaps://user@host/INBOX``) with ``O2C_IMAP_PASSWORD``; see
``o2c.adapters.imap_mailbox`` for TLS and ``o2c.services.mail_intake`` for what happens to a message.
Each processed message prints one line (its UID, key, route and the folder it went to). Without
``--once`` the command keeps polling, waiting for news with IMAP IDLE between polls, and reconnects
after a dropped connection.
"""

from __future__ import annotations

import imaplib
import time
from typing import Annotated, Any

import typer
from rich.console import Console

from o2c.cli_commands.common import CliError, DbOption, open_app

console = Console()
RECONNECT_S = 30.0


def register(app: typer.Typer) -> None:
    """Add ``mail`` to the ``o2c`` app."""
    mail = typer.Typer(
        help="The company's mailboxes: orders, remittances, replies by e-mail.", no_args_is_help=True
    )
    mail.command("poll")(poll)
    app.add_typer(mail, name="mail")


def poll(
    once: Annotated[bool, typer.Option("--once", help="Process what is waiting, then exit")] = False,
    wait: Annotated[
        float | None,
        typer.Option(
            "--wait",
            help="Seconds to wait for news between polls (default O2C_MAIL_WAIT_SECONDS or 300)",
            min=0.1,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Read the mailbox O2C_IMAP_URL names; act on each message once and file it in o2c/done or o2c/quarantine."""
    from o2c.adapters.imap_mailbox import ImapMailbox, ImapSettings
    from o2c.services.mail_intake import TrustedSenders, poll_once

    app = open_app(db, create=True)
    settings = app.settings
    if not settings.imap_url:
        raise CliError("set O2C_IMAP_URL (imaps://user@host/INBOX) and O2C_IMAP_PASSWORD")
    try:
        imap = ImapSettings.from_url(
            settings.imap_url,
            settings.imap_password.get_secret_value() if settings.imap_password else None,
            str(settings.imap_ca_file) if settings.imap_ca_file else None,
        )
    except ValueError as error:
        raise CliError(str(error)) from None
    trusted = TrustedSenders.parse(settings.mail_trusted_senders)
    pause = wait or settings.mail_wait_seconds
    try:
        while True:
            try:
                with ImapMailbox(imap) as mailbox:
                    _run(app, mailbox, trusted, once, pause, poll_once)
                    return
            except (OSError, imaplib.IMAP4.error) as error:
                if once:
                    raise CliError(f"mailbox {imap.name}: {error}") from None
                console.print(f"[yellow]mailbox {imap.name}: {error}; reconnecting in {RECONNECT_S:.0f} s[/]")
                time.sleep(RECONNECT_S)
    finally:
        app.close()


def _run(app: Any, mailbox: Any, trusted: Any, once: bool, pause: float, poll_once: Any) -> None:
    while True:
        poll_once(app, mailbox, trusted, on_done=_show)
        if once:
            return
        mailbox.wait(pause)


def _show(outcome: Any) -> None:
    seen = " (seen before: filed only)" if outcome.already_done else ""
    typer.echo(f"{outcome.uid}\t{outcome.message_key}\t{outcome.route}\t{outcome.outcome}{seen}")
