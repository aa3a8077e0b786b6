"""Fault injection and the runtime configuration endpoints."""

from __future__ import annotations

import time

from .helpers import SEED, V1, Client


def test_config_defaults_and_validation(api: Client) -> None:
    config = api.control("GET", "config").json()
    assert config == {
        "latency_ms": 0, "error_rate": 0, "rate_limit": 0, "malformed_rate": 0,
        "token_ttl": 86399, "ignore_offset": False, "ignore_filters": False,
        "list_envelope": False, "fail_next": [], "hang_next_seconds": 0, "withheld_scopes": [],
    }  # fmt: skip
    reply = api.control("POST", "config", {"error_rate": 2, "colour": "red"})
    assert reply.status == 400
    assert set(reply.json()["errors"]) == {"error_rate", "colour"}
    assert api.control("GET", "config").json() == config  # nothing applied


def test_fail_next_answers_scripted_statuses_in_order(api: Client) -> None:
    token = api.token()
    api.configure(fail_next=[503, [429, 2], 429, 401])
    first = api.get(f"{SEED}/1", token)
    assert first.status == 503
    assert first.json() == {"errors": {"base": ["Service temporarily unavailable"]}}
    second = api.get(f"{SEED}/1", token)
    assert (second.status, second.headers["Retry-After"]) == (429, "2")
    third = api.get(f"{SEED}/1", token)
    assert (third.status, third.headers["Retry-After"]) == (429, "1")
    assert api.get(f"{SEED}/1", token).json()["error"] == "invalid_token"
    assert api.get(f"{SEED}/1", token).status == 200
    assert api.control("GET", "config").json()["fail_next"] == []


def test_fail_next_spares_the_token_endpoint(api: Client) -> None:
    api.configure(fail_next=[500])
    token = api.token()
    assert api.get(f"{V1}/1", token).status == 500


def test_error_rate(api: Client) -> None:
    api.configure(error_rate=1)
    token = api.token()  # the token endpoint is exempt
    reply = api.get(SEED, token)
    assert reply.status == 503
    assert reply.json() == {"errors": {"base": ["Service temporarily unavailable"]}}
    api.configure(error_rate=0.5)
    statuses = {api.get(f"{SEED}/1", token).status for _ in range(30)}
    assert statuses == {200, 503}


def test_rate_limit(api: Client) -> None:
    token = api.token()
    api.configure(rate_limit=3)
    statuses = [api.get(f"{SEED}/1", token) for _ in range(6)]
    limited = [reply for reply in statuses if reply.status == 429]
    assert limited, [reply.status for reply in statuses]
    assert int(limited[0].headers["Retry-After"]) >= 1
    assert "errors" in limited[0].json()
    assert api.token_reply().status in (200, 429)  # the token endpoint is limited too
    time.sleep(1.1)
    assert api.get(f"{SEED}/1", token).status == 200


def test_latency_and_hang(api: Client) -> None:
    token = api.token()
    api.configure(latency_ms=150)
    started = time.monotonic()
    assert api.get(f"{SEED}/1", token).status == 200
    assert time.monotonic() - started >= 0.15
    api.configure(latency_ms=0, hang_next_seconds=0.3)
    started = time.monotonic()
    assert api.get(f"{SEED}/1", token).status == 200
    assert time.monotonic() - started >= 0.3
    assert api.control("GET", "config").json()["hang_next_seconds"] == 0


def test_list_envelope_and_ignored_parameters(api: Client) -> None:
    api.configure(list_envelope=True)
    body = api.get(f"{SEED}?limit=5&status=Closed").json()
    assert set(body) == {"data", "total"}
    assert len(body["data"]) == 5 and body["total"] > 5
    assert all(doc["status"] == "Closed" for doc in body["data"])
    api.configure(list_envelope=False, ignore_offset=True)
    assert api.get(f"{SEED}?offset=50&limit=3").json()[0]["id"] == 1
    api.configure(ignore_offset=False, ignore_filters=True)
    ids = [doc["id"] for doc in api.get(f"{SEED}?status=Nope&limit=3").json()]
    assert ids == [1, 2, 3]


def test_malformed_records_are_stable_and_keep_their_id(api: Client) -> None:
    assert api.control("GET", "malformed").json() == {"ids": []}
    api.configure(malformed_rate=0.2)
    ids = api.control("GET", "malformed").json()["ids"]
    assert 20 < len(ids) < 110  # about a fifth of 300+
    assert api.control("GET", "malformed").json()["ids"] == ids
    listed = {doc["id"]: doc for doc in api.get(f"{SEED}?limit=50").json()}
    damaged = [i for i in ids if i in listed]
    assert damaged
    kinds = set()
    for inspection in damaged:
        doc = listed[inspection]
        assert api.get(f"{SEED}/{inspection}").json() == doc
        kinds.add(_damage_kind(doc))
    assert None not in kinds and len(kinds) >= 2
    for inspection, doc in listed.items():
        if inspection not in ids:
            assert _damage_kind(doc) is None, inspection


def _damage_kind(doc: dict) -> str | None:
    chars = doc.get("characteristics")
    if not isinstance(doc.get("supplierId"), int):
        return "supplierId"
    if "dueDate" not in doc:
        return "dueDate"
    if not isinstance(chars, list):
        return "characteristics"
    if doc["modifiedAt"] == "yesterday":
        return "modifiedAt"
    if any("id" not in char for char in chars):
        return "characteristic id"
    if any(lim["comparisonValue"] == "n/a" for c in chars for lim in c["expectedLimits"]):
        return "comparisonValue"
    return None


def test_request_counters(api: Client) -> None:
    api.control("POST", "requests/reset")
    token = api.token()
    api.get(SEED, token)
    api.get(f"{V1}/1", token)
    api.request("GET", f"{SEED}/1")  # rejected (no token) but counted
    api.get("/api/unknown", token)
    counts = api.control("GET", "requests").json()
    assert counts["total"] == 5
    assert counts["by_operation"] == {"get": 2, "list": 1, "token": 1, "unknown": 1}
    api.control("POST", "requests/reset")
    assert api.control("GET", "requests").json()["total"] == 0


def test_control_routes(api: Client) -> None:
    assert api.control("GET", "health").json()["ok"] is True
    assert api.control("GET", "nothing").status == 404
    assert api.control("GET", "reset").status == 405
