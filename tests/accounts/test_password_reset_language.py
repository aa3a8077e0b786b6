"""The password-reset mail goes to an account's owner in the language they chose in QualityHub
(issue 18, §4), whatever the language of the browser that asked: through a real SMTP server,
with Django's own German catalogue for the words."""

from __future__ import annotations

import pytest

from qualityhub.preferences.models import ChosenLanguage
from tests.conftest import make_user
from tests.notifications.mail_server import Inbox, MailServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(settings):
    handler = Inbox()
    server = MailServer(handler).start()
    settings.MAILERS = {**settings.MAILERS, "default": server.mailer()}
    try:
        yield handler
    finally:
        server.stop()


def _person(username: str, language: str | None):
    user = make_user(username, "Quality engineer", password="a-long-and-uncommon-password")
    user.email = f"{username}@example.com"
    user.save()
    if language:
        ChosenLanguage.objects.create(user=user, code=language)


def test_the_reset_mail_is_in_the_owners_language_not_the_askers(client, inbox) -> None:
    _person("greta", "de")
    _person("priya", None)
    for email in ("greta@example.com", "priya@example.com"):
        # Asked from an English browser each time.
        response = client.post(
            "/accounts/password_reset/", {"email": email}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 302
    german, english = (
        next(m for m in inbox.received if m["To"] == f"{name}@example.com")
        for name in ("greta", "priya")
    )
    assert german["Subject"] == "Passwort auf testserver zurücksetzen"
    assert "Bitte öffnen Sie folgende Seite" in german.get_body(("plain",)).get_content()
    assert english["Subject"] == "Password reset on testserver"
    assert "Please go to the following page" in english.get_body(("plain",)).get_content()
    # The page answers the asker in their own language.
    assert client.get("/accounts/password_reset/done/").headers["Content-Language"] == "en"
