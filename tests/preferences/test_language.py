"""Which language a page is in: the browser's Accept-Language, unless the person picked one,
which is kept for them (another browser, a later sign-in) and used for what is sent to them."""

from __future__ import annotations

import pytest
from django.test import Client

from qualityhub.preferences.language import language_for
from qualityhub.preferences.models import ChosenLanguage
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def page_language(client: Client, url: str = "/inspections/", **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.headers["Content-Language"]


def test_the_browser_decides_until_the_person_picks(signed_in) -> None:
    assert page_language(signed_in) == "en"
    assert page_language(signed_in, accept_language="de-DE,de;q=0.9,en;q=0.5") == "de"
    assert page_language(signed_in, accept_language="pt-BR") == "en"  # not one of ours
    response = signed_in.post(
        "/preferences/language/", {"language": "es", "next": "/results/?status=Open"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/results/?status=Open"
    assert page_language(signed_in, accept_language="de-DE") == "es"
    assert '<html lang="es">' in signed_in.get("/inspections/").text


def test_the_choice_follows_the_person_to_another_browser(client, engineer) -> None:
    client.force_login(engineer)
    client.post("/preferences/language/", {"language": "fr"})
    assert ChosenLanguage.objects.get(user=engineer).code == "fr"
    assert language_for(engineer) == "fr"
    other = Client()
    engineer.set_password("pass-a-long-one")
    engineer.save()
    response = other.post(
        "/accounts/login/", {"username": engineer.username, "password": "pass-a-long-one"}
    )
    assert response.status_code == 302
    assert page_language(other, accept_language="de") == "fr"


def test_someone_without_a_role_picks_too(client) -> None:
    otto = make_user("otto", None)
    client.force_login(otto)
    response = client.post("/preferences/language/", {"language": "de"})
    assert response.status_code == 302
    assert language_for(otto) == "de"


@pytest.mark.parametrize(
    "data",
    [{}, {"language": "xx"}, {"language": "de" * 500}, {"language": ["de", "fr"]}],
)
def test_an_unknown_language_is_refused_and_nothing_kept(signed_in, engineer, data) -> None:
    response = signed_in.post("/preferences/language/", data)
    if data.get("language") == ["de", "fr"]:  # the last value of a repeated field is read
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert "languages" in response.text
    assert not ChosenLanguage.objects.filter(user=engineer).exists()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "x" * 5000]
)
def test_it_never_sends_the_person_to_another_site(signed_in, next_url) -> None:
    response = signed_in.post("/preferences/language/", {"language": "de", "next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"] in {"/", "/overview/"}


def test_nobody_picked_means_the_site_language_for_mail(engineer) -> None:
    assert language_for(engineer) == "en"
