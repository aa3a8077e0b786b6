"""Coupa's Core API reference resources (suppliers, users, units, items), over real HTTP."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualityhub.sandbox import catalogue as cat
from qualityhub.sandbox import reference
from qualityhub.sandbox.core_query import parse_query
from qualityhub.sandbox.items import ITEMS
from qualityhub.sandbox.wire import dump_bytes

from .helpers import READ, SEED, WRITE, Client, Reply, running_server

SUPPLIER, USER, COMMON, CATALOG = (
    "core.supplier.read", "core.user.read", "core.common.read", "core.catalog.read",
)  # fmt: skip
CORE = f"{SUPPLIER} {USER} {COMMON} {CATALOG}"
KINDS = {"suppliers": SUPPLIER, "users": USER, "uoms": COMMON, "items": CATALOG}
USER_IDS = [10, 11, 12, 14, 17, *range(20, 26), *range(501, 521), 1000]
COUPA_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\Z")
NO_RESULTS = "No results match your search criteria."


class Core:
    """GETs of the Core API with one token (all four Core scopes unless told otherwise)."""

    def __init__(self, api: Client, scope: str = CORE) -> None:
        self.api = api
        self.token = api.token(scope)

    def get(self, path: str, accept: str = "application/json", **params: Any) -> Reply:
        if params:
            path += "?" + urlencode(params)
        headers = {"Authorization": f"Bearer {self.token}"}
        if accept:
            headers["Accept"] = accept
        return self.api.request("GET", path, headers=headers)

    def json(self, path: str, **params: Any) -> Any:
        reply = self.get(path, **params)
        assert reply.status == 200, reply.text
        assert reply.headers["Content-Type"] == "application/json"
        return reply.json()

    def xml(self, path: str, status: int = 200, **params: Any) -> ET.Element:
        reply = self.get(path, accept="", **params)
        assert reply.status == status, reply.text
        assert reply.headers["Content-Type"] == "application/xml; charset=utf-8"
        assert reply.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        return ET.fromstring(reply.body)


@pytest.fixture
def core(api: Client) -> Core:
    return Core(api)


def ids(records: list[dict]) -> list[int]:
    return [record["id"] for record in records]


# -- shapes ----------------------------------------------------------------------------------


def test_suppliers_index_in_json_is_a_bare_array_with_hyphenated_keys(core: Core) -> None:
    suppliers = core.json("/api/suppliers")
    assert ids(suppliers) == list(range(1, 21))
    eight = suppliers[7]
    assert eight["number"] == "SUP-00008"
    assert eight["display-name"] == "Smith & Wesley Fasteners"
    assert {"name", "display-name", "status", "created-at", "updated-at"} <= set(eight)
    assert COUPA_DATETIME.match(eight["updated-at"])
    assert eight["updated-at"][-6:] in ("-07:00", "-08:00")  # the instance's local offset
    assert [s["id"] for s in suppliers if s["status"] != "active"] == [15]
    names = {s["name"] for s in suppliers}
    assert {"Müller & Söhne GmbH", 'O\'Brien "Precision" Ltd', "Zakłady Metalowe Łódź Sp. z o.o.",
            "Indústria Química São Paulo Ltda."} <= names  # fmt: skip
    assert suppliers[8]["display-name"] is None  # Nordic Seals: a client falls back to name


def test_show_in_json_is_a_bare_object(core: Core) -> None:
    user = core.json("/api/users/20")
    assert user["fullname"] == cat.BUYERS[0]
    assert (user["id"], user["active"], user["login"]) == (20, True, "a.keller")
    unit = core.json("/api/uoms/2")
    assert (unit["code"], unit["name"], unit["allowable-precision"]) == ("KG", "Kilogram", 3)
    item = core.json("/api/items/2")
    assert (item["item-number"], item["name"]) == ("FAS-00812", "Hex bolt M8x40 8.8")
    assert item["uom"] == {"id": 1, "code": "EA", "name": "Each"}


def test_xml_is_the_default_with_typed_leaves_and_escaped_text(core: Core) -> None:
    root = core.xml("/api/suppliers", limit="10")
    assert (root.tag, root.get("type")) == ("suppliers", "array")
    assert [child.tag for child in root] == ["supplier"] * 10
    two = root[1]
    assert two.find("id").get("type") == "integer"
    assert two.find("id").text == "2"
    assert two.find("name").text == "Müller & Söhne GmbH"
    assert two.find("updated-at").get("type") == "dateTime"
    assert COUPA_DATETIME.match(two.find("updated-at").text)
    assert two.find("created-by/employee-number").get("nil") == "true"
    assert root[8].find("display-name").get("nil") == "true"
    assert root[5].find("name").text == 'O\'Brien "Precision" Ltd'
    user = core.xml("/api/users/512")
    assert user.tag == "user"
    assert (user.find("active").get("type"), user.find("active").text) == ("boolean", "false")
    unit = core.xml("/api/uoms/1")
    assert unit.find("allowable-precision").text == "0"


@pytest.mark.parametrize(
    ("accept", "is_json"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("application/json, application/xml", True),
        ("application/xml, application/json", False),
        ("application/xml", False),
        ("text/xml", False),
        ("*/*", False),
        ("text/html", False),
        ("application/json;q=0, application/xml", False),
    ],
)
def test_json_only_when_the_client_accepts_json_first(core: Core, accept: str, is_json: bool):
    reply = core.get("/api/uoms/1", accept=accept)
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("application/json" if is_json else "applic")
    assert reply.body.startswith(b"{") is is_json


# -- fields, paging, filters -----------------------------------------------------------------


def test_fields_returns_only_those_keys_in_either_spelling(core: Core) -> None:
    wanted = '["id","name","display_name","number"]'
    suppliers = core.json("/api/suppliers", fields=wanted)
    assert all(list(s) == ["id", "name", "display-name", "number"] for s in suppliers)
    user = core.json("/api/users/501", fields='["id","fullname","updated-at","nope"]')
    assert user == {"id": 501, "fullname": "Aiko Tanaka", "updated-at": user["updated-at"]}
    nested = core.json("/api/items/3", fields='["id",{"uom":["code"]}]')
    assert nested == {"id": 3, "uom": {"code": "EA"}}
    xml = core.xml("/api/uoms", fields='["code"]', limit="2")
    assert [[leaf.tag for leaf in unit] for unit in xml] == [["code"], ["code"]]


@pytest.mark.parametrize("fields", ["id", "[1]", '{"id": 1}', "[", '["id", []]', '[""]'])
def test_malformed_fields_is_a_400(core: Core, fields: str) -> None:
    reply = core.get("/api/suppliers", fields=fields)
    assert reply.status == 400
    assert "fields" in reply.json()["errors"]
    xml = core.xml("/api/suppliers", status=400, fields=fields)
    assert xml.tag == "errors"
    assert xml[0].text.startswith("fields: must be a JSON list")


def test_paging_walks_from_id_1_and_past_the_end_is_empty_or_404(core: Core) -> None:
    walked: list[int] = []
    for offset in range(0, 40, 7):
        walked += ids(core.json("/api/users", offset=offset, limit=7, fields='["id"]'))
    assert walked == USER_IDS
    assert core.json("/api/users", offset=32) == []
    assert core.json("/api/items", offset=35, fields='["id"]') == [{"id": i} for i in range(36, 41)]
    errors = core.xml("/api/users", status=404, offset=32)
    assert [(e.tag, e.text) for e in errors] == [("error", NO_RESULTS)]
    assert core.get("/api/users", limit=0).status == 400
    assert core.get("/api/users", offset=-1).status == 400


def test_limit_is_capped_at_50() -> None:
    query = parse_query({"limit": ["500"]}, {"id": int})
    assert (query.offset, query.limit) == (0, 50)


def test_updated_at_gt_in_both_spellings(core: Core) -> None:
    suppliers = core.json("/api/suppliers", fields='["id","updated-at"]')
    pivot = suppliers[11]["updated-at"]
    later = [s["id"] for s in suppliers if s["updated-at"] > pivot]
    assert later == list(range(13, 21))
    for key in ("updated-at[gt]", "updated_at[gt]"):
        assert ids(core.json("/api/suppliers", **{key: pivot})) == later
    as_utc = datetime.fromisoformat(pivot).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(core.json("/api/suppliers", **{"updated-at[gt]": as_utc})) == later
    assert ids(core.json("/api/suppliers", **{"updated-at[gt_or_eq]": pivot}))[0] == 12
    future = "2099-01-01T00:00:00+02:00"
    assert core.json("/api/suppliers", **{"updated-at[gt]": future}) == []
    core.xml("/api/suppliers", status=404, **{"updated-at[gt]": future})
    # "+" encoded as %2B, and unencoded (it arrives as a space): both read as the offset.
    for plus in ("%2B", "+"):
        raw = core.get(f"/api/suppliers?updated-at[gt]={as_utc[:-1]}{plus}00:00")
        assert ids(raw.json()) == later
    for bad in ("yesterday", "2025-13-01", ""):
        reply = core.get("/api/suppliers", **{"updated-at[gt]": bad})
        assert reply.status == 400
        assert list(reply.json()["errors"]) == ["updated-at[gt]"]


def test_id_and_id_in(core: Core) -> None:
    assert ids(core.json("/api/suppliers", id=6)) == [6]
    assert ids(core.json("/api/suppliers", **{"id[in]": "12,3,8,99"})) == [3, 8, 12]
    assert ids(core.json("/api/users", **{"id[in]": "501, 1000 ,20"})) == [20, 501, 1000]
    assert core.json("/api/suppliers", id=99) == []
    for bad in ("x", "1,two", ","):
        assert core.get("/api/suppliers", **{"id[in]": bad}).status == 400
    assert core.get("/api/suppliers", id="8.5").status == 400


def test_active_users_and_other_attribute_filters(core: Core) -> None:
    active = ids(core.json("/api/users", active="true", fields='["id"]'))
    assert active == [i for i in USER_IDS if i != 512]
    assert ids(core.json("/api/users", active="false")) == [512]
    assert core.get("/api/users", active="maybe").status == 400
    assert ids(core.json("/api/suppliers", number="SUP-00014")) == [14]
    assert ids(core.json("/api/suppliers", **{"name[contains]": "söhne"})) == [2]
    assert ids(core.json("/api/suppliers", status="inactive")) == [15]
    assert ids(core.json("/api/uoms", code="kg")) == [2]
    by_name = core.json("/api/users", order_by="lastname", fields='["lastname"]', limit=3)
    assert by_name == sorted(by_name, key=lambda u: u["lastname"].casefold())
    assert ids(core.json("/api/uoms", dir="desc"))[0] == 10


def test_unknown_parameters_are_a_400_naming_them(core: Core) -> None:
    refused = ({"colour": "red"}, {"name[like]": "x"}, {"supplier[name]": "x"},
               {"order_by": "colour"}, {"dir": "up"}, {"return_object": "everything"})  # fmt: skip
    for params in refused:
        reply = core.get("/api/suppliers", **params)
        assert reply.status == 400, params
        assert list(reply.json()["errors"]) == list(params)


def test_return_object_limited_and_shallow(core: Core) -> None:
    assert core.json("/api/uoms", return_object="limited", limit=2) == [{"id": 1}, {"id": 2}]
    shallow = core.json("/api/items/1", return_object="shallow")
    assert shallow["uom"] == {"id": 1}
    assert shallow["created-by"] == {"id": 1000}


def test_show_of_an_unknown_id_is_a_404(core: Core) -> None:
    reply = core.get("/api/suppliers/21")
    assert reply.status == 404
    assert reply.json() == {"errors": {"supplier": ["Couldn't find Supplier with 'id'=21"]}}
    errors = core.xml("/api/users/9999", status=404)
    assert errors.tag == "errors"
    assert errors[0].text == "Couldn't find User with 'id'=9999"
    assert core.get("/api/uoms/0").status == 404
    assert core.get("/api/items/41").status == 404
    assert core.get("/api/items/abc").status == 404  # no such route


def test_core_resources_are_read_only(core: Core) -> None:
    reply = core.api.request("POST", "/api/suppliers", b"{}", {"Authorization": "x"})
    assert (reply.status, reply.headers["Allow"]) == (405, "GET")


# -- scopes ----------------------------------------------------------------------------------


def test_each_resource_needs_its_scope(api: Client) -> None:
    qc_only = Core(api, f"{READ} {WRITE}")
    for kind, scope in KINDS.items():
        reply = qc_only.get(f"/api/{kind}")
        assert reply.status == 403
        assert reply.json()["error"] == "insufficient_scope"
        assert scope in reply.headers["WWW-Authenticate"]
        assert qc_only.get(f"/api/{kind}/1").status == 403
    suppliers_only = Core(api, SUPPLIER)
    assert suppliers_only.get("/api/suppliers/1").status == 200
    assert suppliers_only.get("/api/users/10").status == 403
    assert suppliers_only.get(f"{SEED}/1").status == 403


def test_a_token_without_scopes_still_gets_the_qc_scopes_only(api: Client) -> None:
    granted = api.token_reply().json()["scope"].split()
    assert granted == [READ, WRITE]
    everything = api.token_reply(f"{READ} {WRITE} {CORE}").json()["scope"].split()
    assert everything == [READ, WRITE, SUPPLIER, USER, COMMON, CATALOG]


def test_withheld_scopes_are_not_granted_until_reset(api: Client) -> None:
    old = Core(api)
    reply = api.control("PATCH", "config", {"withheld_scopes": [SUPPLIER, COMMON]})
    assert reply.json()["withheld_scopes"] == [SUPPLIER, COMMON]
    granted = api.token_reply(f"{READ} {CORE}").json()["scope"].split()
    assert granted == [READ, USER, CATALOG]
    new = Core(api)
    assert new.get("/api/suppliers").status == 403
    assert new.get("/api/uoms/1").status == 403
    assert new.get("/api/users/10").status == 200
    assert old.get("/api/suppliers").status == 200  # tokens granted before keep their scopes
    api.control("POST", "config/reset")
    assert Core(api).get("/api/suppliers").status == 200


def test_withheld_scopes_are_validated(api: Client) -> None:
    for value in ("core.nonsense.read", [1], {"a": 1}, ["core.accounting.read"]):
        reply = api.control("POST", "config", {"withheld_scopes": value})
        assert reply.status == 400, value
        assert list(reply.json()["errors"]) == ["withheld_scopes"]


# -- faults, limits and counters apply as to QC requests ------------------------------------


def test_scripted_faults_and_counters_apply_to_core_requests(core: Core) -> None:
    api = core.api
    api.control("POST", "requests/reset")
    api.configure(fail_next=[503, [429, 3]])
    assert core.get("/api/suppliers").status == 503
    throttled = core.get("/api/users/10")
    assert (throttled.status, throttled.headers["Retry-After"]) == (429, "3")
    assert core.get("/api/users/10").status == 200
    counts = api.control("GET", "requests").json()
    assert counts["by_operation"] == {"core_suppliers": 1, "core_users_show": 2}
    assert counts["by_family"] == {"core": 3}


def test_rate_limit_and_error_rate_apply_to_core_requests(core: Core) -> None:
    core.api.configure(rate_limit=2)
    statuses = [core.get("/api/uoms/1").status for _ in range(4)]
    assert statuses[:2] == [200, 200]
    assert 429 in statuses
    core.api.configure(rate_limit=0, error_rate=1)
    assert core.get("/api/uoms/1").status == 503


def test_latency_and_hang_apply_to_core_requests(core: Core) -> None:
    core.api.configure(latency_ms=150)
    started = time.monotonic()
    assert core.get("/api/suppliers/1").status == 200
    assert time.monotonic() - started >= 0.15
    core.api.configure(latency_ms=0, hang_next_seconds=0.3)
    started = time.monotonic()
    assert core.get("/api/suppliers/1").status == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    assert core.get("/api/suppliers/1").status == 200  # the hang was for one request only
    assert time.monotonic() - started < 0.3


# -- the change endpoint ---------------------------------------------------------------------


def test_a_changed_record_is_served_and_found_by_updated_at(fresh: Client) -> None:
    core = Core(fresh)
    before = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    since = before.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert core.json("/api/suppliers", **{"updated-at[gt]": since}) == []
    reply = fresh.control("PATCH", "reference/suppliers/8", {"display-name": "S&W <Fasteners>"})
    assert reply.status == 200, reply.text
    assert reply.json()["display-name"] == "S&W <Fasteners>"
    fresh.control("PATCH", "reference/users/11", {"fullname": "Daniel Okonkwo-Smith",
                                                  "active": False})  # fmt: skip
    changed = core.json("/api/suppliers", **{"updated-at[gt]": since})
    assert ids(changed) == [8]
    stamp = datetime.fromisoformat(changed[0]["updated-at"])
    assert stamp >= before
    assert ids(core.json("/api/users", **{"updated_at[gt]": since})) == [11]
    assert core.json("/api/users/11")["active"] is False
    xml = core.xml("/api/suppliers/8")
    assert xml.find("display-name").text == "S&W <Fasteners>"
    # Stamps only go forward: a second change is later still.
    second = fresh.control("PATCH", "reference/suppliers/8", {"name": None}).json()
    assert second["updated-at"] > changed[0]["updated-at"]
    assert core.xml("/api/suppliers/8").find("name").get("nil") == "true"
    fresh.control("POST", "reset")
    restored = Core(fresh).json("/api/suppliers/8")
    assert restored["display-name"] == "Smith & Wesley Fasteners"


def test_the_change_endpoint_refuses_what_it_cannot_apply(api: Client) -> None:
    cases = [
        ("reference/vendors/1", {"name": "x"}, 404),
        ("reference/suppliers/21", {"name": "x"}, 404),
        ("reference/suppliers/1", {"colour": "red"}, 400),
        ("reference/suppliers/1", {"id": 5}, 400),
        ("reference/suppliers/1", {"updated-at": "2020-01-01T00:00:00Z"}, 400),
        ("reference/suppliers/1", {"name": ["a"]}, 400),
        ("reference/suppliers/1", {"primary-contact": {"<x>": "y"}}, 400),
        ("reference/suppliers/1", {"primary-contact": {"email": {"a": 1}}}, 400),
        ("reference/suppliers/1", [1], 400),
    ]
    for path, body, status in cases:
        assert api.control("PATCH", path, body).status == status, (path, body)
    assert api.control("POST", "reference/suppliers/1", {}).status == 405


def test_sandbox_process_helpers(make_sandbox) -> None:
    server = make_sandbox(inspections=5)
    changed = server.change_reference("uoms", 4, name="Liter", allowable_precision=1)
    assert (changed["name"], changed["allowable-precision"]) == ("Liter", 1)
    assert server.withhold_scopes(USER)["withheld_scopes"] == [USER]
    client = Client(server.url)
    assert client.token_reply(CORE).json()["scope"].split() == [SUPPLIER, COMMON, CATALOG]
    assert Core(client).json("/api/uoms/4")["name"] == "Liter"
    server.reset_all()
    assert Core(client).json("/api/uoms/4")["name"] == "Litre"


# -- every id the inspections use resolves ---------------------------------------------------


def _all_inspections(api: Client) -> list[dict]:
    token = api.token(READ)
    docs: list[dict] = []
    while True:
        page = api.get(f"{SEED}?offset={len(docs)}&limit=50", token).json()
        docs += page
        if len(page) < 50:
            return docs


def _resolve(core: Core, kind: str, wanted: set[int]) -> dict[int, dict]:
    found: dict[int, dict] = {}
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 50):
        chunk = ",".join(str(i) for i in ordered[start : start + 50])
        found |= {r["id"]: r for r in core.json(f"/api/{kind}", **{"id[in]": chunk})}
    return found


def _check_every_id_resolves(api: Client) -> None:
    core = Core(api)
    docs = _all_inspections(api)
    suppliers = _resolve(core, "suppliers", {d["supplierId"] for d in docs})
    assert set(suppliers) == {d["supplierId"] for d in docs}
    people = {d.get(key) for d in docs for key in ("requestedBy", "createdBy", "modifiedBy")}
    people.discard(None)  # the spec's example (inspection 1) has no createdBy/modifiedBy
    people |= {500 + d["supplierId"] for d in docs if d.get("submittedBy")}
    users = _resolve(core, "users", people)
    assert set(users) == people
    units = _resolve(core, "uoms", {d["uom"] for d in docs})
    assert set(units) == {d["uom"] for d in docs}
    items = _resolve(core, "items", {d["itemId"] for d in docs})
    for doc in docs:
        item = items[doc["itemId"]]
        assert (item["name"], item["item-number"]) == (doc["itemName"], doc["buyerPartNumber"])
        if doc.get("submittedBy"):  # the supplier's contact: user 500 + supplier id
            assert doc["submittedBy"] == users[500 + doc["supplierId"]]["fullname"]
        if doc.get("reviewedBy"):
            buyer = cat.BUYERS.index(doc["reviewedBy"])
            assert core.json(f"/api/users/{20 + buyer}")["fullname"] == doc["reviewedBy"]


def test_every_id_the_generated_inspections_use_resolves(api: Client) -> None:
    _check_every_id_resolves(api)


def test_every_id_resolves_after_the_simulator_moves_inspections(fresh: Client) -> None:
    for _ in range(4):
        fresh.control("POST", "advance", {"count": 40})
    _check_every_id_resolves(fresh)


def test_the_catalogue_is_covered() -> None:
    assert {item.id for item in ITEMS} == set(range(1, 41))


def test_the_reference_data_keeps_coupa_s_unique_keys_and_lengths() -> None:
    data = reference.build()

    def unique(kind: str, key: str) -> None:
        values = [r[key] for r in data[kind].values() if r[key] is not None]
        assert len(values) == len(set(values)), (kind, key)

    for kind, key in [("suppliers", "name"), ("suppliers", "number"), ("users", "login"),
                      ("users", "email"), ("users", "mention-name"), ("uoms", "code"),
                      ("uoms", "name"), ("items", "item-number")]:  # fmt: skip
        unique(kind, key)
    assert all(len(u["code"]) <= 6 and len(u["name"]) <= 100 for u in data["uoms"].values())
    assert all(len(s["name"]) <= 100 for s in data["suppliers"].values())
    assert all(len(u[k]) <= 40 for u in data["users"].values() for k in ("firstname", "lastname"))
    assert list(data["users"]) == USER_IDS


# -- robustness ------------------------------------------------------------------------------

_KEYS = st.sampled_from([
    "offset", "limit", "fields", "id", "id[in]", "updated-at[gt]", "updated_at[lt_or_eq]",
    "active", "name[contains]", "order_by", "dir", "return_object", "number[blank]", "status",
])  # fmt: skip
_VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(-5, 10**20).map(str),
    st.sampled_from(['["id"]', '[{"uom":["code"]}]', "2025-03-01T00:00:00Z", "true", "1,2",
                     "[[[[", '{"a":[1]}', "desc", "\x00", "%", "ü&<>\"'"]),
)  # fmt: skip
_PAIRS = st.lists(st.tuples(st.one_of(_KEYS, st.text(max_size=12)), _VALUES), max_size=4)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    kind=st.sampled_from(list(KINDS)),
    record=st.one_of(st.none(), st.integers(0, 10**19)),
    pairs=_PAIRS,
    as_json=st.booleans(),
)
def test_no_query_makes_the_core_api_fail(core: Core, kind, record, pairs, as_json) -> None:
    path = f"/api/{kind}" if record is None else f"/api/{kind}/{record}"
    query = "&".join(f"{quote(k, safe='[]')}={quote(v, safe='')}" for k, v in pairs)
    reply = core.get(f"{path}?{query}", accept="application/json" if as_json else "")
    assert reply.status in (200, 400, 404), reply.text
    if as_json:
        reply.json()
    else:
        ET.fromstring(reply.body)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["<script>alert(1)</script>", "\u202eevil\u202c", "a\x00b\x1fc", "]]>",
                     "x" * 10_000, "O'Brien & \"Sons\""]),
)  # fmt: skip
_CHANGES = st.dictionaries(
    st.sampled_from(["name", "display_name", "number", "status", "primary-contact"]),
    st.one_of(_SCALARS, st.dictionaries(st.sampled_from(["email", "name-given"]), _SCALARS)),
    min_size=1,
    max_size=3,
)


@pytest.fixture(scope="module")
def private_server(tmp_path_factory: pytest.TempPathFactory):
    with running_server(tmp_path_factory.mktemp("core") / "core.sqlite3", inspections=5) as server:
        yield Client(server.url)


@settings(max_examples=60, deadline=None)
@given(supplier=st.integers(1, 20), changes=_CHANGES)
def test_any_changed_value_is_served_well_formed(private_server: Client, supplier, changes):
    core = Core(private_server)
    body = dump_bytes(changes)  # Decimals keep their exact text
    reply = private_server.request(
        "PATCH", f"/_sandbox/reference/suppliers/{supplier}", body,
        {"Content-Type": "application/json"},
    )  # fmt: skip
    assert reply.status == 200, reply.text
    for path in (f"/api/suppliers/{supplier}", "/api/suppliers"):
        assert isinstance(core.json(path), dict | list)
        ET.fromstring(core.get(path, accept="").body)
    for params in ({"order_by": "name"}, {"name[contains]": "a"}, {"number[gt]": "SUP-00005"},
                   {"status[in]": "active,x"}, {"display-name[blank]": "true"}):  # fmt: skip
        assert core.get("/api/suppliers", **params).status == 200
