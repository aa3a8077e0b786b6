"""The analytics tests' worlds and clocks.

- `frozen`: the clock stopped at the NOW of the test's module (the overview's world, the
  scorecards' world and the trends' snapshot each have their own date).
- `grace`: Django's test client signed in as the quality manager.
- `world`: the scorecards' hand-built world with known answers (builders and its NOW in
  scorecard_world.py), and `no_cached_ranking` for the tests that read the cached ranking.
"""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache

from tests.analytics.scorecard_world import at, attach, closed, inspection, line, stay


@pytest.fixture
def frozen(request: pytest.FixtureRequest):
    with time_machine.travel(request.module.NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def grace(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def no_cached_ranking():
    """The ranking is cached for 5 minutes in the process's memory: start every test without."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db, frozen) -> None:
    """Supplier 1: six inspections in the period and every boundary around them.
    Supplier 2: one open inspection, nothing to divide by. Supplier 3: one rejected one.
    Supplier 4: only an inspection long ago. Supplier 5: only a gone one."""
    bolt, nut = {"item_id": 7, "item_name": "Bolt"}, {"item_id": 8, "item_name": "Nut"}
    # A: accepted at its first review, reviewed exactly at the due date (on time).
    a = closed(101, 1, "2025-06-10T12:00", "Accepted", "2025-06-10T12:00", 2, 4, **bolt)
    length = line(1011, a, "Length", "fail")
    attach(a, "synced", length)
    attach(a, "failed", length)  # two files, one characteristic: counted once
    attach(a, "failed", line(1012, a, "Color", "fail", recorded_code="RED", recorded_text="Red"))
    attach(a, "synced", line(1013, a, "Width"))  # passing: not part of evidence
    line(1014, a, "Weight")
    # B: accepted after being sent back (two buyer-review stays), a second late.
    b = closed(102, 1, "2025-06-01T12:00", "Accepted", "2025-06-01T12:00:01", 1, 3, **bolt)
    attach(b, "pending", line(1021, b, "Length", "fail"))  # on its way: evidence
    line(1022, b, "Width")
    line(1023, b, "Weight")
    # C: rejected, reviewed early.
    c = closed(103, 1, "2025-05-01T12:00", "Rejected", "2025-04-30T12:00", 3, 3, **nut)
    attach(c, "deleting", line(1031, c, "Color", "fail", recorded_code="RED", recorded_text="Red"))
    line(1032, c, "Color", "fail", recorded_code="BLUE", recorded_text="Blue")
    attach(c, "synced")  # on the header: evidence for no characteristic
    attach(c, "uploading", line(1033, c, "Length", "fail"))
    # D: closed without a decision or a review date; E: due later today; F: due at the start.
    closed(104, 1, "2025-04-15T12:00", "", None, 0, 2)
    inspection(105, 1, "2025-06-18T23:00", status="In Buyer Review", characteristic_count=1)
    inspection(106, 1, "2025-03-20T00:00", status="Open")
    # Outside: a second before the period, due tomorrow, gone upstream.
    g = closed(107, 1, "2025-03-19T23:59:59", "Accepted", "2025-03-01T00:00", 1, 1, **bolt)
    line(1071, g, "Length", "fail")
    inspection(108, 1, "2025-06-19T00:00", status="Open", characteristic_count=9)
    gone = closed(
        109,
        1,
        "2025-06-01T12:00",
        "Accepted",
        "2025-05-01T00:00",
        5,
        5,
        **bolt,
        gone_at=at("2025-06-05T00:00"),
    )
    attach(gone, "synced", line(1091, gone, "Length", "fail"))

    # Open: 1, 2 and 4 days (the last ends exactly at the start of the period) → median 2.
    stay(101, 1, "Open", "2025-06-01T00:00", "2025-06-02T00:00")
    stay(102, 1, "Open", "2025-05-01T00:00", "2025-05-03T00:00")
    stay(103, 1, "Open", "2025-03-16T00:00", "2025-03-20T00:00")
    stay(104, 1, "Open", None, "2025-05-01T00:00")  # start unknown
    stay(105, 1, "Open", "2025-06-10T00:00", None)  # still there
    stay(106, 1, "Open", "2025-03-01T00:00", "2025-03-19T23:59")  # ended before the period
    stay(105, 1, "Open", "2025-06-18T00:00", "2025-06-19T00:00")  # ends at the period's end
    stay(109, 1, "Open", "2025-01-01T00:00", "2025-04-11T00:00")  # gone inspection
    # In Progress: 1 and 4 days → 2.5.
    stay(101, 1, "In Progress", "2025-06-02T00:00", "2025-06-03T00:00")
    stay(102, 1, "In Progress", "2025-05-03T00:00", "2025-05-07T00:00")
    # In Buyer Review: 0.5 and 2 days in the period → 1.25; B's first review, long before the
    # period, still makes B a second pass.
    stay(101, 1, "In Buyer Review", "2025-06-09T12:00", "2025-06-10T00:00")
    stay(102, 1, "In Buyer Review", "2025-03-01T00:00", "2025-03-02T00:00")
    stay(102, 1, "In Buyer Review", "2025-05-10T00:00", "2025-05-12T00:00")

    inspection(201, 2, "2025-06-01T12:00", status="Open")

    r = closed(301, 3, "2025-05-20T12:00", "Rejected", "2025-05-19T12:00", 1, 2)
    attach(r, "uploaded", line(3011, r, "Hardness", "fail"))
    line(3012, r, "Hardness")
    stay(301, 3, "Open", "2025-05-01T00:00", "2025-05-11T00:00")
    stay(301, 3, "In Progress", "2025-05-11T00:00", "2025-05-16T00:00")
    stay(301, 3, "In Buyer Review", "2025-05-16T00:00", "2025-05-16T06:00")

    closed(401, 4, "2025-01-01T12:00", "Accepted", None)
    inspection(501, 5, "2025-06-01T12:00", status="Open", gone_at=at("2025-06-02T00:00"))
