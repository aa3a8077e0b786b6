"""Password-reset requests are throttled per email address and per client address, and the page
says so the same way whether the address belongs to anyone or not."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tests.conftest import make_user

THROTTLED = "Too many password reset requests"


@pytest.fixture
def limits(settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 6
    settings.PASSWORD_RESET_WINDOW_MINUTES = 60
    return settings


def _with_email(username: str) -> None:
    user = make_user(username, "Quality engineer", password="a-long-and-uncommon-password")
    user.email = f"{username}@example.com"
    user.save()


@pytest.fixture
def people(db) -> None:
    for username in ("priya", "ana", "bo", "cy", "dee", "eli", "fay"):
        _with_email(username)


def _ask(client, email: str, address: str = "10.0.0.1"):
    return client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=address)


def _page(response) -> str:
    """The page without what differs on every answer (CSRF tokens, CSP nonce)."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    page = re.sub(r'"X-CSRFToken": "[^"]*"', "", page)
    return re.sub(r'nonce="[^"]*"', "", page)


def test_ten_requests_for_one_address_send_at_most_the_limit(client, people, limits) -> None:
    answers = [_ask(client, "priya@example.com") for _ in range(10)]
    assert len(mail.outbox) == 3
    assert [answer.status_code for answer in answers] == [302] * 3 + [429] * 7
    assert THROTTLED in answers[-1].content.decode()


def test_the_limit_for_an_address_holds_from_any_client(client, people, limits) -> None:
    for number in range(10):
        _ask(client, "priya@example.com", address=f"10.0.1.{number}")
    assert len(mail.outbox) == 3


def test_a_throttled_unknown_address_gets_the_same_page(client, people, limits) -> None:
    known = [_ask(client, "priya@example.com", address="10.0.0.1") for _ in range(4)]
    unknown = [_ask(client, "nobody@example.com", address="10.0.0.2") for _ in range(4)]
    assert [a.status_code for a in known] == [a.status_code for a in unknown]
    assert _page(known[-1]) == _page(unknown[-1])
    assert len(mail.outbox) == 3


def test_another_address_still_gets_its_mail(client, people, limits) -> None:
    for _ in range(5):
        _ask(client, "priya@example.com")
    mail.outbox.clear()
    assert _ask(client, "ana@example.com").status_code == 302
    assert [message.to for message in mail.outbox] == [["ana@example.com"]]


def test_the_limit_per_client_applies_across_addresses(client, people, limits) -> None:
    addresses = [f"{name}@example.com" for name in ("priya", "ana", "bo", "cy", "dee", "eli")]
    assert all(_ask(client, address).status_code == 302 for address in addresses)
    refused = _ask(client, "fay@example.com")
    assert refused.status_code == 429 and THROTTLED in refused.content.decode()
    assert len(mail.outbox) == 6
    # Another client is not held back by this one.
    assert _ask(client, "fay@example.com", address="10.0.0.9").status_code == 302


def test_the_limit_ends_with_its_window(client, people, limits) -> None:
    for _ in range(4):
        _ask(client, "priya@example.com")
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert _ask(client, "priya@example.com").status_code == 302
    assert len(mail.outbox) == 1
