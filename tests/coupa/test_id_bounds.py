"""Ids both ways: the parser's range of ids is the range the form and the import send.

An id the form accepts but the parser refuses makes an inspection in Coupa that every later
sync skips; so the two ranges are one (`schemas.MIN_ID`..`schemas.MAX_ID`), checked here
property by property.
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityhub.coupa.errors import CoupaParseError
from qualityhub.coupa.schemas import MAX_ID, MIN_ID, parse_attachment, parse_inspection
from qualityhub.creation.forms import CharacteristicForm, HeaderForm
from qualityhub.creation.importing import parse_csv
from qualityhub.sandbox.validation import MAX_ID as SANDBOX_MAX_ID
from tests.conftest import load_example
from tests.creation.conftest import SEED_HEADER, SEED_ROWS

RECORD = load_example("seed_get_response.json")
# Form field -> the record key the parser reads it back from.
SENT_IDS = {"supplier_id": "supplierId", "item_id": "itemId", "uom": "uom",
            "requested_by": "requestedBy"}  # fmt: skip
HEADER_IDS = (*SENT_IDS.values(), "id", "warehouseId", "createdBy", "modifiedBy")


def _with(path: str, value: object) -> dict:
    """The spec's record with one id (a dotted path into the first line) replaced."""
    record = copy.deepcopy(RECORD)
    target = record
    *parents, key = path.split(".")
    for parent, child in zip(parents, [*parents[1:], key], strict=False):
        found = target[parent]
        # In a list: the first entry that has the next key (filled in).
        target = next(e for e in found if e.get(child)) if isinstance(found, list) else found
    target[key] = value
    return record


LINE_IDS = (
    "characteristics.id",
    "characteristics.inspectionId",
    "characteristics.characteristicValues.id",
    "characteristics.expectedResults.id",
    "characteristics.expectedLimits.id",
    "characteristics.recordedCharacteristic.id",
)


@pytest.mark.parametrize("path", HEADER_IDS + LINE_IDS)
@pytest.mark.parametrize("value", [0, -1, -(2**63), 2**63, "0", "-7"])
def test_an_id_of_zero_below_or_past_the_range_is_a_malformed_record(path, value) -> None:
    with pytest.raises(CoupaParseError) as error:
        parse_inspection(_with(path, value))
    assert error.value.field.endswith(path.rsplit(".", 1)[-1])


@pytest.mark.parametrize("path", HEADER_IDS + LINE_IDS)
def test_the_ends_of_the_range_are_ids(path) -> None:
    parse_inspection(_with(path, MIN_ID))
    parse_inspection(_with(path, MAX_ID))


@pytest.mark.parametrize("key", ["id", "inspectionId", "characteristicId"])
def test_an_attachment_id_of_zero_is_malformed(key) -> None:
    record = {"id": 5, "inspectionId": 1, "characteristicId": 2, "fileName": "a.pdf"}
    with pytest.raises(CoupaParseError):
        parse_attachment({**record, key: 0})


def test_the_sandbox_stores_the_same_range_of_ids() -> None:
    # The sandbox stands in for Coupa and imports nothing of ours; its bound must agree.
    assert SANDBOX_MAX_ID == MAX_ID and MIN_ID == 1


def _form_accepts(name: str, value: int) -> bool:
    form = HeaderForm({**SEED_HEADER, name: str(value)})
    form.is_valid()
    return name not in form.errors


def _parser_accepts(key: str, value: int) -> bool:
    try:
        parse_inspection({**RECORD, key: value})
    except CoupaParseError:
        return False
    return True


ANY_ID = st.one_of(
    st.integers(), st.integers(min_value=MAX_ID - 3, max_value=MAX_ID + 3), st.integers(-3, 3)
)


@pytest.mark.parametrize(("name", "key"), SENT_IDS.items())
@given(value=ANY_ID)
def test_the_form_accepts_exactly_the_ids_the_parser_reads_back(name, key, value) -> None:
    assert _form_accepts(name, value) == _parser_accepts(key, value)


@given(value=st.integers(min_value=MAX_ID + 1))
def test_the_form_refuses_a_sample_size_the_parser_would_refuse(value) -> None:
    assert not _form_accepts("sample_size", value)


@pytest.mark.parametrize("name", ["item_quantity"])
def test_the_form_refuses_a_quantity_the_parser_would_refuse(name) -> None:
    assert not _form_accepts(name, 10**20)
    assert _form_accepts(name, 10**19)


@pytest.mark.parametrize("name", ["target", "min_value", "max_value"])
def test_a_characteristic_number_the_parser_would_refuse_is_refused(name) -> None:
    row = CharacteristicForm({**SEED_ROWS[1], "min_value": "", "min_operator": "",
                              "max_value": "", "max_operator": "", name: "1e20"})  # fmt: skip
    if name != "target":
        row.data[name.replace("value", "operator")] = "lt"
    assert not row.is_valid()
    assert name in row.errors


def test_an_import_row_with_an_id_out_of_range_names_the_column() -> None:
    header = ",".join(["due_date", "supplier_id", "item_quantity", "uom", "requested_by",
                       "characteristic"])  # fmt: skip
    rows = [f"2025-12-20T10:00,{2**63},5,1,0,Length", "2025-12-21T10:00,7,5,1,10,Width"]
    parsed = parse_csv("\n".join([header, *rows]) + "\n")
    first, second = parsed.entries
    assert {e.column for e in first.errors} == {"supplier_id", "requested_by"}
    assert first.payload == ""
    assert second.errors == [] and second.payload


def test_one_line_id_twice_in_an_inspection_is_a_malformed_record() -> None:
    record = copy.deepcopy(RECORD)
    record["characteristics"][2]["id"] = record["characteristics"][0]["id"]
    with pytest.raises(CoupaParseError) as error:
        parse_inspection(record)
    line = record["characteristics"][0]["id"]
    assert str(error.value) == f"inspection 1: characteristics hold characteristic {line} twice"
