"""Coupa's refusals read as places in the request we sent, by our names; and import records."""

from __future__ import annotations

from qualityhub.coupa.field_errors import ErrorPlace, error_on, locate_error
from qualityhub.coupa.request_records import read_request_record
from tests.conftest import load_example

SIDES = [[], ["min", "max"], ["max"]]


def test_coupa_paths_name_fields_of_the_request_by_our_names() -> None:
    assert locate_error("dueDate", SIDES) == ErrorPlace(field="due_date")
    assert locate_error("refDocumentItem", SIDES) == ErrorPlace(field="ref_document_item")
    assert locate_error("base", SIDES) == ErrorPlace()
    assert locate_error("characteristics", SIDES) == ErrorPlace(all_characteristics=True)
    assert locate_error("characteristics[0].type", SIDES) == ErrorPlace(0, "required")
    assert locate_error("characteristics[0].isQuantitative", SIDES) == (
        ErrorPlace(0, "is_quantitative")
    )
    assert locate_error("characteristics[1].expectedLimits[1].comparisonOperator", SIDES) == (
        ErrorPlace(1, "max_operator")
    )
    assert locate_error("characteristics[2].expectedLimits[0].comparisonValue", SIDES) == (
        ErrorPlace(2, "max_value")
    )


def test_what_names_nothing_we_sent_keeps_coupas_path() -> None:
    for path in ("colour", "characteristics[1].remarks", "characteristics[0]"):
        assert locate_error(path, SIDES).path == path
        assert locate_error(path, SIDES).field is None
    beyond = locate_error("characteristics[3].name", SIDES)  # only three were sent
    assert beyond == ErrorPlace(path="characteristics[3].name")


def test_an_error_of_ours_is_written_the_way_coupa_writes_it() -> None:
    refusal = error_on("external_inspection_id", "is taken")
    (path,) = refusal
    assert locate_error(path, SIDES) == ErrorPlace(field="external_inspection_id")


def test_the_spec_request_reads_back_into_our_names() -> None:
    record = read_request_record(load_example("seed_create_request.json"))
    assert record.problems == []
    assert record.header["external_inspection_id"] == "EXT_QI_004"
    assert record.header["item_quantity"] == "50.0"
    color, residue, _ = record.characteristics
    assert (color.required, color.value_type, color.target) == ("required", "choice", "3")
    assert color.choices[0] == ("1", "COLOR", "Yellow")
    assert (residue.target, residue.precision, residue.is_quantitative) == (".32", "2", True)
    assert residue.limits == {"min": ("gt", "0"), "max": ("lt", "0.1")}
    assert read_request_record(["not", "an", "object"]) is None
