"""Create: the spec's example request gives the spec's example response; validation."""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from .helpers import SEED, V1, Client, load_data, load_request

IGNORED = {"id", "inspectionId", "characteristicId", "createdAt", "modifiedAt"}


def _without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k not in IGNORED}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _key_paths(value: Any, prefix: str = "") -> list[str]:
    """Every key path in document order (so key presence and order are compared too)."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in [prefix + k, *_key_paths(v, prefix + k + ".")]]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _key_paths(v, f"{prefix}{i}.")]
    return []


@pytest.mark.parametrize("path", ["/api/v1/quality_inspections", SEED, V1])
def test_spec_example_request_gives_spec_example_response(api: Client, path: str) -> None:
    reply = api.post(path, load_request())
    assert reply.status == 201, reply.text
    got, expected = reply.json(), load_data("seed_create_response.json")
    assert _without_ids(got) == _without_ids(expected)
    assert _key_paths(got) == _key_paths(expected)
    for text in ('"numericValue":0.32', '"numericValue":3}', '"comparisonValue":0.1}',
                 '"itemQuantity":50.0,', '"valuePrecision":2}'):  # fmt: skip
        assert text in reply.text
    created = datetime.fromisoformat(got["createdAt"])
    assert created < datetime.fromisoformat(got["modifiedAt"])
    assert len(got["createdAt"]) == len("2025-12-02T16:55:45.416467Z")


def test_created_ids_follow_the_spec_pattern(api: Client) -> None:
    got = api.post(V1, load_request()).json()
    chars = got["characteristics"]
    char_ids = [c["id"] for c in chars]
    assert char_ids == list(range(char_ids[0], char_ids[0] + 3))
    value_ids = [v["id"] for v in chars[0]["characteristicValues"]]
    assert value_ids == list(range(value_ids[0], value_ids[0] + 3))
    limit_ids = [lim["id"] for c in chars[1:] for lim in c["expectedLimits"]]
    assert limit_ids == list(range(limit_ids[0], limit_ids[0] + 4))
    for char in chars:
        assert char["inspectionId"] == got["id"]
        assert char["expectedResults"]["id"] == char["id"]
        assert char["recordedCharacteristic"] == {"id": char["id"], "characteristicId": char["id"]}


def test_created_inspection_is_stored_in_the_get_shape(api: Client) -> None:
    request = load_request()
    created = api.post(SEED, request).json()
    stored = api.get(f"{V1}/{created['id']}").json()
    assert stored["status"] == "Open"
    assert stored["itemQuantity"] == Decimal("50") and str(stored["itemQuantity"]) == "50.000000"
    for name in ("buyerBatchNumber", "sampleSize", "externalInspectionId"):
        assert stored[name] == request[name]
    assert stored["modifiedAt"] == created["modifiedAt"]
    listed = api.get(f"{SEED}?externalInspectionId=EXT_QI_004").json()
    assert created["id"] in [doc["id"] for doc in listed]
    second = stored["characteristics"][1]
    assert str(second["expectedResults"]["numericValue"]) == "0.320000000"
    assert [str(limit["comparisonValue"]) for limit in second["expectedLimits"]] == [
        "0.000000",
        "0.100000",
    ]
    assert stored["characteristics"][1]["characteristicValues"] == []
    assert stored["characteristics"][0]["expectedLimits"] == []
    assert (
        stored["characteristics"][0]["characteristicValues"][0]["characteristicId"]
        == (stored["characteristics"][0]["id"])
    )


def test_numbers_are_tolerated_where_strings_are_expected(api: Client) -> None:
    request = load_request()
    char = request["characteristics"][2]
    char["expectedResults"] = {"targetValue": 55, "valuePrecision": 2}
    char["expectedLimits"][1]["comparisonValue"] = 70.5
    char["type"], char["valueType"] = "optional", "numeric"
    request["refDocumentItem"] = 10
    reply = api.post(SEED, request)
    assert reply.status == 201, reply.text
    got = reply.json()
    assert got["refDocumentItem"] == "10"
    assert got["characteristics"][2]["type"] == "optional"
    assert got["characteristics"][2]["expectedLimits"][1]["comparisonValue"] == Decimal("70.5")


def test_validation_names_every_bad_field(api: Client) -> None:
    reply = api.post(SEED, {"characteristics": [{}]})
    assert reply.status == 422
    errors = reply.json()["errors"]
    for name in ("dueDate", "supplierId", "itemQuantity", "uom", "requestedBy",
                 "characteristics[0].name"):  # fmt: skip
        assert errors[name] == ["can't be blank"], name


def test_validation_reports_wrong_types_and_enums(api: Client) -> None:
    request: dict[str, Any] = copy.deepcopy(load_request())
    request |= {"dueDate": "soon", "supplierId": "one", "itemQuantity": "lots", "uom": 1.5,
                "sampleSize": True, "buyerPartNumber": ["x"]}  # fmt: skip
    request["characteristics"][0]["type"] = "MANDATORY"
    request["characteristics"][0]["valueType"] = "TEXT"
    request["characteristics"][1]["expectedLimits"][0]["comparisonOperator"] = "NE"
    request["characteristics"][1]["expectedLimits"][1]["limitType"] = "TOP"
    request["characteristics"][2]["expectedResults"]["targetValue"] = "fifty"
    request["characteristics"][2]["expectedLimits"][1]["comparisonValue"] = "n/a"
    errors = api.post(V1, request).json()["errors"]
    assert set(errors) == {
        "dueDate", "supplierId", "itemQuantity", "uom", "sampleSize", "buyerPartNumber",
        "characteristics[0].type", "characteristics[0].valueType",
        "characteristics[1].expectedLimits[0].comparisonOperator",
        "characteristics[1].expectedLimits[1].limitType",
        "characteristics[2].expectedResults.targetValue",
        "characteristics[2].expectedLimits[1].comparisonValue",
    }  # fmt: skip
    assert errors["characteristics[0].type"] == ["must be one of: REQUIRED, OPTIONAL"]


def test_lowercase_enums_are_accepted(api: Client) -> None:
    request = load_request()
    request["characteristics"][1]["expectedLimits"][0] |= {"limitType": "min",
                                                           "comparisonOperator": "ge"}  # fmt: skip
    request["characteristics"][1]["valueType"] = "numeric"
    assert api.post(V1, request).status == 201


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"text"'])
def test_body_must_be_a_json_object(api: Client, body: bytes) -> None:
    reply = api.post(SEED, body)
    assert reply.status == 400
    assert "base" in reply.json()["errors"]


INTEGER_FIELDS = ("supplierId", "itemId", "warehouseId", "sampleSize", "uom", "requestedBy")


@pytest.mark.parametrize("value", [2**63, 10**30, 0, -5])
def test_an_integer_out_of_range_is_a_422_naming_each_field_never_a_500(api: Client, value) -> None:
    request: dict[str, Any] = copy.deepcopy(load_request())
    request |= dict.fromkeys(INTEGER_FIELDS, value)
    reply = api.post(SEED, request)
    assert reply.status == 422, reply.text
    assert set(reply.json()["errors"]) == set(INTEGER_FIELDS)


def test_the_largest_id_is_stored_and_read_back(fresh: Client) -> None:
    api = fresh
    request: dict[str, Any] = copy.deepcopy(load_request())
    request |= dict.fromkeys(INTEGER_FIELDS, 2**63 - 1)
    reply = api.post(SEED, request)
    assert reply.status == 201, reply.text
    stored = api.get(f"{SEED}/{reply.json()['id']}").json()
    assert stored["supplierId"] == 2**63 - 1


@pytest.mark.parametrize("value", ["1e999999999", 10**400, "1e30"])
def test_a_huge_number_anywhere_in_the_request_is_a_422_at_once(api: Client, value) -> None:
    request: dict[str, Any] = copy.deepcopy(load_request())
    request["characteristics"][1]["expectedResults"]["valuePrecision"] = value
    request["itemQuantity"] = value
    reply = api.post(SEED, request)
    assert reply.status == 422, reply.text
    assert set(reply.json()["errors"]) == {
        "itemQuantity", "characteristics[1].expectedResults.valuePrecision"
    }  # fmt: skip
