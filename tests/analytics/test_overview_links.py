"""The overview's links: every tile, status, decision and stage count leads to a list of exactly
the inspections it counts."""

from __future__ import annotations

import re

import pytest

from qualityhub.inspections.models import Inspection
from tests.analytics.overview_world import (
    DAY,
    NOW,
    build_world,
    ids,
    inspection,
    listed,
    tile,
    tile_links,
)

pytestmark = pytest.mark.django_db


def test_every_tile_leads_to_a_list_of_exactly_the_inspections_it_counts(grace, frozen) -> None:
    build_world(2)
    inspection("Open", due=NOW)  # due exactly now
    inspection("Open", due=NOW + 7 * DAY)
    inspection("Closed", decision="Accepted", exported=False, gone=True)
    inspection("In Buyer Review", due=NOW - DAY, gone=True)
    current = Inspection.objects.filter(gone_at__isnull=True)
    expected = {
        "overdue": ids(current.exclude(status="Closed").filter(due_date__lt=NOW)),
        "due_this_week": ids(current.filter(status="Open", due_date__lt=NOW + 7 * DAY)),
        "in_buyer_review": ids(current.filter(status="In Buyer Review")),
        "closed_not_exported": ids(current.filter(status="Closed", exported=False)),
        "disagreements": ids(current.filter(disagreement=True)),
    }
    response = grace.get("/")
    links = tile_links(response)
    assert set(links) == set(expected)

    for key, url in links.items():
        count, rows = listed(grace, url)
        assert count == tile(response, key) == len(expected[key]), key
        assert rows == expected[key], key


def test_status_decision_and_stage_links_lead_to_the_counted_inspections(grace, frozen) -> None:
    build_world(3)
    html = grace.get("/").content.decode()
    current = Inspection.objects.filter(gone_at__isnull=True)
    by_status = re.findall(
        r'<a href="(/inspections/\?status=[^"]+)">([^<]+)</a></th><td[^>]*>([\d,]+)<', html
    )
    assert {name for _, name, _ in by_status} == {
        "Open",
        "In Progress",
        "In Buyer Review",
        "Closed",
    }
    for url, name, shown in by_status:
        count, rows = listed(grace, url.replace("&amp;", "&"))
        assert count == int(shown) == len(rows) == current.filter(status=name).count(), name
    by_decision = re.findall(r'<a href="(/inspections/\?decision=[^"]+)">([^<]+)</a>', html)
    assert {name for _, name in by_decision} == {"Accepted", "Rejected"}
    for url, name in by_decision:
        count, _ = listed(grace, url.replace("&amp;", "&"))
        assert count == current.filter(review_decision=name).count(), name
    stage_links = re.findall(r"<td[^>]*data-(now|past-due)><a href=\"([^\"]+)\">([\d,]+)</a>", html)
    assert len(stage_links) == 6
    for _, url, shown in stage_links:
        count, _ = listed(grace, url.replace("&amp;", "&"))
        assert count == int(shown)
