"""Who may see the scorecards: the roles, visitors, methods, and managers limited to some
suppliers (buyers: test_scorecards_buyers.py)."""

from __future__ import annotations

import pytest

from tests.analytics.scorecard_world import (
    NOW,  # noqa: F401 (the clock frozen stops at)
    _cards,
)

pytestmark = pytest.mark.usefixtures("no_cached_ranking")


@pytest.mark.parametrize(
    ("who", "status"), [("manager", 200), ("engineer", 200), ("buyer", 200), ("outsider", 403)]
)
@pytest.mark.parametrize("url", ["/suppliers/", "/suppliers/1/"])
def test_every_role_sees_scorecards_and_a_user_without_one_does_not(
    client, world, request, who, status, url
) -> None:
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", ["/suppliers/", "/suppliers/1/"])
def test_a_visitor_is_sent_to_sign_in(client, world, url) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/suppliers/", "/suppliers/1/"])
def test_the_scorecards_only_answer_get(grace, world, url) -> None:
    assert grace.post(url).status_code == 405


def test_a_manager_limited_to_some_suppliers_sees_only_theirs(client, world) -> None:
    from tests.conftest import make_user

    client.force_login(make_user("lim", "Manager", suppliers=[3]))
    assert list(_cards(client.get("/suppliers/"))) == [3]
    assert client.get("/suppliers/3/").status_code == 200
    assert client.get("/suppliers/1/").status_code == 404


def test_a_limited_manager_does_not_get_the_whole_ranking_from_the_cache(client, world) -> None:
    from tests.conftest import make_user

    client.force_login(make_user("full", "Manager"))
    assert list(_cards(client.get("/suppliers/"))) == [1, 2, 3]
    client.force_login(make_user("lim", "Manager", suppliers=[3]))
    assert list(_cards(client.get("/suppliers/"))) == [3]
