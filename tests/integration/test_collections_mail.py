"""The mail port against a real SMTP server on loopback (aiosmtpd): reminders leave once, by e-mail,
outside quiet hours."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler

from o2c.adapters.mail import OutgoingMail, SmtpMailer
from o2c.domain.messages import CustomerMessage
from o2c.services.collections import deliver_queued, load_dunning_rules
from tests.factories import customer, seed


class Inbox(MessageHandler):
    def __init__(self) -> None:
        super().__init__()
        self.received: list = []

    def handle_message(self, message) -> None:  # type: ignore[no-untyped-def]
        self.received.append(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_the_smtp_client_delivers_a_message_with_a_stable_message_id(smtp):
    inbox, port = smtp
    mail = OutgoingMail("MSG-1", "ar@o2c.test", "ap@c1.example", "Friendly reminder", "Please pay", "nl", "dunning:C1:X")
    reference = SmtpMailer("127.0.0.1", port).send(mail)
    [received] = inbox.received
    assert received["Subject"] == "Friendly reminder" and received["To"] == "ap@c1.example"
    assert received["Message-ID"] == reference == mail.header_id()
    assert received["Content-Language"] == "nl"


def _queue(app, kind: str = "dunning_friendly") -> None:
    from dataclasses import replace

    seed(app, replace(customer(), email="ap@c1.example"))
    with app.uow() as uow:
        uow.messages.add(CustomerMessage("MSG-T1", app.clock.now(), "C1", "out", "email", kind, "Reminder", "Pay",
                                         dedupe_key="t1"))
        uow.commit()


def test_queued_reminders_go_out_once_through_smtp_and_are_marked_sent(app, smtp):
    inbox, port = smtp
    _queue(app)
    mailer, rules = SmtpMailer("127.0.0.1", port), load_dunning_rules()
    for _ in range(2):
        with app.uow() as uow:
            deliver_queued(uow, mailer, datetime(2026, 9, 1, 10), rules)
            uow.commit()
    assert len(inbox.received) == 1
    with app.uow() as uow:
        [message] = uow.messages.for_customer("C1")
    assert message.status == "sent"


def test_nothing_leaves_in_quiet_hours(app, smtp):
    inbox, port = smtp
    _queue(app)
    with app.uow() as uow:
        sent = deliver_queued(uow, SmtpMailer("127.0.0.1", port), datetime(2026, 9, 1, 21), load_dunning_rules())
    assert sent == 0 and inbox.received == []
