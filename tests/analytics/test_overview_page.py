"""The overview page: its periods, the htmx swap, escaping, no inline script or style, exact
percentages, and what a view of it costs."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache

from qualityhub.analytics.models import Snapshot
from qualityhub.analytics.overview import refresh_overview_snapshot
from tests.analytics.overview_world import (
    DAY,
    MONDAY,
    NOW,
    build_world,
    ended_stay,
    inspection,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("weeks", ["", "abc", "5", "-4", "13.0", "0", "520", "4 "])
def test_an_unknown_period_shows_the_default_13_weeks(grace, frozen, weeks) -> None:
    response = grace.get("/", {"weeks": weeks})
    assert response.status_code == 200
    assert "The last 13 weeks" in response.content.decode()
    assert response.content.decode().count("<tr data-week=") == 13


@pytest.mark.parametrize("weeks", [4, 13, 26, 52])
def test_each_period_shows_its_weeks_and_stays(grace, frozen, weeks) -> None:
    ended_stay("Open", 2, left=MONDAY - timedelta(weeks=10), due=NOW)
    response = grace.get("/", {"weeks": weeks})
    html = response.content.decode()
    assert html.count("<tr data-week=") == weeks
    stays = re.search(r'<tr data-stage="Open">.*?data-stays>(\d+)<', html, re.S).group(1)
    assert int(stays) == (1 if weeks >= 13 else 0)


def test_switching_the_period_with_htmx_swaps_only_that_section(grace, frozen) -> None:
    response = grace.get(
        "/", {"weeks": "26"}, headers={"HX-Request": "true", "HX-Target": "overview-period"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="overview-period"')
    assert "<html" not in html
    assert html.count("<tr data-week=") == 26
    assert 'hx-get="?weeks=52"' in html and 'href="?weeks=52"' in html
    assert 'data-testid="no-stays"' in html  # no stay ended: said, not just an empty chart


def test_anything_from_coupa_is_escaped(grace, frozen) -> None:
    inspection("<script>alert(1)</script>", decision="<b>Maybe</b>")
    html = grace.get("/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>Maybe</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Maybe&lt;/b&gt;" in html


def test_the_page_has_no_inline_script_or_style(grace, frozen) -> None:
    build_world(1)
    html = grace.get("/").content.decode()
    main = html[html.index("<main") :]
    assert " style=" not in main
    assert "<style" not in main
    for tag in re.findall(r"<script[^>]*>", main):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    assert "/static/vendor/chartjs-4.6.1/chart.umd.min.js" in main
    assert "/static/qualityhub/charts.js" in main
    # Every chart has its table beside it.
    assert main.count("<canvas") == 2
    assert 'data-testid="trend-table"' in main and 'data-testid="stage-table"' in main
    assert main.count("<caption") >= 4


def test_rates_are_shown_as_exact_percentages(grace, frozen) -> None:
    for _ in range(2):
        inspection("Closed", decision="Accepted", reviewed=MONDAY)
    inspection("Closed", decision="Rejected", reviewed=MONDAY)
    for days, due in ((1, NOW), (2, MONDAY - DAY), (3, NOW)):
        ended_stay("Open", days, left=MONDAY, due=due)
    html = grace.get("/").content.decode()
    this_week = re.search(r'<tr data-week="2024-06-10">(.*?)</tr>', html).group(1)
    assert ">66.7 %<" in this_week
    assert re.search(r'<tr data-stage="Open">.*?data-late>33.3 % \(1\)<', html, re.S)
    assert Decimal("66.7") == (Decimal(2) / 3 * 100).quantize(Decimal("0.1"))


def _page_queries(client, django_assert_max_num_queries, limit: int) -> int:
    cache.clear()
    client.get("/")  # the first request fills the per-user caches (access, freshness)
    with django_assert_max_num_queries(limit) as captured:
        assert client.get("/").status_code == 200
    return len(captured.captured_queries)


def test_the_page_costs_the_same_few_queries_for_a_small_and_a_larger_cache(
    grace, frozen, django_assert_max_num_queries
) -> None:
    build_world(1)
    refresh_overview_snapshot()
    small = _page_queries(grace, django_assert_max_num_queries, 3)
    build_world(30)
    refresh_overview_snapshot()
    large = _page_queries(grace, django_assert_max_num_queries, 3)
    assert small == large


def test_without_a_snapshot_the_page_still_costs_a_constant_number_of_queries(
    grace, frozen, django_assert_max_num_queries
) -> None:
    counts = []
    for copies in (1, 30):
        build_world(copies)
        Snapshot.objects.all().delete()
        grace.get("/")
        Snapshot.objects.all().delete()
        with django_assert_max_num_queries(12) as captured:
            assert grace.get("/").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
