"""The import preview warns, without refusing, about a past due date and a target outside its
own limits: plain tests of the rule, then the preview page (the row is still sent)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from qualityhub.creation.example import example_csv
from qualityhub.creation.import_warnings import RowWarning, warnings_for
from qualityhub.creation.importing import COLUMNS, parse_csv, parse_json
from tests.conftest import DATA_DIR

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
LINE = {"value_type": "numeric", "target": "10", "min_operator": "ge", "min_value": "9",
        "max_operator": "le", "max_value": "11"}  # fmt: skip


def warned(due=None, *lines) -> list[tuple[str, str]]:
    wheres = [f"row {n}" for n in range(2, 2 + len(lines))]
    return [(w.where, w.column) for w in warnings_for("row 2", due, lines, wheres, NOW)]


def test_a_due_date_in_the_past_is_warned_about() -> None:
    found = warnings_for("row 2", datetime(2025, 12, 31, tzinfo=UTC), [], [], NOW)
    said = "The due date 2025-12-31 00:00 is already past."
    assert found == [RowWarning("row 2", "due_date", said)]


def test_a_due_date_to_come_or_now_is_not() -> None:
    assert warned(NOW) == warned(datetime(2027, 1, 1, tzinfo=UTC)) == warned(None) == []


def test_a_target_within_or_on_its_inclusive_limits_is_fine() -> None:
    assert warned(None, LINE, LINE | {"target": "9"}, LINE | {"target": "11.0"}) == []


@pytest.mark.parametrize(
    ("line", "said"),
    [
        (LINE | {"target": "12"}, "(≤ 11)"),
        (LINE | {"target": "8.5"}, "(≥ 9)"),
        (LINE | {"target": "11", "max_operator": "lt"}, "(< 11)"),
        ({"value_type": "numeric", "target": ".32", "min_operator": "gt", "min_value": "0",
          "max_operator": "lt", "max_value": "0.1"}, "(< 0.1)"),  # the spec's own example
        (LINE | {"target": "20", "min_value": "21"}, "(≥ 21 and ≤ 11)"),
    ],
)  # fmt: skip
def test_a_target_outside_its_own_limits_is_warned_about(line, said) -> None:
    [found] = warnings_for("row 2", None, [line], ["row 3"], NOW)
    assert (found.where, found.column) == ("row 3", "target")
    assert said in found.message and "a value on target would fail" in found.message


@pytest.mark.parametrize(
    "line",
    [
        LINE | {"value_type": "choice", "target": "3"},  # a code, not a number to compare
        LINE | {"target": ""},
        LINE | {"target": "abc"},
        LINE | {"target": "NaN"},
        LINE | {"target": "12", "max_operator": "", "max_value": ""},
        LINE | {"target": "12", "max_operator": "sometimes"},
        {"value_type": "numeric", "target": "5"},
    ],
)
def test_what_cannot_be_compared_is_not_warned_about(line) -> None:
    assert warned(None, line) == []


def test_the_csv_names_the_rows_and_columns_warned_about() -> None:
    parsed = parse_csv(example_csv(), now=NOW)
    spec, second = parsed.entries
    assert [(w.where, w.column) for w in spec.warnings] == [
        ("row 2", "due_date"),  # 2025-12-20, said where the header's errors are
        ("row 3", "target"),  # .32 against > 0 and < 0.1
    ]
    assert second.warnings == []  # due 2026-03-31, its target within its limits
    assert spec.payload and not spec.errors  # warned, and sent all the same


def test_a_json_import_names_its_own_keys() -> None:
    record = (DATA_DIR / "seed_create_request.json").read_text()  # the spec's create request
    [entry] = parse_json(record, now=NOW).entries
    assert not entry.errors and entry.payload
    assert [(w.where, w.column) for w in entry.warnings] == [
        ("inspection 1", "dueDate"),
        ("inspection 1, characteristic 2", "expectedResults.targetValue"),
    ]


# --- the preview page ---------------------------------------------------------------------


def _with_a_target_above_its_maximum() -> str:
    rows = list(csv.DictReader(io.StringIO(example_csv())))
    rows[3]["target"] = "12.10"  # above its maximum of ≤ 12.05
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.mark.django_db
def test_the_preview_shows_each_warning_next_to_its_row_and_still_sends_it(
    signed_in, directory
) -> None:
    upload = SimpleUploadedFile("inspections.csv", _with_a_target_above_its_maximum().encode())
    with time_machine.travel(NOW):  # the spec's due date is past, the second one's to come
        response = signed_in.post("/inspections/import/", {"file": upload})
    assert response.status_code == 302
    page = signed_in.get(response["Location"]).content.decode()

    summary = re.sub(r"<[^>]+>", "", re.search(r'preview-summary">(.*?)</p>', page, re.S)[1])
    assert summary.startswith("2 inspections in the file: 2 will be created (2 with warnings")
    entry = page.split('data-testid="import-entry"')[2]  # the second inspection, rows 5–6
    warning = re.search(r'<li data-where="row 5" data-column="target">(.*?)</li>', entry, re.S)
    assert warning, entry
    assert "The target 12.10 is outside its own limits (≤ 12.05)" in warning[1]
    assert "will be created" in entry and "1 warning" in entry
    assert 'data-testid="entry-errors"' not in entry
    assert 'data-testid="confirm-import"' in page and "Create 2 inspections in Coupa" in page
