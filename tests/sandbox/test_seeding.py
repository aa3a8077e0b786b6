"""Seed data, the store and the wire format, without HTTP."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from qualityhub.sandbox.items import ITEMS
from qualityhub.sandbox.seeding import generate, load_spec_example
from qualityhub.sandbox.store import Store
from qualityhub.sandbox.values import conforms, is_recorded, is_required
from qualityhub.sandbox.wire import dumps, loads

from .helpers import load_data

TODAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return generate(42, 600, TODAY).docs


def test_generation_is_deterministic() -> None:
    first, second = generate(7, 120, TODAY), generate(7, 120, TODAY)
    assert [dumps(d) for d in first.docs] == [dumps(d) for d in second.docs]
    assert first.sequences.last == second.sequences.last
    other = generate(8, 120, TODAY)
    assert [dumps(d) for d in other.docs] != [dumps(d) for d in first.docs]


def test_inspection_1_is_the_spec_example(docs: list[dict]) -> None:
    assert docs[0] == load_data("seed_get_response.json")
    assert docs[0] == load_spec_example()
    assert [doc["id"] for doc in docs] == list(range(1, 601))


def test_catalogue() -> None:
    assert len(ITEMS) == 40
    assert (ITEMS[0].name, ITEMS[0].description) == ("Inspection Material", "Inspection material")
    assert all(2 <= len(item.chars) <= 8 for item in ITEMS)
    operators = Counter(op for item in ITEMS for c in item.chars for _, op, _ in c.limits)
    assert set(operators) == {"gt", "ge", "lt", "le", "eq"}


def test_statuses_decisions_and_recorded_values(docs: list[dict]) -> None:
    statuses = Counter(doc["status"] for doc in docs)
    assert set(statuses) == {"Open", "In Progress", "In Buyer Review", "Closed"}
    decisions = Counter(doc.get("reviewDecision") for doc in docs if doc["status"] == "Closed")
    assert decisions["Accepted"] > decisions["Rejected"] > 0
    disagreeing = 0
    for doc in docs[1:]:
        chars = doc["characteristics"]
        recorded = [is_recorded(c) for c in chars]
        if doc["status"] == "Open":
            assert not any(recorded)
        elif doc["status"] == "In Progress":
            assert any(recorded)
        else:
            assert all(is_recorded(c) for c in chars if is_required(c))
            assert doc["submittedDate"] and doc["submittedBy"]
        if doc["status"] == "Closed":
            assert doc["reviewedDate"] and isinstance(doc["reviewedBy"], str)
            assert doc["resolutionReasonText"] and doc["resolutionReasonCode"]
            in_spec = all(conforms(c) for c in chars if is_required(c))
            disagreeing += in_spec != (doc["reviewDecision"] == "Accepted")
        else:
            assert "reviewDecision" not in doc and doc["exported"] is False
    assert 0 < disagreeing < statuses["Closed"] * 0.15


def test_values_mostly_inside_limits(docs: list[dict]) -> None:
    chars = [c for d in docs[1:] for c in d["characteristics"]]
    numeric = [
        c for c in chars if c["valueType"] == "numeric" and is_recorded(c) and c["expectedLimits"]
    ]
    outside = sum(not conforms(c) for c in numeric) / len(numeric)
    assert 0.04 < outside < 0.2
    for char in numeric[:200]:
        value = char["recordedCharacteristic"]["numericValue"]
        assert isinstance(value, Decimal) and value.as_tuple().exponent == -9


def test_dates(docs: list[dict]) -> None:
    today = datetime.combine(TODAY, datetime.min.time(), UTC)
    due = [datetime.fromisoformat(d["dueDate"]) for d in docs[1:] if d["status"] != "Closed"]
    assert any(d < today for d in due)  # overdue
    assert any(today <= d < today + timedelta(days=7) for d in due)
    assert any(d >= today + timedelta(days=7) for d in due)
    for doc in docs[1:]:
        created = datetime.fromisoformat(doc["createdAt"])
        modified = datetime.fromisoformat(doc["modifiedAt"])
        assert created < modified <= today
        assert modified > today - timedelta(days=91)
    closed = [d for d in docs if d["status"] == "Closed"]
    assert 0 < sum(d["exported"] for d in closed) < len(closed)


def test_wire_keeps_number_text() -> None:
    text = '{"a":0.320000000,"b":50.000000,"c":[1,0.1,-2.50],"d":"x\\u00e9","e":null,"f":true}'
    assert dumps(loads(text)) == text.replace("\\u00e9", "é")
    with pytest.raises(TypeError):
        dumps({"float": 0.1})
    with pytest.raises(ValueError):
        loads('{"a": NaN}')


def test_store_is_reused_only_for_the_same_seed_and_count(tmp_path) -> None:
    store = Store(tmp_path / "deep" / "dir" / "s.sqlite3")
    assert not store.matches(1, 10)
    generated = generate(1, 10, TODAY)
    store.replace_all(generated.docs, generated.sequences, 1, 10)
    assert store.matches(1, 10)
    assert not store.matches(1, 11) and not store.matches(2, 10)
    assert store.count() == 10
    store.close()


def test_stamps_strictly_increase(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    stamps = [store.stamp() for _ in range(1000)]
    assert all(a < b for a, b in zip(stamps, stamps[1:], strict=False))
    store.close()
