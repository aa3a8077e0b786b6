"""Saving, opening, renaming, sharing and deleting views, as each role, through the URLconf."""

from __future__ import annotations

import pytest
from django.test import Client

from qualityhub.savedviews.models import Page, SavedView
from qualityhub.savedviews.reading import ALIASES
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def marco(buyer):
    return _client(buyer)


@pytest.fixture
def priya(engineer):
    return _client(engineer)


def _view(owner, name="My overdue", query="overdue=1", sort="due_date", **extra) -> SavedView:
    return SavedView.objects.create(owner=owner, name=name, query=query, sort=sort, **extra)


def test_a_buyer_saves_the_lists_filters_and_sort_and_lands_on_them(marco, buyer) -> None:
    query = "q=&status=Open&overdue=1&decision=&sort=due_date&after=eyJ4Ijox"
    form = {"name": "My overdue", "query": query, "page": "inspections"}
    response = marco.post("/views/save/", form)
    assert response.status_code == 302
    assert response["Location"] == "/inspections/?overdue=1&status=Open&sort=due_date"
    view = SavedView.objects.get(owner=buyer)
    assert (view.name, view.page, view.query, view.sort) == (
        "My overdue", Page.INSPECTIONS, "overdue=1&status=Open", "due_date"
    )  # fmt: skip
    page = marco.get(response["Location"])
    assert "Saved the view “My overdue”." in _messages(page)


def test_saving_needs_the_csrf_token(buyer) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    response = client.post("/views/save/", {"name": "Sneaky", "query": "overdue=1"})
    assert response.status_code == 403
    assert not SavedView.objects.exists()


def test_a_saved_view_sits_in_the_queue_bar_marked_when_on_screen(marco, buyer) -> None:
    view = _view(buyer)
    page = marco.get("/inspections/?overdue=1&sort=due_date").content.decode()
    link = f'href="/views/{view.pk}/"'
    assert link in page
    tag = page[page.rindex("<a", 0, page.index(link)) : page.index(">", page.index(link))]
    assert " active" in tag and 'aria-current="true"' in tag
    other = marco.get("/inspections/?overdue=1").content.decode()
    tag = other[other.rindex("<a", 0, other.index(link)) : other.index(">", other.index(link))]
    assert " active" not in tag and "aria-current" not in tag


def test_opening_a_view_redirects_to_the_list_with_its_filters_and_sort(marco, buyer) -> None:
    view = _view(buyer, query="overdue=1&status=Open")
    response = marco.get(f"/views/{view.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/inspections/?overdue=1&status=Open&sort=due_date"


def test_a_filter_gone_since_is_named_on_the_list_and_the_rest_applies(marco, buyer) -> None:
    view = _view(buyer, query="due_soon=7&status=Open&status=Parked")
    response = marco.get(f"/views/{view.pk}/", follow=True)
    assert response.redirect_chain == [("/inspections/?status=Open&sort=due_date", 302)]
    assert _messages(response) == [
        "This view's filter “due_soon” no longer applies and was ignored.",
        "This view's filter “status = Parked” no longer applies and was ignored.",
    ]
    assert response.context["filters"].statuses == ["Open"]


def test_a_renamed_filter_keeps_working_through_its_alias(marco, buyer, monkeypatch) -> None:
    monkeypatch.setitem(ALIASES[Page.INSPECTIONS], "late", "overdue")
    view = _view(buyer, query="late=1", sort="")
    response = marco.get(f"/views/{view.pk}/", follow=True)
    assert response.redirect_chain == [("/inspections/?overdue=1", 302)]
    assert _messages(response) == []


def test_a_shared_view_naming_a_supplier_a_buyer_does_not_see_says_so(engineer) -> None:
    view = _view(engineer, query="supplier=6&supplier=10", sort="", shared=True)
    limited = _client(make_user("lena", "Buyer", suppliers=[10, 14]))
    response = limited.get(f"/views/{view.pk}/", follow=True)
    assert response.redirect_chain == [("/inspections/?supplier=10", 302)]
    assert _messages(response) == [
        "This view's filter “supplier = 6” no longer applies and was ignored: "
        "not one of the suppliers you see."
    ]


def test_a_buyer_cannot_share_a_view(marco, buyer) -> None:
    view = _view(buyer)
    assert marco.post(f"/views/{view.pk}/share/", {"shared": "1"}).status_code == 403
    view.refresh_from_db()
    assert not view.shared


def test_an_engineer_shares_a_view_and_everyone_sees_it_read_only(priya, engineer, buyer) -> None:
    view = _view(engineer, name="Rejected lately")
    assert priya.post(f"/views/{view.pk}/share/", {"shared": "1"}).status_code == 302
    view.refresh_from_db()
    assert view.shared
    grace = _client(make_user("grace", "Manager"))
    assert f'href="/views/{view.pk}/"' in grace.get("/inspections/").content.decode()
    assert grace.get(f"/views/{view.pk}/").status_code == 302
    assert grace.post(f"/views/{view.pk}/rename/", {"name": "Mine now"}).status_code == 403
    assert grace.post(f"/views/{view.pk}/delete/").status_code == 403
    assert _client(buyer).post(f"/views/{view.pk}/share/", {"shared": "0"}).status_code == 403
    view.refresh_from_db()
    assert (view.name, view.shared) == ("Rejected lately", True)
    priya.post(f"/views/{view.pk}/share/", {"shared": "0"})
    assert grace.get(f"/views/{view.pk}/").status_code == 404


def test_another_users_private_view_is_404_on_every_route(priya, buyer) -> None:
    view = _view(buyer)
    assert priya.get(f"/views/{view.pk}/").status_code == 404
    for action in ("rename", "delete", "share"):
        response = priya.post(f"/views/{view.pk}/{action}/", {"name": "x", "shared": "1"})
        assert response.status_code == 404
    assert SavedView.objects.get(pk=view.pk).name == "My overdue"
    assert f"/views/{view.pk}/" not in priya.get("/inspections/").content.decode()


def test_the_owner_renames_and_deletes_their_view(marco, buyer) -> None:
    view = _view(buyer)
    response = marco.post(f"/views/{view.pk}/rename/", {"name": "Late ones"}, follow=True)
    assert _messages(response) == ["Renamed “My overdue” to “Late ones”."]
    assert "Late ones" in response.content.decode()
    response = marco.post(f"/views/{view.pk}/delete/", follow=True)
    assert _messages(response) == ["Deleted the view “Late ones”."]
    assert not SavedView.objects.exists()


def test_a_shared_view_of_a_deactivated_user_is_no_longer_offered(priya, engineer, buyer) -> None:
    view = _view(buyer, shared=True)
    assert priya.get(f"/views/{view.pk}/").status_code == 302
    buyer.is_active = False
    buyer.save()
    assert priya.get(f"/views/{view.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "x" * 81, "query": "overdue=1"}, "at most 80 characters"),
        ({"name": "", "query": "overdue=1"}, "Give the view a name"),
        ({"name": "Huge", "query": "q=" + "a" * 5000}, "too long"),
        ({"name": "Many", "query": "&".join(["status=Open"] * 300)}, "too many"),
    ],
)
def test_a_hostile_save_is_refused_with_a_message(marco, form, message) -> None:
    response = marco.post("/views/save/", form | {"page": "nowhere"}, follow=True)
    assert response.redirect_chain == [("/inspections/", 302)]
    [said] = _messages(response)
    assert said.startswith("The view was not saved.") and message in said
    assert not SavedView.objects.exists()


def test_saving_says_what_it_left_out(marco) -> None:
    form = {"name": "Odd", "query": "status=Parked&overdue=1"}
    response = marco.post("/views/save/", form, follow=True)
    assert _messages(response) == [
        "“status = Parked” does not apply to this list and was left out of the view.",
        "Saved the view “Odd”.",
    ]


def test_a_view_of_the_results_opens_the_results(marco, buyer) -> None:
    response = marco.post(
        "/views/save/", {"name": "Failing", "query": "verdict=fail&sort=-id", "page": "results"}
    )
    assert response["Location"] == "/results/?verdict=fail&sort=-id"
    view = SavedView.objects.get(owner=buyer)
    assert marco.get(f"/views/{view.pk}/")["Location"] == "/results/?verdict=fail&sort=-id"
    assert f'href="/views/{view.pk}/"' in marco.get("/results/").content.decode()
    assert f'href="/views/{view.pk}/"' not in marco.get("/inspections/").content.decode()


def test_the_manage_page_lists_ones_own_views_and_those_shared(marco, buyer, engineer) -> None:
    _view(buyer, name="Mine")
    _view(engineer, name="Team queue", shared=True)
    _view(engineer, name="Priya's private")
    page = marco.get("/views/").content.decode()
    assert "Mine" in page and "Team queue" in page and "Priya&#x27;s private" not in page
    assert "Share with everyone" not in page  # a buyer may not share


def test_the_list_pays_one_query_for_its_saved_views(
    marco, buyer, engineer, django_assert_max_num_queries
) -> None:
    for number in range(20):
        _view(buyer, name=f"Mine {number}")
        _view(engineer, name=f"Shared {number}", shared=True)
    marco.get("/inspections/")
    with django_assert_max_num_queries(5):
        page = marco.get("/inspections/").content.decode()
    assert page.count("data-saved-view=") == 40
