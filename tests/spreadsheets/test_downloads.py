"""The lists' downloads over HTTP: what a person opens in Excel or reads as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest

from tests.conftest import make_user
from tests.spreadsheets.conftest import BIG, body, rows_of, sheet

# The CSV's header as it was before the .xlsx: scripts read these keys.
CSV_HEADER = [
    "coupa_id", "external_inspection_id", "status", "review_decision", "verdict", "supplier_id",
    "supplier_name", "item_id", "item_name", "supplier_part_number", "buyer_part_number",
    "ref_document_id", "ref_document_item", "item_quantity", "sample_size", "due_date",
    "modified_at", "exported", "failing_count", "marginal_count", "gone_at",
]  # fmt: skip


def as_decimal(value: object) -> Decimal:
    """A numeric cell's value as the decimal Excel shows (a double's shortest form)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def test_the_inspection_xlsx_keeps_numbers_dates_and_verdicts(signed_in, world) -> None:
    signed_in.cookies["tz"] = "Europe/Berlin"
    worksheet = sheet(signed_in.get("/inspections/download.xlsx"))
    assert worksheet.freeze_panes == "A2"
    assert worksheet.auto_filter.ref == "A1:U4"
    rows = {row["Inspection"].value: row for row in rows_of(worksheet)}
    assert set(rows) == {1, 2, 3}
    first = rows[1]
    quantity = first["Quantity"]
    assert quantity.data_type == "n" and quantity.value == 6011 and quantity.number_format == "0"
    sample = first["Sample"]
    assert as_decimal(sample.value) == Decimal("12.5") and sample.number_format == "0.0"
    assert first["Due"].is_date and first["Due"].value.date() == date(2026, 11, 25)
    # On the reader's clock: 23:30 UTC is half past midnight in Berlin.
    assert first["Modified"].is_date and first["Modified"].value == datetime(2026, 11, 26, 0, 30)
    assert first["Exported"].value == "Yes" and rows[2]["Exported"].value == "No"
    verdict = first["Verdict"]
    assert verdict.value == "Fail" and verdict.fill.fill_type == "solid"
    assert verdict.fill.fgColor.rgb == "FFFFC7CE"
    assert rows[2]["Verdict"].fill.fgColor.rgb == "FFC6EFCE"
    assert rows[2]["Quantity"].value is None
    header = next(worksheet.iter_rows(max_row=1))
    assert all(cell.font.b for cell in header)


def test_the_results_xlsx_holds_each_value_at_its_characteristics_precision(
    signed_in, world
) -> None:
    worksheet = sheet(signed_in.get("/results/download.xlsx"))
    assert worksheet.freeze_panes == "A2" and worksheet.auto_filter.ref.startswith("A1:")
    rows = {row["Line id"].value: row for row in rows_of(worksheet)}
    assert list(rows) == [30, 20, 11, 10]  # newest first, as the list
    rounded = rows[10]["Recorded value"]
    assert as_decimal(rounded.value) == Decimal("0.13") and rounded.number_format == "0.00"
    padded = rows[20]["Recorded value"]
    assert as_decimal(padded.value) == Decimal("69.000") and padded.number_format == "0.000"
    # Thirty digits do not survive a double: written as text, every digit kept.
    assert rows[11]["Recorded value"].data_type == "s"
    assert rows[11]["Recorded value"].value == str(BIG)
    assert rows[30]["Recorded code"].value == "RED"
    assert rows[10]["Verdict"].value == "Fail"
    assert rows[10]["Verdict"].fill.fgColor.rgb == "FFFFC7CE"
    assert rows[30]["Verdict"].value == "Pending"


def test_the_csv_keeps_its_header_and_writes_numbers_at_their_precision(signed_in, world) -> None:
    lines = list(csv.reader(io.StringIO(body(signed_in.get("/inspections/export.csv")).decode())))
    assert lines[0] == CSV_HEADER
    rows = {row[0]: dict(zip(CSV_HEADER, row, strict=True)) for row in lines[1:]}
    assert rows["1"]["item_quantity"] == "6011"  # was 6011.0000000000
    assert rows["1"]["sample_size"] == "12.5"
    assert rows["1"]["exported"] == "yes" and rows["2"]["exported"] == "no"
    assert rows["2"]["item_quantity"] == ""
    assert rows["1"]["verdict"] == "fail"
    assert rows["1"]["due_date"] == "2026-11-25T10:00:00+00:00"


def test_the_results_csv_writes_values_at_their_precision(signed_in, world) -> None:
    text = body(signed_in.get("/results/download.csv")).decode()
    rows = {row["line_id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["10"]["recorded_value"] == "0.13"
    assert rows["20"]["recorded_value"] == "69.000"
    assert rows["11"]["recorded_value"] == str(BIG)
    assert rows["30"]["recorded_value"] == "" and rows["30"]["recorded_code"] == "RED"


def test_the_downloads_follow_the_lists_filters(signed_in, world) -> None:
    worksheet = sheet(signed_in.get("/inspections/download.xlsx?verdict=fail"))
    assert [row["Inspection"].value for row in rows_of(worksheet)] == [1]
    text = body(signed_in.get("/results/download.csv?name=len&verdict=pass")).decode()
    assert [row["line_id"] for row in csv.DictReader(io.StringIO(text))] == ["20"]


@pytest.mark.parametrize(
    "path", ["/inspections/download.xlsx", "/results/download.xlsx", "/results/download.csv"]
)
def test_a_buyers_download_holds_only_their_suppliers(client, world, path) -> None:
    client.force_login(make_user("lena", "Buyer", suppliers=[20]))
    response = client.get(path)
    if path.endswith(".csv"):
        rows = list(csv.DictReader(io.StringIO(body(response).decode())))
        assert {row["supplier_id"] for row in rows} == {"20"}
    else:
        rows = rows_of(sheet(response))
        assert {row["Supplier id"].value for row in rows} == {20}
    assert len(rows) == 1
    # Asking for another supplier's rows by name gives nothing of theirs.
    response = client.get(f"{path}?supplier=10")
    if path.endswith(".csv"):
        assert list(csv.DictReader(io.StringIO(body(response).decode()))) == []
    else:
        assert rows_of(sheet(response)) == []


HOSTILE_QUERIES = [
    "supplier=abc&item=-1&verdict=<script>",
    "modified_after=99999-99-99&modified_before=0000-00-00",
    "name=%00%01%FF&supplier=99999999999999999999999999",
    "status=" + "x" * 5000,
    "due_within=1e309&sort=;DROP&after=!!&q=%27",
    "exported=maybe&gone=2&overdue=[]&queue=../../etc",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize(
    "path",
    [
        "/inspections/export.csv",
        "/inspections/download.xlsx",
        "/results/download.csv",
        "/results/download.xlsx",
    ],
)
def test_hostile_query_parameters_never_fail_a_download(signed_in, world, path, query) -> None:
    response = signed_in.get(f"{path}?{query}")
    data = body(response)
    if path.endswith(".xlsx"):
        assert data.startswith(b"PK")


def test_text_xml_cannot_carry_is_dropped_not_a_broken_file(signed_in, world) -> None:
    from qualityhub.inspections.models import Inspection

    Inspection.objects.filter(coupa_id=1).update(item_name="Br\x01ack\x1bet <&> =1+1")
    rows = rows_of(sheet(signed_in.get("/inspections/download.xlsx")))
    names = {row["Inspection"].value: row["Item"].value for row in rows}
    # Text, never a formula: the cell holds the characters as typed (less those XML forbids).
    assert names[1] == "Bracket <&> =1+1"


def test_the_list_pages_link_their_downloads_with_the_filters(signed_in, world) -> None:
    page = signed_in.get("/inspections/?verdict=fail").content.decode()
    assert 'href="/inspections/download.xlsx?verdict=fail"' in page
    assert 'href="/inspections/export.csv?verdict=fail"' in page
    page = signed_in.get("/results/?verdict=fail").content.decode()
    assert 'href="/results/download.xlsx?verdict=fail"' in page
    assert 'href="/results/download.csv?verdict=fail"' in page
