"""A real SMTP server for the mail tests (aiosmtpd on a free port), and a small world of people
with their mail choices."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from qualityhub.notifications.kinds import Delivery, Kind
from qualityhub.notifications.models import NotificationSettings
from qualityhub.notifications.publish import EventDraft, publish
from tests.conftest import make_user


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd's handler: keeps what it accepted. `refuse` maps an address to the reply its
    RCPT gets (e.g. "550 no such user", "451 try later")."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.refuse: dict[str, str] = {}
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(message)
        return "250 Message accepted for delivery"

    def message_ids(self) -> Counter:
        with self.lock:
            return Counter(message["Message-ID"] for message in self.received)


class MailServer:
    def __init__(self, handler: Inbox, port: int | None = None) -> None:
        self.handler = handler
        self.port = port or free_port()
        self.controller: Controller | None = None

    def start(self) -> MailServer:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def mailer(self, timeout: int = 5) -> dict:
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": timeout},
        }


# Imported by the test modules as `inbox_fixture` and `smtp_fixture`, asked for as `inbox` and
# `smtp` (the tests' arguments then shadow no import).
@pytest.fixture(name="inbox")
def inbox_fixture() -> Inbox:
    return Inbox()


@pytest.fixture(name="smtp")
def smtp_fixture(settings, inbox) -> Iterator[MailServer]:
    """A started server; the notifications' mailer points at it."""
    server = MailServer(inbox).start()
    settings.MAILERS = {**settings.MAILERS, "notifications": server.mailer()}
    settings.QUALITYHUB_URL = "https://qualityhub.example.com"
    try:
        yield server
    finally:
        server.stop()


def person(username: str, role: str | None, *, email: str | None = None, suppliers=(), **chosen):
    """A user with a mail address (unless email=""), and their choices stored when given."""
    user = make_user(username, role, suppliers=suppliers)
    user.email = f"{username}@example.com" if email is None else email
    user.save(update_fields=["email"])
    if chosen:
        NotificationSettings.objects.create(
            user=user, kinds=chosen.pop("kinds", [k.value for k in Kind]), **chosen
        )
    return user


def told(n: int, *, supplier_id: int = 10, kind: str = Kind.REJECTED, start: int = 1) -> int:
    """Publish `n` events (inspections start … start+n-1 of one supplier)."""
    return publish(
        EventDraft(
            key=f"{kind}:{coupa_id}",
            kind=kind,
            summary=f"Inspection {coupa_id} was rejected",
            inspection_id=coupa_id,
            supplier_id=supplier_id,
            item_id=5,
        )
        for coupa_id in range(start, start + n)
    )


def wait_for(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the mail server did not receive it in time")
        time.sleep(0.05)


IMMEDIATE, DAILY, OFF = Delivery.IMMEDIATE, Delivery.DAILY, Delivery.OFF
