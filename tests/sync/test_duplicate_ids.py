"""Duplicate ids from Coupa: detected, the offending records skipped and named on the run, and a
line never moved from one inspection to another (over real HTTP, from a Coupa that lists exactly
what each test gives it)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from qualityhub.coupa.schemas import format_datetime
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import run_sync
from qualityhub.sync.upsert import upsert
from tests.conftest import load_example
from tests.hostile_coupa import fixed_coupa

pytestmark = pytest.mark.django_db

TEMPLATE = load_example("seed_get_response.json")
START = datetime(2025, 11, 1, tzinfo=UTC)


def inspection(coupa_id: int, line_ids: tuple[int, ...], *, version: int = 0) -> dict:
    """The spec's record as inspection `coupa_id` with these line ids (one line per id)."""
    record = copy.deepcopy(TEMPLATE)
    record["id"] = coupa_id
    record["modifiedAt"] = format_datetime(START + timedelta(hours=coupa_id, minutes=version))
    lines = []
    for position, line_id in enumerate(line_ids):
        line = copy.deepcopy(TEMPLATE["characteristics"][position % 3])
        line |= {"id": line_id, "inspectionId": coupa_id, "lineNum": position + 1}
        lines.append(line)
    record["characteristics"] = lines
    return record


def _sync(coupa) -> SyncRun:
    return run_sync("full", client=coupa.client(), attachments="skip")


def _owners() -> dict[int, int]:
    return dict(Characteristic.objects.values_list("coupa_id", "inspection_id"))


def _reasons(run: SyncRun) -> list[str]:
    return [error["reason"] for error in run.errors]


def test_one_inspection_twice_in_a_page_is_skipped_and_named() -> None:
    records = [inspection(11, (1,)), inspection(12, (2,)), inspection(12, (3,))]
    with fixed_coupa(records) as coupa:
        run = _sync(coupa)

    assert run.outcome == "succeeded"
    assert set(Inspection.objects.values_list("coupa_id", flat=True)) == {11}
    assert _reasons(run) == ["inspection 12 appears 2 times in one page"]
    assert (run.created, run.skipped) == (1, 2)


def test_a_cached_inspection_listed_twice_keeps_its_lines_and_is_not_gone() -> None:
    with fixed_coupa([inspection(11, (1,)), inspection(12, (2,))]) as coupa:
        _sync(coupa)
        coupa.records = [
            inspection(11, (1,)),
            inspection(12, (2,)),
            inspection(12, (3,), version=1),
        ]
        run = _sync(coupa)

    assert run.gone == 0
    assert _owners() == {1: 11, 2: 12}
    assert Inspection.objects.get(coupa_id=12).gone_at is None


def test_one_characteristic_in_two_new_inspections_of_a_page_skips_both() -> None:
    records = [inspection(11, (1,)), inspection(12, (77, 2)), inspection(15, (3, 77))]
    with fixed_coupa(records) as coupa:
        run = _sync(coupa)

    assert set(Inspection.objects.values_list("coupa_id", flat=True)) == {11}
    assert _owners() == {1: 11}
    assert _reasons(run) == ["characteristic 77 appears in inspections 12 and 15"] * 2
    assert [e["coupa_id"] for e in run.errors] == [12, 15]


def test_a_characteristic_already_cached_stays_with_its_inspection() -> None:
    with fixed_coupa([inspection(12, (77, 78))]) as coupa:
        _sync(coupa)
        # Next run: the same line id turns up in another inspection (and 12 is unchanged).
        coupa.records = [inspection(12, (77, 78)), inspection(15, (79, 77))]
        run = _sync(coupa)

    assert _owners() == {77: 12, 78: 12}
    assert not Inspection.objects.filter(coupa_id=15).exists()
    assert _reasons(run) == [
        "characteristic 77 appears in inspections 12 and 15; kept in 12, which already holds it"
    ]


def test_a_line_claimed_on_a_later_page_stays_with_the_first_pages_inspection() -> None:
    first_page = [inspection(n, (1000 + n,)) for n in range(1, 50)] + [inspection(50, (77,))]
    with fixed_coupa([*first_page, inspection(60, (77,))]) as coupa:
        run = _sync(coupa)

    assert run.pages == 2
    assert _owners()[77] == 50
    assert not Inspection.objects.filter(coupa_id=60).exists()
    assert [e["coupa_id"] for e in run.errors] == [60]


def test_an_inspection_changed_while_its_line_is_claimed_elsewhere_is_still_written() -> None:
    with fixed_coupa([inspection(12, (77,))]) as coupa:
        _sync(coupa)
        coupa.records = [inspection(12, (77, 78), version=1), inspection(15, (77,))]
        run = _sync(coupa)

    assert _owners() == {77: 12, 78: 12}
    assert [e["coupa_id"] for e in run.errors] == [15]
    assert run.updated == 1


def test_one_line_id_twice_in_an_inspection_skips_that_inspection() -> None:
    with fixed_coupa([inspection(11, (1,)), inspection(12, (77, 77))]) as coupa:
        run = _sync(coupa)

    assert _owners() == {1: 11}
    assert _reasons(run) == ["inspection 12: characteristics hold characteristic 77 twice"]


def test_the_upsert_itself_never_moves_a_line_to_another_inspection() -> None:
    with fixed_coupa([inspection(12, (77,)), inspection(15, (78,))]) as coupa:
        _sync(coupa)
    moved = Characteristic.objects.get(coupa_id=77)
    moved.inspection_id, moved.name = 15, "Moved"

    upsert(Characteristic, [moved], conflict="coupa_id", owner="inspection_id")

    kept = Characteristic.objects.get(coupa_id=77)
    assert (kept.inspection_id, kept.name) == (12, "Color")
