"""Random and mutated Coupa JSON fed to the parser and the sync: nothing crashes, every record
that cannot be read is reported on the run, every one that can is stored.

Mutations start from the spec's example (tests/data/seed_get_response.json): a key deleted, a
value replaced by any JSON (huge numbers, odd text, nesting), an object wrapped in a list or
emptied. The only error the parser may raise is its own `CoupaParseError`; `write_page` must
raise nothing at all, whatever a page holds.
"""

from __future__ import annotations

import contextlib
import copy
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from qualityhub.coupa import CoupaParseError
from qualityhub.coupa.schemas import parse_attachment, parse_inspection
from qualityhub.inspections.models import Characteristic, ChoiceValue, Inspection, Limit
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import run_sync, write_page
from tests.conftest import load_example
from tests.security.conftest import FakeCoupa

EXAMPLE = load_example("seed_get_response.json")
ODD_TEXT = [
    "", " ", "NaN", "Infinity", "-inf", "1e999", "1e-999", "9" * 40, "0x10", " 12 ", "1_000",
    "٣", "true", "null", "2025-13-45T25:61:00Z", "2025-11-20", "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
    "Closed", "in buyer review", "ACCEPTED", "\x00", "a\x00b", "<script>alert(1)</script>",
    "x" * 300, "\ud7ff\U0001f600", "gt_or_eq", "MAX",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**62, max_value=2**80),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.decimals(min_value=-(10**25), max_value=10**25, places=12),
    st.text(max_size=50),
    st.sampled_from(ODD_TEXT),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
OPERATIONS = ("replace", "delete", "wrap", "empty", "add")
# Fields the spec's example leaves out, so "add" can put them anywhere an object is.
ABSENT_KEYS = (
    "reviewDecision", "resolutionReasonType", "resolutionReasonCode", "requestDate",
    "warehouseId", "buyerBatchNumber", "sampleSize", "reviewedDate", "reviewedBy",
    "submittedDate", "submittedBy", "externalInspectionId", "createdBy", "modifiedBy", "remarks",
    "recordingType", "valuePrecision", "qualitativeValue", "decisionValue", "targetValue",
    "requirement", "id",
)  # fmt: skip


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    """Every place in a JSON value, the value itself first."""
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*path, index))
    return found


def _mutate(record: Any, path: tuple, operation: str, new: Any, key: str = "id") -> Any:
    if operation == "add":
        target = record
        for step in path:
            target = target[step]
        if isinstance(target, dict):
            target[key] = new
        return record
    if not path:
        return new if operation == "replace" else [] if operation == "empty" else record
    parent = record
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    if operation == "replace":
        parent[key] = new
    elif operation == "delete":
        del parent[key]
    elif operation == "wrap":
        parent[key] = [parent[key]]
    else:
        current = parent[key]
        parent[key] = type(current)() if isinstance(current, dict | list | str) else None
    return record


def _renumbered(coupa_id: int) -> dict:
    """The spec's example under its own ids (characteristic ids are Coupa-wide keys)."""
    record = copy.deepcopy(EXAMPLE)
    record["id"] = coupa_id
    for line in record["characteristics"]:
        line["id"] += coupa_id * 10
        line["inspectionId"] = coupa_id
    return record


@st.composite
def mutated_records(draw, coupa_id: int = 1000) -> Any:
    record = _renumbered(coupa_id)
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        path = draw(st.sampled_from(_paths(record)))
        operation, key = draw(st.sampled_from(OPERATIONS)), draw(st.sampled_from(ABSENT_KEYS))
        record = _mutate(record, path, operation, draw(JSON), key)
    return record


@st.composite
def pages(draw) -> list[Any]:
    size = draw(st.integers(min_value=1, max_value=5))
    return [
        draw(st.one_of(mutated_records(1000 + index), mutated_records(1000 + index), JSON))
        for index in range(size)
    ]


def _without_lines(record: dict) -> dict:
    del record["characteristics"]
    return record


def _readable(raw: Any):
    """The parsed record if the sync can store it without asking Coupa again, else None."""
    try:
        parsed = parse_inspection(copy.deepcopy(raw))
    except CoupaParseError:
        return None
    # A record without its lines needs the detail GET; the fake Coupa knows no detail.
    return parsed if parsed.characteristics is not None else None


def _unstorable(walk: list[list[Any]]) -> int:
    """How many records of the walk the sync must skip: those it cannot read, and those listed
    without their lines whose detail it must ask for (the fake Coupa has none), unless an earlier
    page of the walk stored the inspection as modified at the same moment (nothing moved on)."""
    stored: dict[int, Any] = {}
    unstorable = 0
    for page in walk:
        for raw in page:
            try:
                parsed = parse_inspection(copy.deepcopy(raw))
            except CoupaParseError:
                unstorable += 1
                continue
            if parsed.characteristics is not None:
                stored[parsed.id] = parsed.modified_at
            elif parsed.id not in stored or stored[parsed.id] != parsed.modified_at:
                unstorable += 1
    return unstorable


# --- the parser -----------------------------------------------------------------------------


@settings(max_examples=300, deadline=timedelta(milliseconds=500))
@given(raw=st.one_of(mutated_records(), JSON))
def test_the_parser_reads_a_record_or_says_which_field_it_cannot(raw) -> None:
    try:
        parsed = parse_inspection(raw)
    except CoupaParseError as error:
        assert str(error).startswith(("inspection ", "record ")), str(error)
        return
    assert isinstance(parsed.id, int) and isinstance(parsed.supplier_id, int)
    assert parsed.due_date.tzinfo is not None
    for line in parsed.characteristics or ():
        numbers = [line.expected.numeric_value if line.expected else None]
        numbers += [limit.value for limit in line.limits]
        numbers += [line.recorded.numeric_value if line.recorded else None]
        assert all(n is None or (isinstance(n, Decimal) and n.is_finite()) for n in numbers)


@settings(max_examples=200, deadline=timedelta(milliseconds=500))
@given(raw=JSON)
def test_the_attachment_parser_raises_only_its_own_error(raw) -> None:
    with contextlib.suppress(CoupaParseError):
        parse_attachment(raw)


# --- the sync -------------------------------------------------------------------------------


@pytest.mark.django_db
@settings(
    max_examples=200,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(page=pages(), full=st.booleans())
def test_a_page_of_any_records_is_written_and_every_bad_one_reported(page, full) -> None:
    readable = [_readable(raw) for raw in page]
    good = [parsed for parsed in readable if parsed is not None]
    # Coupa's ids are unique within a page, and characteristic ids across Coupa.
    assume(len({p.id for p in good}) == len(good))
    line_ids = [line.id for p in good for line in p.characteristics]
    assume(len(set(line_ids)) == len(line_ids))
    bad = [raw for raw, parsed in zip(page, readable, strict=True) if parsed is None]

    with transaction.atomic():
        run = SyncRun.objects.create(mode="full", started_at=timezone.now())
        fake = FakeCoupa()
        write_page(fake, run, copy.deepcopy(page), full=full)
        run.refresh_from_db()
        assert run.skipped == len(bad) == len(run.errors), run.errors
        assert all(error["reason"] for error in run.errors)
        assert (run.created, run.updated, run.unchanged) == (len(good), 0, 0)
        for parsed in good:
            stored = Inspection.objects.get(coupa_id=parsed.id)
            assert (stored.supplier_id, stored.due_date) == (parsed.supplier_id, parsed.due_date)
            lines = Characteristic.objects.filter(inspection=stored).count()
            assert lines == len(parsed.characteristics)
        # The same page again: nothing rewritten, the same records reported again.
        again = SyncRun.objects.create(mode="full", started_at=timezone.now())
        write_page(fake, again, copy.deepcopy(page), full=full)
        again.refresh_from_db()
        assert (again.created, again.unchanged, again.skipped) == (0, len(good), len(bad))
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(walk=st.lists(pages(), min_size=1, max_size=3))
# Found by hypothesis: a later page lists an inspection again, without its lines and unchanged.
@example(walk=[[_renumbered(1000)], [_without_lines(_renumbered(1000))]])
def test_a_full_run_over_any_pages_succeeds_and_lists_every_skipped_record(walk) -> None:
    bad = _unstorable(walk)
    with transaction.atomic():
        run = run_sync("full", client=FakeCoupa(pages=walk), attachments="skip")
        assert run.outcome == "succeeded", run.message
        assert run.pages == len(walk)
        assert run.skipped == bad == len(run.errors)
        transaction.set_rollback(True)


def test_a_malformed_record_does_not_keep_the_rest_of_its_page_out(db) -> None:
    """The case the fuzz is about, spelled out: the page's good record lands."""
    broken = _renumbered(2000)
    broken["supplierId"] = "ACME"
    huge = _renumbered(3000)
    huge["characteristics"][1]["recordedCharacteristic"]["numericValue"] = Decimal("1e30")
    page = [_renumbered(1000), broken, huge, "not a record", {"id": 2**70}]
    run = SyncRun.objects.create(mode="full", started_at=timezone.now())
    write_page(FakeCoupa(), run, page, full=True)
    run.refresh_from_db()
    assert run.created == 1 and Inspection.objects.filter(coupa_id=1000).exists()
    assert run.skipped == 4
    assert [error["coupa_id"] for error in run.errors][:2] == [2000, 3000]


TEXT_PLACES = [
    ("type",),
    ("status",),
    ("reviewDecision",),
    ("itemName",),
    ("supplierPartNumber",),
    ("refDocumentItem",),
    ("resolutionReasonCode",),
    ("characteristics", 0, "name"),
    ("characteristics", 0, "type"),
    ("characteristics", 0, "valueType"),
    ("characteristics", 0, "recordingType"),
    ("characteristics", 0, "characteristicValues", 0, "code"),
    ("characteristics", 0, "characteristicValues", 0, "domain"),
    ("characteristics", 0, "characteristicValues", 0, "value"),
    ("characteristics", 0, "recordedCharacteristic", "code"),
    ("characteristics", 1, "expectedLimits", 0, "limitType"),
    ("characteristics", 1, "expectedLimits", 0, "comparisonOperator"),
]


@pytest.mark.parametrize("text", ["x" * 300, "a\x00b"], ids=["long", "nul"])
@pytest.mark.parametrize("place", TEXT_PLACES, ids=lambda p: ".".join(map(str, p)))
def test_extreme_text_in_any_field_is_stored_cut_to_fit(db, place, text) -> None:
    """Text is never a reason to refuse a record: a NUL byte is dropped, an over-long value cut
    to its column (PostgreSQL would otherwise refuse the whole page)."""
    record = _mutate(_renumbered(1000), place, "replace", text)
    run = SyncRun.objects.create(mode="full", started_at=timezone.now())
    write_page(FakeCoupa(), run, [record, _renumbered(2000)], full=True)
    run.refresh_from_db()
    assert (run.created, run.skipped) == (2, 0), run.errors
    # SQLite would store anything; what PostgreSQL refuses must not reach it either.
    assert _misfits(1000) == []


def _misfits(coupa_id: int) -> list[str]:
    """Text of one cached inspection that PostgreSQL could not hold: NUL bytes, or longer than
    its column."""
    rows = [
        *Inspection.objects.filter(coupa_id=coupa_id),
        *Characteristic.objects.filter(inspection_id=coupa_id),
        *ChoiceValue.objects.filter(characteristic__inspection_id=coupa_id),
        *Limit.objects.filter(characteristic__inspection_id=coupa_id),
    ]
    found = []
    for row in rows:
        for field in row._meta.concrete_fields:
            value = getattr(row, field.attname)
            if not isinstance(value, str):
                continue
            if "\x00" in value or (field.max_length and len(value) > field.max_length):
                found.append(f"{type(row).__name__}.{field.name}")
    return found


@pytest.mark.parametrize(
    ("place", "value"),
    [
        (("dueDate",), "0001-01-01T00:00:00+14:00"),
        (("dueDate",), "9999-12-31T23:59:59-14:00"),
        (("modifiedAt",), "9999-12-31T23:59:59-14:00"),
        (("itemQuantity",), Decimal("1E-20000")),
        (("itemQuantity",), "0.000000000000000000001"),
        (("characteristics", 1, "recordedCharacteristic", "numericValue"), Decimal("-1E-999")),
        (("characteristics", 1, "expectedResults", "valuePrecision"), 10**18),
        (("characteristics", 1, "lineNum"), 2**40),
    ],
)
def test_extreme_numbers_and_dates_do_not_fail_the_page(db, place, value) -> None:
    record = _mutate(_renumbered(1000), place, "replace", value)
    run = SyncRun.objects.create(mode="full", started_at=timezone.now())
    write_page(FakeCoupa(), run, [record, _renumbered(2000)], full=True)
    run.refresh_from_db()
    assert run.created + run.skipped == 2
    assert Inspection.objects.filter(coupa_id=2000).exists()
