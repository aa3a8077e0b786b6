"""The store's own rules: names, the most views a user keeps, one name once."""

from __future__ import annotations

import pytest

from qualityhub.savedviews.models import Page, SavedView
from qualityhub.savedviews.services import (
    MAX_VIEWS_PER_USER,
    Refused,
    clean_name,
    rename_view,
    save_view,
)
from tests.conftest import make_user


@pytest.mark.parametrize(
    ("raw", "name"), [("  My overdue ", "My overdue"), ("a\tb\n c", "a b c"), ("x" * 80, "x" * 80)]
)
def test_a_name_is_trimmed_to_single_spaces(raw: str, name: str) -> None:
    assert clean_name(raw) == name


@pytest.mark.parametrize(
    ("raw", "why"),
    [("", "Give the view a name"), ("   ", "Give the view a name"), ("x" * 81, "at most 80"),
     ("a\x00b", "control characters"), ("a\x1bb", "control characters")],
)  # fmt: skip
def test_a_name_empty_too_long_or_with_control_characters_is_refused(raw: str, why: str) -> None:
    with pytest.raises(Refused, match=why):
        clean_name(raw)


@pytest.fixture
def marco(db):
    return make_user("marco", "Buyer")


def test_a_view_is_saved_with_its_query_and_sort(marco) -> None:
    view = save_view(marco, Page.INSPECTIONS, " My overdue ", "overdue=1", "due_date")
    stored = SavedView.objects.get(pk=view.pk)
    assert (stored.name, stored.query, stored.sort, stored.shared) == (
        "My overdue", "overdue=1", "due_date", False
    )  # fmt: skip


def test_a_name_is_taken_once_per_list_whatever_its_case(marco) -> None:
    save_view(marco, Page.INSPECTIONS, "My overdue", "overdue=1", "")
    with pytest.raises(Refused, match="already have a view named “MY OVERDUE”"):
        save_view(marco, Page.INSPECTIONS, "MY OVERDUE", "status=Open", "")
    save_view(marco, Page.RESULTS, "My overdue", "verdict=fail", "")  # another list
    save_view(make_user("lena", "Buyer"), Page.INSPECTIONS, "My overdue", "", "")  # another user


def test_renaming_to_a_name_taken_is_refused_and_to_its_own_case_is_not(marco) -> None:
    first = save_view(marco, Page.INSPECTIONS, "First", "", "")
    save_view(marco, Page.INSPECTIONS, "Second", "", "")
    with pytest.raises(Refused, match="already have"):
        rename_view(first, "second")
    assert rename_view(first, "FIRST").name == "FIRST"


def test_a_user_keeps_at_most_fifty_views(marco) -> None:
    for number in range(MAX_VIEWS_PER_USER):
        save_view(marco, Page.INSPECTIONS, f"View {number}", "", "")
    with pytest.raises(Refused, match="You have 50 saved views"):
        save_view(marco, Page.RESULTS, "One more", "", "")


def test_a_query_too_long_is_refused(marco) -> None:
    with pytest.raises(Refused, match="too long"):
        save_view(marco, Page.INSPECTIONS, "Long", "q=" + "a" * 4000, "")
