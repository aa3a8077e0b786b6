"""The collaboration simulator and the data-changing control endpoints (private sandboxes)."""

from __future__ import annotations

from datetime import datetime

from .helpers import SEED, Client, load_data, load_request

ORDER = ["Open", "In Progress", "In Buyer Review", "Closed"]


def _everything(client: Client) -> dict[int, dict]:
    return {doc["id"]: doc for doc in client.get(f"{SEED}?limit=50").json()}


def _stamp(doc: dict) -> datetime:
    return datetime.fromisoformat(doc["modifiedAt"])


def test_advance_moves_the_least_recently_modified_one_step(fresh: Client) -> None:
    before = _everything(fresh)
    open_ones = sorted(
        (doc for doc in before.values() if doc["status"] != "Closed"),
        key=lambda doc: (doc["modifiedAt"], doc["id"]),
    )
    reply = fresh.control("POST", "advance", {"count": 4})
    advanced = reply.json()["advanced"]
    assert advanced == [doc["id"] for doc in open_ones[:4]]
    after = _everything(fresh)
    newest_before = max(_stamp(doc) for doc in before.values())
    stamps = [_stamp(after[i]) for i in advanced]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    for inspection in advanced:
        old, new = before[inspection], after[inspection]
        assert ORDER.index(new["status"]) == ORDER.index(old["status"]) + 1
        assert _stamp(new) > newest_before
        assert isinstance(new["modifiedBy"], int)
        if new["status"] == "In Buyer Review":
            assert new["submittedDate"] == new["modifiedAt"] and new["submittedBy"]
        if new["status"] == "Closed":
            assert new["reviewedDate"] == new["modifiedAt"] and new["reviewDecision"]
    for inspection in set(before) - set(advanced):
        assert after[inspection] == before[inspection]


def test_advancing_until_everything_is_closed(fresh: Client) -> None:
    for _ in range(3):
        fresh.control("POST", "advance", {"count": 100})
    docs = _everything(fresh)
    assert {doc["status"] for doc in docs.values()} == {"Closed"}
    assert fresh.control("POST", "advance", {"count": 5}).json() == {"advanced": []}
    for doc in docs.values():
        assert doc.get("reviewDecision") in ("Accepted", "Rejected") or doc["id"] == 1
        if doc["id"] == 1:
            continue
        assert doc["reviewedBy"] and doc["submittedBy"] and doc["resolutionReasonCode"]
        for char in doc["characteristics"]:
            recorded = char["recordedCharacteristic"]
            if char["type"] == "required":
                assert "numericValue" in recorded or "code" in recorded, char


def test_created_inspections_take_part(fresh: Client) -> None:
    created = fresh.post(SEED, load_request()).json()
    fresh.control("POST", f"inspections/{created['id']}/touch")
    for _ in range(3):
        fresh.control("POST", "advance", {"count": 100})
    doc = fresh.get(f"{SEED}/{created['id']}").json()
    assert doc["status"] == "Closed"
    assert (
        doc["characteristics"][1]["recordedCharacteristic"]["numericValue"].as_tuple().exponent
        == -9
    )


def test_touch_delete_and_reset(fresh: Client) -> None:
    before = fresh.get(f"{SEED}/5").json()
    touched = fresh.control("POST", "inspections/5/touch").json()
    after = fresh.get(f"{SEED}/5").json()
    assert touched == {"id": 5, "modifiedAt": after["modifiedAt"]}
    assert _stamp(after) > _stamp(before)
    assert {k: v for k, v in after.items() if k != "modifiedAt"} == {
        k: v for k, v in before.items() if k != "modifiedAt"
    }
    assert fresh.control("DELETE", "inspections/6").status == 204
    assert fresh.get(f"{SEED}/6").status == 404
    assert fresh.control("DELETE", "inspections/6").status == 404
    assert fresh.control("GET", "health").json()["inspections"] == 39
    token = fresh.token()
    fresh.configure(latency_ms=1)
    assert fresh.control("POST", "reset").json() == {"ok": True, "inspections": 40}
    assert fresh.get(f"{SEED}/5", token).status == 401  # tokens are cleared
    assert fresh.get(f"{SEED}/5", fresh.token()).json() == before
    assert fresh.get(f"{SEED}/1", fresh.token()).json() == load_data("seed_get_response.json")
    assert fresh.control("GET", "config").json()["latency_ms"] == 0
