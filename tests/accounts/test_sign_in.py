"""Signing in and out, throttling, password change and reset, session expiry."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from tests.conftest import make_user

PASSWORD = "a-long-and-uncommon-password"


@pytest.fixture
def priya(db):
    user = make_user("priya", "Quality engineer", password=PASSWORD)
    user.email = "priya@example.com"
    user.save()
    return user


def _sign_in(client, password: str, username: str = "priya", address: str = "10.0.0.1", **data):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password, **data},
        REMOTE_ADDR=address,
    )


def test_every_page_sends_a_stranger_to_the_sign_in_page(client, db) -> None:
    response = client.get("/inspections/?status=Open")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/inspections/%3Fstatus%3DOpen"


def test_signing_in_lands_on_the_page_asked_for(client, priya) -> None:
    response = _sign_in(client, PASSWORD, next="/inspections/?status=Open")
    assert response.status_code == 302 and response["Location"] == "/inspections/?status=Open"


def test_next_never_leads_off_the_site(client, priya) -> None:
    response = _sign_in(client, PASSWORD, next="https://evil.example.com/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_wrong_password_says_so_and_keeps_the_username(client, priya) -> None:
    response = _sign_in(client, "not-it")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please enter a correct username and password" in page
    assert 'value="priya"' in page


def test_five_failures_lock_that_account_from_that_address(client, priya) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _sign_in(client, "wrong").status_code == 200
    locked = _sign_in(client, "wrong")
    assert locked.status_code == 429
    assert "15 minutes" in locked.content.decode()
    # Even the right password is refused while the lock lasts...
    assert _sign_in(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # ...but the same account from another address, and another account, are not locked.
    assert _sign_in(client, PASSWORD, address="10.0.0.2").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, priya) -> None:
    for _ in range(5):
        _sign_in(client, "wrong")
    assert _sign_in(client, PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=5)):
        assert _sign_in(client, PASSWORD).status_code == 302


def test_a_success_clears_the_failures(client, priya) -> None:
    for _ in range(4):
        _sign_in(client, "wrong")
    assert _sign_in(client, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert _sign_in(client, "wrong").status_code == 200


def test_signing_out_ends_the_session(client, priya) -> None:
    _sign_in(client, PASSWORD)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/inspections/").status_code == 302


def test_a_session_ends_after_its_lifetime(client, priya) -> None:
    _sign_in(client, PASSWORD)
    assert client.get("/inspections/").status_code == 200
    later = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(later):
        response = client.get("/inspections/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_changing_the_password_checks_each_field(client, priya) -> None:
    client.force_login(priya)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": "short", "new_password2": "other"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_old_password-errors"' in page and "incorrectly" in page
    assert 'id="id_new_password2-errors"' in page and "didn’t match" in page


def test_a_changed_password_is_the_one_that_works(client, priya) -> None:
    client.force_login(priya)
    new = "another-quite-long-password"
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password_change/done/"
    client.post("/accounts/logout/")
    assert _sign_in(client, PASSWORD).status_code == 200
    assert _sign_in(client, new).status_code == 302


def test_a_reset_link_by_email_sets_a_new_password(client, priya) -> None:
    response = client.post("/accounts/password_reset/", {"email": "priya@example.com"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    new = "a-brand-new-long-password"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert _sign_in(client, new).status_code == 302


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, priya) -> None:
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and mail.outbox == []
