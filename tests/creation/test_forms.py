"""The form's rules and its request: pure, no database, no Coupa."""

from __future__ import annotations

from django.http import QueryDict

from qualityhub.coupa import wirejson
from qualityhub.creation.form_errors import ErrorPlace, locate_coupa_error
from qualityhub.creation.forms import (
    CharacteristicForm,
    CharacteristicFormSet,
    HeaderForm,
    compact_rows,
    sent_rows,
)
from tests.conftest import load_example

from .conftest import SEED_HEADER, SEED_ROWS, form_data


def _request_from(data):
    form, rows = HeaderForm(data), CharacteristicFormSet(data, prefix="chars")
    assert form.is_valid(), form.errors
    assert rows.is_valid(), rows.errors
    return form.to_request([row.to_request() for row in sent_rows(rows.forms)])


def _row_errors(**fields) -> dict:
    row = CharacteristicForm({**SEED_ROWS[1], **fields})
    row.is_valid()
    return row.errors


def test_the_seed_example_typed_into_the_form_is_the_spec_request_exactly(settings) -> None:
    settings.TIME_ZONE = "UTC"
    wire = wirejson.loads(wirejson.dumps(_request_from(form_data()).to_wire()))
    assert wire == load_example("seed_create_request.json")


def test_the_due_date_is_read_in_the_readers_time_zone(settings) -> None:
    from django.utils import timezone

    with timezone.override("Europe/Berlin"):
        wire = _request_from(form_data()).to_wire()
    assert wire["dueDate"] == "2025-12-20T09:00:00Z"


def test_an_empty_external_id_sends_the_generated_key() -> None:
    request = _request_from(form_data({**SEED_HEADER, "external_id": ""}))
    assert request.external_inspection_id == "QH-0123456789ab"


def test_rows_left_empty_are_skipped_not_refused() -> None:
    data = form_data(rows=[SEED_ROWS[0], {"kind": "required", "value_type": "numeric"}])
    assert [c.name for c in _request_from(data).characteristics] == ["Color"]


def test_an_inspection_needs_its_required_header_fields() -> None:
    form = HeaderForm({"idempotency_key": "QH-1"})
    assert not form.is_valid()
    assert set(form.errors) == {"due_date", "supplier_id", "item_quantity", "uom", "requested_by"}


def test_header_numbers_must_be_whole_and_positive() -> None:
    form = HeaderForm({**SEED_HEADER, "supplier_id": "1.5", "item_quantity": "0", "uom": "-1"})
    assert not form.is_valid()
    assert set(form.errors) == {"supplier_id", "item_quantity", "uom"}


def test_the_sample_cannot_exceed_the_quantity() -> None:
    form = HeaderForm({**SEED_HEADER, "sample_size": "51"})
    assert not form.is_valid()
    assert list(form.errors) == ["sample_size"]


def test_a_limit_needs_both_its_operator_and_its_value() -> None:
    assert set(_row_errors(min_value="")) == {"min_value"}
    assert set(_row_errors(max_operator="")) == {"max_operator"}


def test_limit_and_target_values_must_be_numbers_and_keep_their_digits() -> None:
    assert set(_row_errors(min_value="zero", target="NaN")) == {"min_value", "target"}
    row = CharacteristicForm({**SEED_ROWS[1], "target": " .320 "})
    assert row.is_valid()
    assert row.to_request().to_wire()["expectedResults"]["targetValue"] == ".320"


def test_the_minimum_cannot_be_above_the_maximum() -> None:
    assert _row_errors(min_value="0.2") == {"min_value": ["The minimum is above the maximum."]}


def test_only_the_allowed_operators_and_value_types_are_accepted() -> None:
    assert set(_row_errors(min_operator="ne", value_type="text")) == {"min_operator", "value_type"}


def test_a_choice_characteristic_needs_values_and_a_target_among_its_codes() -> None:
    assert set(_row_errors(value_type="choice", target="")) == {"choices"}
    choice = {**SEED_ROWS[0], "target": "4"}
    row = CharacteristicForm(choice)
    assert not row.is_valid()
    assert list(row.errors) == ["target"]


def test_choice_values_are_read_one_per_line() -> None:
    row = CharacteristicForm({**SEED_ROWS[0], "choices": "1 | Yellow\n\n3 | COLOR | No | colour"})
    assert row.is_valid(), row.errors
    assert [c.to_wire() for c in row.cleaned_data["choices"]] == [
        {"code": "1", "domain": "", "value": "Yellow"},
        {"code": "3", "domain": "COLOR", "value": "No | colour"},
    ]


def test_bad_choice_lines_are_named_by_line() -> None:
    row = CharacteristicForm({**SEED_ROWS[0], "choices": " | x\n2 | y\n2 | z\nalone"})
    assert not row.is_valid()
    assert row.errors["choices"] == [
        "Line 1: give a code before the first |.",
        "Line 3: code 2 is used twice.",
        "Line 4: write code | text or code | domain | text.",
    ]


def test_choice_values_on_a_numeric_characteristic_are_refused() -> None:
    assert set(_row_errors(choices="1 | a")) == {"choices"}


def test_gaps_left_by_removed_rows_are_closed_up() -> None:
    posted = QueryDict(mutable=True)
    posted.update({"chars-TOTAL_FORMS": "5", "chars-0-name": "a", "chars-3-name": "d"})
    posted.update({"chars-4-name": "e", "chars-4-target": "1", "supplier_id": "1"})
    compacted = compact_rows(posted, drop="chars-3")
    assert compacted.dict() == {
        "chars-TOTAL_FORMS": "2",
        "chars-INITIAL_FORMS": "0",
        "chars-0-name": "a",
        "chars-1-name": "e",
        "chars-1-target": "1",
        "supplier_id": "1",
    }


def test_coupa_error_paths_name_form_fields() -> None:
    sides = [[], ["min", "max"], ["max"]]
    assert locate_coupa_error("dueDate", sides) == ErrorPlace(None, "due_date")
    assert locate_coupa_error("refDocumentItem", sides) == ErrorPlace(None, "po_line")
    assert locate_coupa_error("base", sides) == ErrorPlace(None, None)
    assert locate_coupa_error("characteristics[0].name", sides) == ErrorPlace(0, "name")
    assert locate_coupa_error("characteristics[0].type", sides) == ErrorPlace(0, "kind")
    assert locate_coupa_error("characteristics[0]", sides) == ErrorPlace(0, None)
    assert locate_coupa_error(
        "characteristics[0].characteristicValues[1].code", sides
    ) == ErrorPlace(0, "choices")
    assert locate_coupa_error(
        "characteristics[1].expectedResults.valuePrecision", sides
    ) == ErrorPlace(1, "precision")
    assert locate_coupa_error(
        "characteristics[1].expectedResults.targetValue", sides
    ) == ErrorPlace(1, "target")
    assert locate_coupa_error(
        "characteristics[1].expectedLimits[1].comparisonOperator", sides
    ) == ErrorPlace(1, "max_operator")
    assert locate_coupa_error(
        "characteristics[2].expectedLimits[0].comparisonValue", sides
    ) == ErrorPlace(2, "max_value")
    assert locate_coupa_error("characteristics[2].expectedLimits[5].limitType", sides) == (
        ErrorPlace(2, None)
    )
    assert locate_coupa_error("characteristics[1].remarks", sides) == ErrorPlace(1, None)
