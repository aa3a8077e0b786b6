"""The values the downloads write, without a database: every Decimal the cache can hold comes
out equal to itself at its precision, in the CSV and in the .xlsx."""

from __future__ import annotations

import io
from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from qualityhub.spreadsheets import xlsx
from qualityhub.spreadsheets.cells import csv_cell
from qualityhub.spreadsheets.columns import Column, Kind
from qualityhub.verdicts import format_value

VALUE = Column("value", "Value", Kind.NUMBER, places_from="precision")
PLAIN = Column("quantity", "Quantity", Kind.NUMBER)

# What a MEASURE column holds: up to 30 digits, 10 of them after the point.
cached = st.one_of(
    st.decimals(min_value=-1, max_value=1, places=10),  # small: 0.0000000001 …
    st.decimals(min_value=-(10**6), max_value=10**6, places=10),
    st.decimals(min_value=-(10**20) + 1, max_value=10**20 - 1, places=10),  # 30 digits
    st.integers(min_value=-(10**20) + 1, max_value=10**20 - 1).map(Decimal),
)


def read_back(columns: tuple[Column, ...], rows: list[dict], **options):
    data = b"".join(xlsx.workbook(columns, rows, title="T", zone=UTC, language="en", **options))
    return openpyxl.load_workbook(io.BytesIO(data)).active


def expected_at(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def significant_digits(value: Decimal) -> int:
    return 0 if value.is_zero() else len(value.normalize().as_tuple().digits)


@settings(max_examples=150, deadline=None)
@given(value=cached, precision=st.integers(min_value=0, max_value=10))
def test_a_recorded_value_comes_out_equal_at_its_precision(value, precision) -> None:
    expected = expected_at(value, precision)
    row = {"value": value, "precision": precision}
    text = csv_cell(VALUE, value, row)
    # The CSV: the number itself, every digit at the precision (a leading minus is no formula).
    assert Decimal(text.removeprefix("'")) == expected and not text.startswith("'")
    assert text == format(expected.copy_abs() if expected.is_zero() else expected, "f")
    assert text == format_value(value, precision)  # as the detail page shows it
    cell = read_back((VALUE,), [row])["A2"]
    if significant_digits(expected) <= xlsx_digits():
        assert cell.data_type == "n"
        assert Decimal(repr(cell.value)) == expected
        assert cell.number_format == ("0" if precision == 0 else "0." + "0" * precision)
    else:
        # More digits than a double keeps: the exact text, never a nearby number.
        assert cell.data_type == "s" and Decimal(cell.value) == expected


@settings(max_examples=100, deadline=None)
@given(value=cached)
def test_a_cached_quantity_comes_out_as_coupa_sent_it(value) -> None:
    """The cache pads to ten places (6011.0000000000); the download drops the padding only."""
    text = csv_cell(PLAIN, value, {})
    assert Decimal(text) == value and not (("." in text) and text.endswith("0"))
    assert text == format_value(value, None)
    cell = read_back((PLAIN,), [{"quantity": value}])["A2"]
    if significant_digits(value) <= xlsx_digits():
        assert Decimal(repr(cell.value)) == value
        places = len(text.partition(".")[2])
        assert cell.number_format == ("0" if places == 0 else "0." + "0" * places)
    else:
        assert cell.value == text


def xlsx_digits() -> int:
    from qualityhub.spreadsheets.cells import EXCEL_DIGITS

    return EXCEL_DIGITS


def test_the_csv_writes_yes_no_and_keeps_formulas_out() -> None:
    exported = Column("exported", "Exported", Kind.YES_NO)
    assert csv_cell(exported, True, {}) == "yes" and csv_cell(exported, False, {}) == "no"
    assert csv_cell(exported, None, {}) == ""
    name = Column("name", "Name")
    assert csv_cell(name, "=HYPERLINK(1)", {}) == "'=HYPERLINK(1)"
    assert csv_cell(PLAIN, Decimal("-12.5000000000"), {}) == "-12.5"


def test_nan_and_infinity_stay_text() -> None:
    worksheet = read_back((PLAIN,), [{"quantity": Decimal("NaN")}, {"quantity": Decimal("-Inf")}])
    assert [worksheet["A2"].value, worksheet["A3"].value] == ["NaN", "-Infinity"]


def test_a_list_longer_than_a_sheet_ends_with_a_row_saying_so() -> None:
    rows = [{"quantity": Decimal(n)} for n in range(10)]
    worksheet = read_back((PLAIN,), rows, sheet_rows=5)
    values = [row[0].value for row in worksheet.iter_rows()]
    assert len(values) == 5  # the sheet's rows, the header among them
    assert values[1:4] == [0, 1, 2]
    assert values[4] == "Only the first 3 rows: narrow the filters for the rest."
    assert worksheet.auto_filter.ref == "A1:A5"


def test_a_list_that_fills_the_sheet_exactly_is_whole() -> None:
    rows = [{"quantity": Decimal(n)} for n in range(4)]
    worksheet = read_back((PLAIN,), rows, sheet_rows=5)
    assert [row[0].value for row in worksheet.iter_rows()][1:] == [0, 1, 2, 3]


def test_a_verdict_cell_carries_the_word_and_its_colour() -> None:
    verdict = Column("verdict", "Verdict", Kind.VERDICT)
    worksheet = read_back((verdict,), [{"verdict": "marginal"}, {"verdict": "unknown"}])
    assert worksheet["A2"].value == "Marginal" and worksheet["A2"].fill.fill_type == "solid"
    # A value the vocabulary lacks is written as it is, without a colour.
    assert worksheet["A3"].value == "unknown" and worksheet["A3"].fill.fill_type is None
