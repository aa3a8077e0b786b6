"""The typed readers every URL parameter goes through: what each takes, and what it refuses."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from qualityhub.inspections.models import Inspection
from qualityhub.ui import params
from qualityhub.ui.paging import decode_cursor, encode_cursor


@pytest.mark.parametrize("text", ["²", "١٢", "-1", " 1", "1.0", "", str(2**63), "9" * 5000])
def test_a_whole_number_is_ascii_digits_within_the_databases_integer(text: str) -> None:
    with pytest.raises(params.BadParameter):
        params.whole_number(text)


def test_the_largest_database_integer_is_a_whole_number() -> None:
    assert params.whole_number(str(2**63 - 1)) == 2**63 - 1
    assert params.whole_number("007") == 7


@pytest.mark.parametrize("text", ["10000-01-01", "0000-01-01", "0001-01-01", "9999-12-31"])
def test_a_day_stays_one_day_inside_pythons_range(text: str) -> None:
    with pytest.raises(params.BadParameter):
        params.day(text)


def test_a_moment_without_a_time_zone_is_read_in_the_current_one() -> None:
    moment = params.moment("2024-05-01T10:00:00")
    assert timezone.is_aware(moment)
    assert moment == timezone.make_aware(timezone.datetime(2024, 5, 1, 10))
    assert params.day("2024-05-01") == date(2024, 5, 1)


def test_text_loses_its_nul_characters() -> None:
    assert params.text(" a\x00b ") == "ab"


@pytest.mark.parametrize(
    "cursor",
    [
        encode_cursor("10000-01-01T00:00:00", 1),
        encode_cursor("2024-01-01T00:00:00+00:00", 2**63),
        encode_cursor("True", 1),
        encode_cursor("2024-01-01T00:00:00+00:00", "1"),
        "W1tdLCBbXV0",  # [[], []]
        "not base64 ²",
    ],
)
def test_a_forged_cursor_is_ignored(cursor: str) -> None:
    assert decode_cursor(cursor, Inspection, "due_date") is None


def test_a_cursor_the_list_made_reads_back() -> None:
    cursor = encode_cursor("2024-01-01 00:00:00+00:00", 7)
    value, pk = decode_cursor(cursor, Inspection, "due_date")
    assert (value.year, pk) == (2024, 7)
