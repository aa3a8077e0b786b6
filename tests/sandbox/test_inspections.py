"""List, get and the exported flags, in both path families."""

from __future__ import annotations

import http.client
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote

import pytest

from .helpers import SEED, V1, Client, load_data


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize("base", [SEED, V1])
def test_inspection_1_is_the_spec_example(api: Client, base: str) -> None:
    reply = api.get(f"{base}/1")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == load_data("seed_get_response.json")
    assert list(reply.json()) == list(load_data("seed_get_response.json"))
    for text in ('"0.320000000"', "0.320000000", "50.000000", "0.100000", "69.000000000"):
        if text.startswith('"'):
            assert text not in reply.text  # numbers, not strings
        else:
            assert text in reply.text


def test_list_is_a_bare_array_ordered_by_id_with_paging(api: Client) -> None:
    first = api.get(SEED).json()
    assert isinstance(first, list) and len(first) == 50
    assert [doc["id"] for doc in first] == list(range(1, 51))
    second = api.get(f"{SEED}?offset=50&limit=20").json()
    assert [doc["id"] for doc in second] == list(range(51, 71))
    assert len(api.get(f"{SEED}?limit=500").json()) == 50  # clamped
    assert api.get(f"{SEED}?offset=100000").json() == []


def test_list_items_have_the_get_shape(api: Client) -> None:
    items = api.get(f"{SEED}?limit=50").json()
    assert items[0] == load_data("seed_get_response.json")
    for doc in items[1:]:
        assert api.get(f"{SEED}/{doc['id']}").json() == doc
        chars = doc["characteristics"]
        assert [c["lineNum"] for c in chars] == list(range(1, len(chars) + 1))
        for char in chars:
            assert isinstance(char["characteristicValues"], list)
            assert isinstance(char["expectedLimits"], list)
            assert char["expectedResults"]["characteristicId"] == char["id"]
            assert char["recordedCharacteristic"]["characteristicId"] == char["id"]
            for child in char["characteristicValues"] + char["expectedLimits"]:
                assert child["characteristicId"] == char["id"]
            expected = char["expectedResults"]["numericValue"]
            assert isinstance(expected, Decimal) and expected.as_tuple().exponent == -9
            for limit in char["expectedLimits"]:
                assert limit["comparisonValue"].as_tuple().exponent == -6
        assert doc["itemQuantity"].as_tuple().exponent == -6
        assert _parse(doc["createdAt"]) < _parse(doc["modifiedAt"])


@pytest.mark.parametrize("param", ["limit=0", "limit=x", "offset=-1", "exported=maybe",
                                   "supplierId=abc", "modifiedAt[gt]=yesterday"])  # fmt: skip
def test_malformed_list_parameters_are_400(api: Client, param: str) -> None:
    reply = api.get(f"{SEED}?{param}")
    assert reply.status == 400
    name = param.split("=")[0]
    assert list(reply.json()["errors"]) == [name]


def _all(api: Client, query: str) -> list[dict]:
    found, offset = [], 0
    while True:
        page = api.get(f"{SEED}?{query}&offset={offset}").json()
        found += page
        if len(page) < 50:
            return found
        offset += 50


def test_filters(api: Client) -> None:
    everything = _all(api, "limit=50")
    reviewing = _all(api, "status=in%20buyer%20review")
    assert reviewing and all(doc["status"] == "In Buyer Review" for doc in reviewing)
    assert len(reviewing) == sum(doc["status"] == "In Buyer Review" for doc in everything)
    closed_unexported = _all(api, "status=Closed&exported=false")
    assert all(d["status"] == "Closed" and d["exported"] is False for d in closed_unexported)
    assert _all(api, "exported=true")
    supplier = everything[5]["supplierId"]
    assert {d["supplierId"] for d in _all(api, f"supplierId={supplier}")} == {supplier}
    external = everything[7]["externalInspectionId"]
    assert [d["id"] for d in _all(api, f"externalInspectionId={external}")] == [8]


def test_modified_at_filters(api: Client) -> None:
    everything = _all(api, "limit=50")
    stamps = sorted(_parse(d["modifiedAt"]) for d in everything)
    pivot = stamps[len(stamps) // 2]
    text = pivot.strftime("%Y-%m-%dT%H:%M:%SZ")
    after = _all(api, f"modifiedAt%5Bgt%5D={text}")
    at_or_after = _all(api, f"modifiedAt[gt_or_eq]={text}")
    before = _all(api, f"modifiedAt[lt]={text}")
    assert all(_parse(d["modifiedAt"]) > pivot for d in after)
    assert len(at_or_after) == len(after) + sum(s == pivot for s in stamps)
    assert len(before) + len(at_or_after) == len(everything)
    offset = pivot.astimezone().isoformat(timespec="microseconds")
    assert len(_all(api, f"modifiedAt[gt_or_eq]={quote(offset)}")) == len(at_or_after)


def test_unknown_ids_routes_and_methods(api: Client) -> None:
    reply = api.get(f"{SEED}/999999")
    assert reply.status == 404
    assert reply.json() == {"errors": {"base": ["Quality inspection 999999 not found"]}}
    assert api.get("/api/nothing_here").status == 404
    assert api.get(f"{SEED}/abc").status == 404
    assert api.delete(f"{SEED}/1").status == 405
    assert api.get("/api/v1/quality_inspections").status == 405
    assert api.request("PUT", f"{V1}/1", b"{}").status == 405


@pytest.mark.parametrize("base", [SEED, V1])
def test_exported_and_reset_exported(api: Client, base: str) -> None:
    inspection = 3 if base == SEED else 4
    before = api.get(f"{base}/{inspection}").json()
    api.post(f"{base}/{inspection}/reset-exported")
    marked = api.post(f"{base}/{inspection}/exported")
    assert marked.status == 200
    assert marked.json()["exported"] is True
    assert _parse(marked.json()["modifiedAt"]) > _parse(before["modifiedAt"])
    again = api.post(f"{base}/{inspection}/exported").json()
    assert again == marked.json()  # idempotent
    assert api.get(f"{base}/{inspection}").json() == marked.json()
    cleared = api.post(f"{base}/{inspection}/reset-exported").json()
    assert cleared["exported"] is False
    assert _parse(cleared["modifiedAt"]) > _parse(marked.json()["modifiedAt"])
    assert api.post(f"{base}/999999/exported").status == 404


def test_v1_family_list_and_get(api: Client) -> None:
    assert api.get(f"{V1}?limit=5").json() == api.get(f"{SEED}?limit=5").json()
    assert api.get(f"{V1}/2").json() == api.get(f"{SEED}/2").json()


def test_keep_alive_with_content_length(api: Client) -> None:
    conn = http.client.HTTPConnection(api.host, api.port, timeout=10)
    try:
        for path in (f"{SEED}/1", f"{SEED}?limit=2", f"{SEED}/999999"):
            conn.request("GET", path, headers=api.auth())
            response = conn.getresponse()
            body = response.read()
            assert int(response.headers["Content-Length"]) == len(body)
            assert response.version == 11 and not response.will_close
    finally:
        conn.close()
