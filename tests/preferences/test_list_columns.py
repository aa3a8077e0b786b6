"""Each user's list columns: kept in the database, per user and per list; unknown or required
columns cannot be hidden; the POST is gated, CSRF-checked and goes back to the same filters."""

from __future__ import annotations

import pytest
from django.test import Client

from qualityhub.preferences.columns import (
    INSPECTION_COLUMNS,
    choice_from,
    columns_for,
    save_columns,
)
from qualityhub.preferences.models import ListColumns
from tests.conftest import make_user


def test_every_column_is_shown_until_a_user_chooses(engineer) -> None:
    choice = columns_for(engineer, "inspections")
    assert choice.visible == INSPECTION_COLUMNS
    assert not choice.hides_any


def test_a_choice_is_kept_per_user_and_per_list(engineer, buyer) -> None:
    save_columns(engineer, "inspections", ["id", "status", "due_date"])
    assert [c.key for c in columns_for(engineer, "inspections").visible] == [
        "id", "status", "due_date",
    ]  # fmt: skip
    assert not columns_for(buyer, "inspections").hides_any
    assert not columns_for(engineer, "results").hides_any
    save_columns(engineer, "inspections", ["status"])  # saved again: one row, replaced
    assert ListColumns.objects.filter(user=engineer).count() == 1


def test_the_link_to_the_inspection_cannot_be_hidden_and_unknown_keys_are_ignored() -> None:
    choice = choice_from("inspections", ["id", "no-such-column", "status"])
    assert "id" in choice.shown and "status" not in choice.shown
    assert "inspection" in choice_from("results", ["inspection"]).shown


def test_a_column_added_later_is_shown_to_who_chose_before(engineer) -> None:
    ListColumns.objects.create(user=engineer, list_name="inspections", hidden=["quantity"])
    assert columns_for(engineer, "inspections").shown == {
        c.key for c in INSPECTION_COLUMNS if c.key != "quantity"
    }


def test_the_form_saves_and_goes_back_to_the_same_filters(client, engineer) -> None:
    client.force_login(engineer)
    response = client.post(
        "/preferences/columns/",
        {"list": "inspections", "column": ["status", "verdict"], "query": "status=Closed&q=a b"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/inspections/?status=Closed&q=a+b"
    assert columns_for(engineer, "inspections").shown == {"id", "status", "verdict"}
    page = client.get("/inspections/").content.decode()
    assert "Columns (3 of 15)" in page  # the picker says how many are shown


def test_with_htmx_it_answers_an_event_for_the_page_to_reload_its_rows(client, engineer) -> None:
    client.force_login(engineer)
    response = client.post(
        "/preferences/columns/", {"list": "results", "all": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "list-columns-changed"


@pytest.mark.parametrize("bad", ["", "users", "inspections\x00", "x" * 5000])
def test_an_unknown_list_is_refused_not_a_500(client, engineer, bad) -> None:
    client.force_login(engineer)
    response = client.post("/preferences/columns/", {"list": bad, "column": "id"})
    assert response.status_code == 400


def test_it_needs_a_sign_in_a_role_a_post_and_the_csrf_token(db, engineer) -> None:
    anonymous = Client()
    assert anonymous.post("/preferences/columns/", {"list": "inspections"}).status_code == 302
    outsider = Client()
    outsider.force_login(make_user("otto", None))
    assert outsider.post("/preferences/columns/", {"list": "inspections"}).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(engineer)
    assert strict.post("/preferences/columns/", {"list": "inspections"}).status_code == 403
    assert strict.get("/preferences/columns/").status_code == 405
    assert not ListColumns.objects.exists()


def test_a_list_page_reads_the_choice_from_the_database_once_per_sign_in(
    client, engineer, django_assert_num_queries
) -> None:
    save_columns(engineer, "inspections", ["status"])
    client.force_login(engineer)
    session: dict = {}
    with django_assert_num_queries(1):
        assert columns_for(engineer, "inspections", session).shown == {"id", "status"}
    with django_assert_num_queries(0):
        assert columns_for(engineer, "inspections", session).shown == {"id", "status"}
    save_columns(engineer, "inspections", ["verdict"], session)
    with django_assert_num_queries(0):
        assert columns_for(engineer, "inspections", session).shown == {"id", "verdict"}
