"""Reading CSV and JSON imports: nothing sent; the directory read only where a test gives it
(the example names its second supplier by number)."""

from __future__ import annotations

import csv
import io
import json
from itertools import count

import pytest

from qualityhub.coupa import wirejson
from qualityhub.creation.example import example_csv
from qualityhub.creation.importing import (
    COLUMNS,
    parse_csv,
    parse_json,
    parse_upload,
)
from qualityhub.creation.resolving import Directory
from tests.conftest import DATA_DIR, load_example


def _keys():
    numbers = count(1)
    return lambda: f"QH-test{next(numbers)}"


def _csv(rows: list[dict[str, str]], columns=COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _example_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(example_csv())))


def _errors(entry) -> list[tuple[str, str, str]]:
    return [(e.where, e.column, e.message) for e in entry.errors]


def test_the_shipped_example_csv_is_the_one_the_page_offers() -> None:
    assert (DATA_DIR / "import_example.csv").read_text() == example_csv()


@pytest.mark.usefixtures("directory")
def test_the_example_csv_is_the_spec_example_and_one_more() -> None:
    parsed = parse_csv(example_csv(), _keys(), Directory())
    assert parsed.problems == []
    seed, second = parsed.entries
    assert (seed.where, seed.external_id, seed.key_generated) == ("rows 2–4", "EXT_QI_004", False)
    assert wirejson.loads(seed.payload) == load_example("seed_create_request.json")
    assert (second.where, second.external_id, second.key_generated) == (
        "rows 5–6",
        "QH-test1",
        True,
    )
    wire = wirejson.loads(second.payload)
    assert wire["externalInspectionId"] == "QH-test1"
    assert wire["supplierId"] == 4  # written as its number, SUP-00004
    assert [c["type"] for c in wire["characteristics"]] == ["REQUIRED", "OPTIONAL"]
    assert wire["characteristics"][0]["expectedLimits"][0] == {
        "limitType": "MIN",
        "comparisonOperator": "GE",
        "comparisonValue": "11.95",
    }


@pytest.mark.usefixtures("directory")
def test_every_bad_row_is_named_with_its_column() -> None:
    rows = _example_rows()
    rows[0]["supplier_id"] = rows[1]["supplier_id"] = rows[2]["supplier_id"] = ""
    rows[1]["min_value"] = "0.5"
    rows[2]["quantitative"] = "maybe"
    rows[3]["min_operator"] = "about"
    parsed = parse_csv(_csv(rows), _keys(), Directory())

    seed, second = parsed.entries
    assert seed.payload == ""
    assert _errors(seed) == [
        ("row 4", "quantitative", "Write yes or no, not 'maybe'."),
        ("row 2", "supplier_id", "This field is required."),
        ("row 3", "min_value", "The minimum is above the maximum."),
    ]
    assert _errors(second) == [
        (
            "row 5",
            "min_operator",
            "Select a valid choice. about is not one of the available choices.",
        )
    ]
    assert [line["name"] for line in seed.as_json()["lines"]] == [
        "Color",
        "Non-volatile residue",
        "Reducing substances",
    ]


def test_one_external_id_split_over_rows_apart_is_refused() -> None:
    rows = _example_rows()
    parsed = parse_csv(_csv([rows[0], rows[3], rows[1]]), _keys())
    first, _, again = parsed.entries
    assert first.errors == []
    assert _errors(again) == [
        (
            "row 4",
            "external_id",
            "External id EXT_QI_004 is also used at row 2: one inspection's rows must be next to "
            "each other with the same header columns.",
        )
    ]
    assert again.payload == ""


def test_rows_of_one_inspection_that_differ_in_a_header_column_are_two_inspections() -> None:
    rows = _example_rows()[3:]
    rows[1]["po_line"] = "0030"
    parsed = parse_csv(_csv(rows), _keys())
    assert [e.external_id for e in parsed.entries] == ["QH-test1", "QH-test2"]


def test_symbols_and_any_case_are_read_in_the_csv() -> None:
    rows = _example_rows()[3:4]
    rows[0].update(type="Required", value_type="NUMERIC", min_operator="≥", max_operator="<")
    rows[0]["supplier_id"] = "4"
    wire = wirejson.loads(parse_csv(_csv(rows), _keys()).entries[0].payload)
    limits = wire["characteristics"][0]["expectedLimits"]
    assert [limit["comparisonOperator"] for limit in limits] == ["GE", "LT"]


def test_unknown_and_missing_columns_are_problems_of_the_file() -> None:
    columns = [c for c in COLUMNS if c != "uom"] + ["colour"]
    parsed = parse_csv(_csv([], columns))
    assert parsed.entries == []
    assert parsed.problems[:2] == ["Unknown column 'colour'.", "Missing column(s): uom."]


def test_an_empty_file_and_a_file_not_in_utf8_are_problems() -> None:
    assert parse_upload("a.csv", b"").problems == ["The file is empty."]
    assert parse_upload("a.csv", "é".encode("latin-1")).problems == [
        "The file is not UTF-8 text (save the CSV as UTF-8)."
    ]


@pytest.mark.usefixtures("directory")
def test_a_csv_saved_by_excel_with_a_byte_order_mark_is_read() -> None:
    parsed = parse_upload(
        "example.csv", b"\xef\xbb\xbf" + example_csv().encode(), directory=Directory()
    )
    assert parsed.problems == []
    assert len(parsed.sendable) == 2


def test_the_spec_request_as_json_is_sent_exactly_as_given() -> None:
    text = (DATA_DIR / "seed_create_request.json").read_text()
    parsed = parse_upload("seed.json", text.encode(), _keys())
    (entry,) = parsed.entries
    assert entry.errors == []
    assert wirejson.loads(entry.payload) == load_example("seed_create_request.json")


def test_json_records_are_checked_like_the_form() -> None:
    seed = json.loads((DATA_DIR / "seed_create_request.json").read_text())
    bad = json.loads(json.dumps(seed))
    del bad["externalInspectionId"]
    bad["supplierId"] = "ACME"
    bad["colour"] = "red"
    bad["characteristics"][1]["expectedResults"]["qualitativeValue"] = "clear"
    bad["characteristics"][2]["expectedLimits"][1]["comparisonOperator"] = "NE"
    parsed = parse_json(json.dumps([seed, bad]), _keys())

    good, refused = parsed.entries
    assert good.errors == []
    assert refused.external_id == "QH-test1"
    assert _errors(refused) == [
        ("inspection 2", "colour", "Unknown field."),
        ("inspection 2, characteristic 2", "expectedResults.qualitativeValue", "Unknown field."),
        ("inspection 2", "supplierId", "Enter a whole number."),
        (
            "inspection 2, characteristic 3",
            "expectedLimits(MAX).comparisonOperator",
            "Select a valid choice. ne is not one of the available choices.",
        ),
    ]


def test_json_that_is_not_json_is_a_problem_of_the_file() -> None:
    parsed = parse_upload("x.json", b"{not json")
    assert parsed.problems[0].startswith("The file is not valid JSON")
