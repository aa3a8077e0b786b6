"""The one-click unsubscribe link: signed for one person, refused when forged, tampered or moved
to another person, and never acting on GET (mail scanners follow links)."""

from __future__ import annotations

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from qualityhub.notifications.kinds import Delivery
from qualityhub.notifications.models import NotificationSettings
from qualityhub.notifications.unsubscribe import SALT, token_for
from tests.notifications.mail_server import person

pytestmark = pytest.mark.django_db


def link(token: str) -> str:
    return reverse("notifications-unsubscribe", args=[token])


@pytest.fixture
def mail_client() -> Client:
    """A mail client's one-click POST: no session, no CSRF token (and CSRF checked)."""
    return Client(enforce_csrf_checks=True)


def choices(user) -> tuple[str, bool] | None:
    row = NotificationSettings.objects.filter(user=user).first()
    return None if row is None else (row.delivery, row.weekly_summary)


def test_get_asks_and_changes_nothing(mail_client) -> None:
    grace = person("grace", "Manager")
    page = mail_client.get(link(token_for(grace.pk)))
    assert page.status_code == 200
    assert b"unsubscribe-confirm" in page.content
    assert choices(grace) is None  # still the role's defaults


def test_the_one_click_post_stops_all_mail_without_a_session(mail_client) -> None:
    grace = person("grace", "Manager")  # defaults: daily digest, weekly summary
    page = mail_client.post(link(token_for(grace.pk)), {"List-Unsubscribe": "One-Click"})
    assert page.status_code == 200 and b"unsubscribed" in page.content
    assert choices(grace) == (Delivery.OFF, False)
    # The role's kinds are kept as chosen: the bell still tells her.
    assert NotificationSettings.objects.get(user=grace).kinds


def test_stored_choices_keep_all_but_mail(mail_client) -> None:
    priya = person("priya", "Quality engineer", delivery=Delivery.IMMEDIATE, digest_hour=9)
    mail_client.post(link(token_for(priya.pk)))
    row = NotificationSettings.objects.get(user=priya)
    assert (row.delivery, row.weekly_summary, row.digest_hour) == (Delivery.OFF, False, 9)


def forged_tokens(victim_id: int, own_id: int) -> dict[str, str]:
    own = token_for(own_id)
    value, signature = own.rsplit(":", 1)
    return {
        "tampered signature": f"{value}:{signature[:-2]}xx",
        "another user's id under my signature": token_for(victim_id).rsplit(":", 1)[0]
        + f":{signature}",
        "signed for another purpose": signing.dumps({"u": victim_id, "s": "all-mail"}),
        "signed with another key": signing.dumps(
            {"u": victim_id, "s": "all-mail"}, key="not-our-secret", salt=SALT
        ),
        "unsigned": signing.b64_encode(b'{"u":1,"s":"all-mail"}').decode(),
        "not a token": "hello",
        "too long": "a" * 400,
        "wrong payload": signing.dumps({"u": "1", "s": "all-mail"}, salt=SALT),
    }


@pytest.mark.parametrize("forgery", sorted(forged_tokens(1, 2)))
def test_forged_links_are_refused_and_change_nothing(mail_client, forgery: str) -> None:
    victim = person("grace", "Manager")
    attacker = person("otto", "Buyer")
    token = forged_tokens(victim.pk, attacker.pk)[forgery]
    for method in (mail_client.get, mail_client.post):
        page = method(link(token))
        assert page.status_code == 400, forgery
        assert b"unsubscribe-refused" in page.content
    assert choices(victim) is None and choices(attacker) is None


def test_a_link_for_a_user_who_is_gone_is_404(mail_client) -> None:
    grace = person("grace", "Manager")
    token = token_for(grace.pk)
    grace.is_active = False
    grace.save()
    assert mail_client.post(link(token)).status_code == 404
    assert choices(grace) is None


def test_one_persons_link_never_touches_another(mail_client) -> None:
    grace = person("grace", "Manager")
    priya = person("priya", "Quality engineer")
    mail_client.post(link(token_for(grace.pk)))
    assert choices(priya) is None
