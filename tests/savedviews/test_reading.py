"""A view's query read through the list's own parser: what is kept, what is left out and said."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from qualityhub.savedviews.models import MAX_QUERY_LENGTH, Page
from qualityhub.savedviews.reading import LISTS, PAGING, Reading, normalise, read_query
from qualityhub.savedviews.services import Refused
from qualityhub.ui.filters import InspectionFilters

INSPECTIONS = LISTS[Page.INSPECTIONS]
RESULTS = LISTS[Page.RESULTS]


def test_a_lists_filters_and_sort_are_kept_in_a_stable_order() -> None:
    reading = read_query(INSPECTIONS, "status=Open&overdue=1&sort=due_date&status=Closed")
    assert reading == Reading("overdue=1&status=Closed&status=Open", "due_date", [])
    assert reading.address("/inspections/") == (
        "/inspections/?overdue=1&status=Closed&status=Open&sort=due_date"
    )


def test_paging_and_the_forms_empty_fields_are_not_part_of_a_view() -> None:
    query = "q=&status=Open&decision=&after=abc&before=def&size=200&exported="
    assert read_query(INSPECTIONS, query) == Reading("status=Open", "", [])


def test_a_filter_the_list_no_longer_reads_is_said_and_left_out() -> None:
    reading = read_query(INSPECTIONS, "due_soon=7&status=Open", sort="")
    assert reading.query == "status=Open"
    [ignored] = reading.ignored
    assert ignored.opening_message() == (
        "This view's filter “due_soon” no longer applies and was ignored."
    )


def test_a_value_the_list_no_longer_takes_is_said_and_left_out() -> None:
    query = "status=Open&status=Parked&decision=Maybe&due_after=2024-13-01"
    reading = read_query(INSPECTIONS, query)
    assert reading.query == "status=Open"
    messages = [note.opening_message() for note in reading.ignored]
    assert messages[0] == "This view's filter “status = Parked” no longer applies and was ignored."
    assert messages[1].startswith("This view's filter “decision = Maybe” no longer applies")
    assert "Unknown decision" in messages[1]
    assert "is not a date" in messages[2]


def test_a_filter_that_takes_one_value_keeps_the_one_the_list_reads() -> None:
    assert read_query(INSPECTIONS, "verdict=pass&verdict=fail").query == "verdict=fail"
    assert read_query(INSPECTIONS, "verdict=fail&verdict=").query == ""  # as the list reads it
    assert read_query(INSPECTIONS, "supplier=3&supplier=8&supplier=3").query == (
        "supplier=3&supplier=8"
    )


def test_a_sort_the_list_no_longer_has_is_said_and_the_usual_order_used() -> None:
    reading = read_query(INSPECTIONS, "overdue=1", sort="-shoe_size")
    assert reading.sort == ""
    assert reading.ignored[0].opening_message() == (
        "This view's sort “sort = -shoe_size” no longer applies and was ignored: "
        "the list's usual order is used."
    )
    assert read_query(INSPECTIONS, "", sort="-due_date").sort == "-due_date"
    assert read_query(INSPECTIONS, "", sort="--due_date").sort == ""


def test_a_supplier_out_of_the_users_scope_is_said_and_left_out() -> None:
    reading = read_query(INSPECTIONS, "supplier=6&supplier=10", supplier_ids={10, 14})
    assert reading.query == "supplier=10"
    assert reading.ignored[0].opening_message() == (
        "This view's filter “supplier = 6” no longer applies and was ignored: "
        "not one of the suppliers you see."
    )
    assert read_query(INSPECTIONS, "supplier=6", supplier_ids=None).query == "supplier=6"


def test_a_renamed_filter_is_read_under_its_new_name_through_the_alias_table() -> None:
    renamed = replace(INSPECTIONS, aliases={"late": "overdue", "state": "status"})
    reading = read_query(renamed, "late=1&state=Open")
    assert reading == Reading("overdue=1&status=Open", "", [])


def test_each_list_is_read_by_its_own_parser() -> None:
    reading = read_query(RESULTS, "name=Length&verdict=fail&status=Open&sort=-verdict")
    assert (reading.query, reading.sort) == ("name=Length&verdict=fail", "-verdict")
    assert [ignored.name for ignored in reading.ignored] == ["status"]


def test_saving_says_what_was_left_out_of_the_view() -> None:
    [ignored] = read_query(INSPECTIONS, "gone=perhaps").ignored
    assert ignored.saving_message() == (
        "“gone = perhaps” does not apply to this list and was left out of the view."
    )


def test_a_querystring_too_long_or_with_too_many_fields_is_refused() -> None:
    with pytest.raises(Refused, match="too long"):
        read_query(INSPECTIONS, "q=" + "a" * MAX_QUERY_LENGTH)
    with pytest.raises(Refused, match="too many"):
        read_query(INSPECTIONS, "&".join(["status=Open"] * 201))


def test_a_message_shows_a_hostile_name_short_and_printable() -> None:
    [ignored] = read_query(INSPECTIONS, "%00%1b" + "x" * 300 + "=1").ignored
    message = ignored.opening_message()
    assert "\x00" not in message and "\x1b" not in message
    assert len(message) < 120


# Hostile querystrings: anything a user could post. Reading never fails otherwise than with a
# refusal, keeps only what the parser reads, and reads its own result back unchanged.
KEYS = st.sampled_from(
    ["status", "supplier", "item", "q", "overdue", "due_after", "due_within", "queue", "sort",
     "after", "size", "verdict", "gone", "x", "%00", "status%5B%5D", ""]
)  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(["Open", "Closed", "1", "fail", "2024-05-01", "accepted-failing", "-due_date"]),
    st.text(max_size=30),
    st.from_regex(r"[0-9]{1,25}", fullmatch=True),
)
QUERIES = st.one_of(
    st.lists(st.tuples(KEYS, VALUES), max_size=12).map(
        lambda pairs: "&".join(f"{key}={value}" for key, value in pairs)
    ),
    st.text(max_size=300),
)


@pytest.mark.django_db  # a search looks its suppliers up in the directory
@settings(max_examples=300, deadline=None)
@given(raw=QUERIES, scope=st.one_of(st.none(), st.frozensets(st.integers(1, 20), max_size=3)))
def test_any_querystring_reads_as_a_query_the_list_takes(raw: str, scope) -> None:
    try:
        reading = read_query(INSPECTIONS, raw, supplier_ids=scope)
    except Refused:
        return
    kept = QueryDict(reading.query)
    assert not set(kept) & PAGING and "sort" not in kept
    assert InspectionFilters.from_query(kept).errors == {}
    assert read_query(INSPECTIONS, reading.query, sort=reading.sort, supplier_ids=scope) == (
        Reading(reading.query, reading.sort, [])
    )
    assert normalise(_pairs(reading.query)) == reading.query


def _pairs(query: str) -> list[tuple[str, str]]:
    return [(key, value) for key, values in QueryDict(query).lists() for value in values]


@pytest.mark.django_db
def test_a_search_is_kept_as_typed() -> None:
    assert read_query(INSPECTIONS, "q=&q=PO-17").query == "q=PO-17"
