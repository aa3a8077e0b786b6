"""Parsing Coupa's records leniently (section 4 of the API notes) and building exact requests."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from qualityhub.coupa import wirejson
from qualityhub.coupa.errors import CoupaParseError
from qualityhub.coupa.outbound import (
    CharacteristicRequest,
    ChoiceRequest,
    InspectionRequest,
    LimitRequest,
)
from qualityhub.coupa.schemas import parse_attachment, parse_datetime, parse_inspection
from tests.conftest import load_example


@pytest.fixture
def record() -> dict:
    return load_example("seed_get_response.json")


def test_the_spec_example_parses_with_exact_decimals(record: dict) -> None:
    inspection = parse_inspection(record)
    color, residue, reducing = inspection.characteristics
    assert color.value_type == "choice"
    assert [v.value for v in color.values] == ["Yellow", "light yellow", "No colour"]
    assert color.expected.numeric_value == Decimal("3.000000000")
    assert str(residue.expected.numeric_value) == "0.320000000"
    assert str(reducing.recorded.numeric_value) == "69.000000000"
    assert inspection.due_date == datetime(2025, 11, 20, 10, tzinfo=UTC)
    assert inspection.exported is False
    assert inspection.review_decision is None


def test_enums_are_read_in_either_casing(record: dict) -> None:
    record["status"] = "IN BUYER REVIEW"
    record["reviewDecision"] = "accepted"
    line = record["characteristics"][1]
    line["type"], line["valueType"] = "REQUIRED", "NUMERIC"
    line["expectedLimits"][0]["limitType"] = "MIN"
    line["expectedLimits"][0]["comparisonOperator"] = "GT"
    inspection = parse_inspection(record)
    assert inspection.status == "In Buyer Review"
    assert inspection.review_decision == "Accepted"
    residue = inspection.characteristics[1]
    assert (residue.type, residue.value_type) == ("required", "numeric")
    assert (residue.limits[0].limit_type, residue.limits[0].operator) == ("min", "gt")


def test_the_supplier_portal_status_wording_is_understood(record: dict) -> None:
    record["status"] = "Awaiting Buyer Review"
    assert parse_inspection(record).status == "In Buyer Review"


def test_an_unknown_status_is_kept_rather_than_refused(record: dict) -> None:
    record["status"] = "Sent Back To Supplier"
    assert parse_inspection(record).status == "Sent Back To Supplier"


def test_numbers_may_arrive_as_strings(record: dict) -> None:
    record["supplierId"] = "7"
    record["itemQuantity"] = "50.5"
    record["characteristics"][1]["expectedLimits"][1]["comparisonValue"] = "0.1"
    record["characteristics"][1]["expectedResults"]["valuePrecision"] = "2"
    inspection = parse_inspection(record)
    assert inspection.supplier_id == 7
    assert inspection.item_quantity == Decimal("50.5")
    assert inspection.characteristics[1].limits[1].value == Decimal("0.1")
    assert inspection.characteristics[1].expected.value_precision == 2


def test_floats_from_a_careless_parser_become_exact_decimals(record: dict) -> None:
    record["characteristics"][1]["recordedCharacteristic"]["numericValue"] = 0.1
    assert parse_inspection(record).characteristics[1].recorded.numeric_value == Decimal("0.1")


def test_missing_null_and_empty_collections_mean_the_same(record: dict) -> None:
    color, residue, reducing = record["characteristics"]
    del color["expectedLimits"]
    residue["characteristicValues"] = None
    reducing["expectedLimits"] = []
    inspection = parse_inspection(record)
    assert inspection.characteristics[0].limits == ()
    assert inspection.characteristics[1].values == ()
    assert inspection.characteristics[2].limits == ()


def test_a_list_without_characteristics_is_told_apart_from_an_empty_one(record: dict) -> None:
    without = copy.deepcopy(record)
    del without["characteristics"]
    assert parse_inspection(without).characteristics is None
    record["characteristics"] = []
    assert parse_inspection(record).characteristics == ()


def test_unknown_fields_are_ignored(record: dict) -> None:
    record["somethingNew"] = {"nested": [1, 2]}
    record["characteristics"][0]["recordingType"] = "summarized"
    record["characteristics"][0]["futureField"] = True
    assert parse_inspection(record).characteristics[0].recording_type == "summarized"


def test_expected_results_may_be_a_one_element_list(record: dict) -> None:
    line = record["characteristics"][2]
    line["expectedResults"] = [line["expectedResults"]]
    assert parse_inspection(record).characteristics[2].expected.numeric_value == Decimal(55)


def test_characteristics_are_returned_in_line_order(record: dict) -> None:
    record["characteristics"].reverse()
    assert [c.line_num for c in parse_inspection(record).characteristics] == [1, 2, 3]


def test_user_fields_keep_their_mixed_types(record: dict) -> None:
    record.update(reviewedBy="buyer@example.com", submittedBy=42, createdBy="10")
    inspection = parse_inspection(record)
    assert inspection.reviewed_by == "buyer@example.com"
    assert inspection.submitted_by == "42"
    assert inspection.created_by == 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-04T16:07:02Z", datetime(2025, 11, 4, 16, 7, 2, tzinfo=UTC)),
        ("2025-12-02T16:55:45.416467Z", datetime(2025, 12, 2, 16, 55, 45, 416467, tzinfo=UTC)),
        ("2025-12-02T16:55:45.4Z", datetime(2025, 12, 2, 16, 55, 45, 400000, tzinfo=UTC)),
        ("2010-03-25T18:38:00-07:00", datetime(2010, 3, 26, 1, 38, tzinfo=UTC)),
        ("2025-11-20", datetime(2025, 11, 20, tzinfo=UTC)),
        ("2025-11-20T10:00:00", datetime(2025, 11, 20, 10, tzinfo=UTC)),
    ],
)
def test_timestamps_are_read_in_every_iso_form(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(
    ("damage", "field"),
    [
        (lambda r: r.update(supplierId="ACME"), "supplierId"),
        (lambda r: r.pop("dueDate"), "dueDate"),
        (lambda r: r.update(modifiedAt="yesterday"), "modifiedAt"),
        (lambda r: r.update(characteristics="n/a"), "characteristics"),
        (
            lambda r: r["characteristics"][1]["expectedLimits"][0].update(comparisonValue="n/a"),
            "characteristics[1].expectedLimits[0].comparisonValue",
        ),
        (lambda r: r["characteristics"][2].pop("id"), "characteristics[2].id"),
        (lambda r: r.update(exported="maybe"), "exported"),
        (lambda r: r.update(supplierId=True), "supplierId"),
        (lambda r: r.update(itemQuantity="NaN"), "itemQuantity"),
    ],
)
def test_a_malformed_record_raises_an_error_naming_record_and_field(record, damage, field) -> None:
    record["id"] = 17
    damage(record)
    with pytest.raises(CoupaParseError) as error:
        parse_inspection(record)
    assert error.value.record_id == 17
    assert error.value.field == field
    assert str(error.value).startswith(f"inspection 17: {field}")


def test_a_record_that_is_not_an_object_is_a_parse_error() -> None:
    with pytest.raises(CoupaParseError):
        parse_inspection(["not", "an", "object"])


def test_attachments_are_read_in_camel_and_kebab_case() -> None:
    camel = parse_attachment({"id": 5, "fileName": "a.pdf", "fileSize": 10})
    kebab = parse_attachment({"id": "5", "file-file-name": "a.pdf", "file-file-size": "10"})
    assert (camel.file_name, camel.size) == (kebab.file_name, kebab.size) == ("a.pdf", 10)


def test_the_create_request_is_built_in_the_spec_request_shape() -> None:
    request = InspectionRequest(
        due_date=datetime(2025, 12, 20, 10, tzinfo=UTC),
        supplier_id=1,
        item_id=1,
        supplier_part_number="SLNG-123",
        buyer_part_number="BLNG-123",
        buyer_batch_number="MPNBATCHNO-LNG456",
        item_quantity=Decimal("50.0"),
        sample_size=1,
        uom=1,
        requested_by=10,
        ref_document_id="EXTPO_004",
        ref_document_item="0010",
        external_inspection_id="EXT_QI_004",
        characteristics=(
            CharacteristicRequest(
                name="Color",
                is_quantitative=False,
                requirement="Clear colourless ",
                value_type="choice",
                target="3",
                choices=(
                    ChoiceRequest("1", "Yellow", "COLOR"),
                    ChoiceRequest("2", "light yellow", "COLOR"),
                    ChoiceRequest("3", "No colour", "COLOR"),
                ),
            ),
            CharacteristicRequest(
                name="Non-volatile residue",
                requirement="Not more than 0.1%",
                target=".32",
                precision=2,
                limits=(LimitRequest("min", "gt", "0"), LimitRequest("max", "lt", "0.1")),
            ),
            CharacteristicRequest(
                name="Reducing substances",
                requirement="Not more than 70 mg/kg as sulfur dioxide",
                target=Decimal("55"),
                precision=2,
                limits=(LimitRequest("min", "gt", Decimal("0")), LimitRequest("max", "lt", "70")),
            ),
        ),
    )
    wire = wirejson.loads(wirejson.dumps(request.to_wire()))
    assert wire == load_example("seed_create_request.json")
