"""The managers' overview: its figures against a hand-built cache, the snapshot the page reads, the
links to the list, who may see it, and what it costs."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache

from qualityhub.analytics.models import Snapshot, StageStay
from qualityhub.analytics.overview import compute_overview, refresh_overview_snapshot
from qualityhub.analytics.stats import quantile
from qualityhub.analytics.tasks import refresh_overview
from qualityhub.celery import app as celery_app
from qualityhub.inspections.models import Inspection
from qualityhub.sync.pull import run_sync
from qualityhub.sync.tasks import QUEUED
from tests.conftest import client_for, make_user
from tests.sandbox_process import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 6, 12, 10, 0, tzinfo=UTC)  # a Wednesday
MONDAY = datetime(2024, 6, 10, tzinfo=UTC)  # this week began
FOUR_WEEKS_START = MONDAY - timedelta(weeks=3)  # Monday 20 May
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)
_ids = itertools.count(1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def grace(client, manager):
    client.force_login(manager)
    return client


def inspection(
    status: str = "Open",
    *,
    due: datetime | None = None,
    decision: str = "",
    reviewed: datetime | None = None,
    gone: bool = False,
    **fields,
) -> Inspection:
    return Inspection.objects.create(
        coupa_id=next(_ids),
        status=status,
        due_date=due or NOW + 30 * DAY,
        review_decision=decision,
        reviewed_date=reviewed,
        gone_at=NOW - DAY if gone else None,
        supplier_id=fields.pop("supplier_id", 1),
        **fields,
    )


def stay(
    row: Inspection, stage: str, entered: datetime | None, left: datetime | None, due=None
) -> StageStay:
    return StageStay.objects.create(
        inspection_id=row.coupa_id,
        supplier_id=row.supplier_id,
        stage=stage,
        entered_at=entered,
        left_at=left,
        due_date=due or row.due_date,
    )


def ended_stay(stage: str, days: float, left: datetime, due: datetime, **inspection_fields):
    row = inspection(stage, due=due, **inspection_fields)
    return stay(row, stage, left - timedelta(days=days), left)


def tile(response, key: str) -> int:
    match = re.search(rf'data-testid="tile-{key}">([\d,]+)<', response.content.decode())
    assert match, f"no tile {key}"
    return int(match.group(1).replace(",", ""))


def tile_links(response) -> dict[str, str]:
    html = response.content.decode()
    return {
        key: url.replace("&amp;", "&")
        for url, key in re.findall(r'href="(/inspections/\?[^"]+)" data-tile="(\w+)"', html)
    }


def listed(client, url: str) -> tuple[int, set[int]]:
    """The count a list page shows and the ids of its rows."""
    html = client.get(url).content.decode()
    count = re.search(r'data-testid="match-count">([\d,]+) inspection', html)
    assert count, f"{url} shows no count"
    rows = {int(i) for i in re.findall(r'data-inspection-id="(\d+)"', html)}
    return int(count.group(1).replace(",", "")), rows


def ids(queryset) -> set[int]:
    return set(queryset.values_list("coupa_id", flat=True))


# --- the figures ---------------------------------------------------------------------------


def test_it_counts_by_status_and_decision_without_gone_inspections(frozen) -> None:
    inspection("Open")
    inspection("Open")
    inspection("In Progress")
    inspection("In Buyer Review")
    inspection("Closed", decision="Accepted", reviewed=NOW - DAY)
    inspection("Closed", decision="Rejected", reviewed=NOW - DAY)
    inspection("Open", gone=True)
    inspection("Closed", decision="Accepted", reviewed=NOW - DAY, gone=True)

    data = compute_overview(NOW)

    assert data["statuses"] == [
        ["Open", 2],
        ["In Progress", 1],
        ["In Buyer Review", 1],
        ["Closed", 2],
    ]
    assert data["decisions"] == [["Accepted", 1], ["Rejected", 1]]
    assert data["counts"]["total"] == 6
    assert data["counts"]["in_buyer_review"] == 1


def test_overdue_is_due_before_now_and_due_this_week_is_open_and_due_within_seven_days(
    frozen,
) -> None:
    inspection("Open", due=NOW - SECOND)
    inspection("Open", due=NOW)  # due exactly now: not overdue yet
    inspection("Open", due=NOW + 7 * DAY - SECOND)
    inspection("Open", due=NOW + 7 * DAY)  # a week away: not this week
    inspection("In Progress", due=NOW - 10 * DAY)
    inspection("In Progress", due=NOW + DAY)  # due soon, but the queue is of Open ones
    inspection("In Buyer Review", due=NOW - DAY)
    inspection("Closed", due=NOW - 5 * DAY)  # closed is never overdue
    inspection("Open", due=NOW - 2 * DAY, gone=True)

    data = compute_overview(NOW)

    assert data["counts"]["overdue"] == 3
    assert data["counts"]["due_this_week"] == 3
    assert data["stages_now"] == [
        {"stage": "Open", "now": 4, "past_due": 1},
        {"stage": "In Progress", "now": 2, "past_due": 1},
        {"stage": "In Buyer Review", "now": 1, "past_due": 1},
    ]


def test_it_counts_closed_not_exported_and_disagreements(frozen) -> None:
    inspection("Closed", decision="Accepted", exported=False)
    inspection("Closed", decision="Accepted", exported=False, disagreement=True)
    inspection("Closed", decision="Rejected", exported=True, disagreement=True)
    inspection("Open", exported=False)  # not closed: not waiting for the export
    inspection("Closed", decision="Accepted", exported=False, disagreement=True, gone=True)

    counts = compute_overview(NOW)["counts"]

    assert counts["closed_not_exported"] == 2
    assert counts["disagreements"] == 2


def test_closed_per_week_buckets_by_review_date_from_monday_midnight(frozen) -> None:
    inspection("Closed", decision="Accepted", reviewed=MONDAY)
    inspection("Closed", decision="Rejected", reviewed=MONDAY - SECOND)  # last week
    inspection("Closed", decision="Accepted", reviewed=NOW)
    inspection("Closed", decision="", reviewed=MONDAY + timedelta(hours=1))  # closed, no decision
    inspection("Closed", decision="Accepted", reviewed=NOW + SECOND)  # in the future: nowhere
    oldest = MONDAY - timedelta(weeks=51)
    inspection("Closed", decision="Rejected", reviewed=oldest)
    inspection("Closed", decision="Rejected", reviewed=oldest - SECOND)  # before the 52 weeks
    inspection("In Buyer Review", decision="Accepted", reviewed=MONDAY)  # not closed
    inspection("Closed", decision="Rejected", reviewed=MONDAY, gone=True)

    weeks = compute_overview(NOW)["weeks"]

    assert len(weeks) == 52
    assert weeks[-1] == {"start": "2024-06-10", "closed": 3, "accepted": 2, "rejected": 0}
    assert weeks[-2] == {"start": "2024-06-03", "closed": 1, "accepted": 0, "rejected": 1}
    assert weeks[0] == {"start": "2023-06-19", "closed": 1, "accepted": 0, "rejected": 1}
    assert sum(week["closed"] for week in weeks) == 5


def test_weeks_begin_at_monday_midnight_in_the_servers_time_zone(frozen, settings) -> None:
    settings.TIME_ZONE = "Europe/Berlin"  # UTC+2 in June: Monday 00:00 is Sunday 22:00 UTC
    berlin_monday = MONDAY - timedelta(hours=2)
    inspection("Closed", decision="Accepted", reviewed=berlin_monday)
    inspection("Closed", decision="Rejected", reviewed=berlin_monday - SECOND)

    weeks = compute_overview(NOW)["weeks"]

    assert weeks[-1] == {"start": "2024-06-10", "closed": 1, "accepted": 1, "rejected": 0}
    assert weeks[-2] == {"start": "2024-06-03", "closed": 1, "accepted": 0, "rejected": 1}


def test_time_in_stage_takes_the_stays_that_ended_in_the_period(frozen) -> None:
    # Open stays ending in the last 4 weeks (since Monday 20 May): 1, 2, 3, 4 and 10 days.
    ended_stay("Open", 1, left=MONDAY + DAY, due=NOW)
    ended_stay("Open", 2, left=MONDAY - 9 * DAY, due=MONDAY - 10 * DAY)  # late
    due = MONDAY - 5 * DAY
    ended_stay("Open", 3, left=due, due=due)  # left exactly on the due date: not late
    ended_stay("Open", 4, left=FOUR_WEEKS_START, due=FOUR_WEEKS_START - DAY)  # first moment; late
    ended_stay("Open", 10, left=NOW, due=NOW + DAY)  # ended right now
    # Only in the 13 weeks: 20 days, ended a second before the 4 weeks began.
    ended_stay("Open", 20, left=FOUR_WEEKS_START - SECOND, due=NOW)
    # Never counted: start unknown, not ended, ended in the future, of a gone inspection.
    row = inspection("Open")
    stay(row, "Open", None, MONDAY)
    stay(row, "Open", MONDAY, None)
    stay(row, "Open", MONDAY, NOW + SECOND)
    ended_stay("Open", 5, left=MONDAY, due=MONDAY - DAY, gone=True)
    # In Progress: one 12-hour stay.
    ended_stay("In Progress", 0.5, left=MONDAY, due=NOW)

    periods = compute_overview(NOW)["periods"]

    four = {s["stage"]: s for s in periods["4"]["stages"]}
    assert periods["4"]["start"] == FOUR_WEEKS_START.isoformat()
    assert quantile([1.0, 2.0, 3.0, 4.0, 10.0], 0.9) == pytest.approx(7.6)
    assert four["Open"] == {
        "stage": "Open",
        "stays": 5,
        "median_days": "3.0",
        "p90_days": "7.6",
        "late": 2,
        "late_share": "0.4000",
    }
    assert four["In Progress"]["median_days"] == four["In Progress"]["p90_days"] == "0.5"
    assert four["In Buyer Review"] == {
        "stage": "In Buyer Review",
        "stays": 0,
        "median_days": None,
        "p90_days": None,
        "late": 0,
        "late_share": None,
    }
    thirteen = {s["stage"]: s for s in periods["13"]["stages"]}["Open"]
    assert (thirteen["stays"], thirteen["late"], thirteen["late_share"]) == (6, 2, "0.3333")
    assert (thirteen["median_days"], thirteen["p90_days"]) == ("3.5", "15.0")
    assert [s["stays"] for s in periods["52"]["stages"]] == [6, 1, 0]


def test_the_figures_cost_three_queries_however_big_the_cache(
    frozen, django_assert_num_queries
) -> None:
    build_world(1)
    with django_assert_num_queries(3):
        small = compute_overview(NOW)
    build_world(20)
    with django_assert_num_queries(3):
        large = compute_overview(NOW)
    assert large["counts"]["total"] == 21 * small["counts"]["total"]


def build_world(copies: int, supplier_id: int = 1) -> None:
    """A bit of everything, `copies` times over."""
    for _ in range(copies):
        inspection("Open", due=NOW - DAY, supplier_id=supplier_id)
        inspection("Open", due=NOW + 2 * DAY, supplier_id=supplier_id)
        inspection("In Progress", due=NOW - 3 * DAY, supplier_id=supplier_id)
        inspection("In Buyer Review", due=NOW + DAY, supplier_id=supplier_id)
        inspection(
            "Closed",
            decision="Accepted",
            reviewed=NOW - DAY,
            exported=False,
            supplier_id=supplier_id,
        )
        inspection(
            "Closed",
            decision="Rejected",
            reviewed=NOW - 9 * DAY,
            exported=True,
            disagreement=True,
            supplier_id=supplier_id,
        )
        inspection("Open", due=NOW - DAY, gone=True, supplier_id=supplier_id)
        ended_stay("Open", 2, left=MONDAY, due=NOW, supplier_id=supplier_id)
        ended_stay("In Progress", 3, left=MONDAY, due=MONDAY - DAY, supplier_id=supplier_id)


# --- the snapshot and its refresh ----------------------------------------------------------


def test_the_page_keeps_showing_the_snapshot_until_it_is_refreshed(grace, frozen) -> None:
    inspection("Open", due=NOW - DAY)
    assert not Snapshot.objects.exists()

    assert tile(grace.get("/"), "overdue") == 1  # no snapshot yet: computed and kept
    assert Snapshot.objects.get(name="overview").computed_at == NOW

    inspection("Open", due=NOW - 2 * DAY)
    frozen.shift(timedelta(minutes=10))
    response = grace.get("/")
    assert tile(response, "overdue") == 1
    assert "Figures as of" in response.content.decode()
    assert "12 Jun 2024, 10:00" in response.content.decode()
    assert "10\xa0minutes ago" in response.content.decode()

    refresh_overview_snapshot()

    response = grace.get("/")
    assert tile(response, "overdue") == 2
    assert "12 Jun 2024, 10:10" in response.content.decode()


def test_the_refresh_task_stores_the_figures(frozen) -> None:
    build_world(2)

    assert refresh_overview() == NOW.isoformat()

    snapshot = Snapshot.objects.get(name="overview")
    assert snapshot.computed_at == NOW
    assert snapshot.data == compute_overview(NOW)


def test_a_snapshot_of_an_older_layout_is_computed_again(grace, frozen) -> None:
    inspection("Open", due=NOW - DAY)
    Snapshot.objects.create(name="overview", computed_at=NOW - DAY, data={"counts": {}})

    assert tile(grace.get("/"), "overdue") == 1
    assert Snapshot.objects.get(name="overview").computed_at == NOW


@pytest.fixture
def eager_celery(monkeypatch, settings, make_sandbox):
    """A small sandbox as the configured Coupa, and tasks run in this process when they are sent
    (Celery's own switch), so what a sync queues runs here against that sandbox."""
    server = make_sandbox(inspections=12)
    settings.COUPA_BASE_URL = server.url
    settings.COUPA_TOKEN_URL = f"{server.url}/oauth2/token"
    settings.COUPA_CLIENT_ID, settings.COUPA_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    celery_app.finalize()
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    return server


def test_a_sync_under_celery_that_changed_the_cache_refreshes_the_overview(
    eager_celery, django_capture_on_commit_callbacks
) -> None:
    server = eager_celery
    with django_capture_on_commit_callbacks(execute=True):
        run = run_sync("full", client=client_for(server), attachments="queue", tasks=QUEUED)
    assert run.created == 12
    snapshot = Snapshot.objects.get(name="overview")
    assert snapshot.data["counts"]["total"] == 12

    snapshot.delete()
    with django_capture_on_commit_callbacks(execute=True):
        run = run_sync("incremental", client=client_for(server), attachments="queue", tasks=QUEUED)
    assert (run.created, run.updated) == (0, 0)
    assert not Snapshot.objects.exists()  # nothing changed: nothing to refresh


def test_a_sync_outside_celery_leaves_the_overview_to_its_schedule(
    eager_celery, django_capture_on_commit_callbacks
) -> None:
    server = eager_celery
    with django_capture_on_commit_callbacks(execute=True):
        run = run_sync("full", client=client_for(server), attachments="skip")
    assert run.created == 12
    assert not Snapshot.objects.exists()


# --- the page ------------------------------------------------------------------------------


def test_a_manager_sees_the_overview(grace, frozen) -> None:
    build_world(1)
    response = grace.get("/")
    assert response.status_code == 200
    assert tile(response, "overdue") == 3
    html = response.content.decode()
    assert 'data-testid="no-stays"' not in html
    assert 'id="overview-trend-data" type="application/json"' in html
    assert 'id="overview-stage-data" type="application/json"' in html


def test_a_quality_engineer_sees_the_overview(client, engineer, frozen) -> None:
    client.force_login(engineer)
    assert client.get("/").status_code == 200


def test_a_buyer_is_sent_to_their_review_queue(client, buyer) -> None:
    client.force_login(buyer)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/inspections/?status=In+Buyer+Review"


def test_someone_without_a_role_is_refused(client, outsider) -> None:
    client.force_login(outsider)
    assert client.get("/").status_code == 403


def test_signing_in_is_required(client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_only_answers_get(grace) -> None:
    assert grace.post("/").status_code == 405


def test_a_manager_limited_to_suppliers_sees_only_theirs(client, frozen) -> None:
    build_world(1, supplier_id=1)
    build_world(2, supplier_id=2)
    shared = refresh_overview_snapshot()
    lena = make_user("lena", "Manager", suppliers=[2])
    client.force_login(lena)

    response = client.get("/")

    assert tile(response, "overdue") == 6
    assert "for your suppliers only" in response.content.decode()
    count, _ = listed(client, tile_links(response)["overdue"])
    assert count == 6
    assert Snapshot.objects.get(name="overview").data == shared.data


def test_a_limited_managers_figures_are_kept_for_five_minutes(client, frozen) -> None:
    inspection("Open", due=NOW - DAY, supplier_id=2)
    client.force_login(make_user("lena", "Manager", suppliers=[2]))
    assert tile(client.get("/"), "overdue") == 1
    assert Snapshot.objects.filter(name__startswith="overview:suppliers:").count() == 1

    inspection("Open", due=NOW - DAY, supplier_id=2)
    frozen.shift(timedelta(minutes=5) - SECOND)
    assert tile(client.get("/"), "overdue") == 1
    frozen.shift(SECOND)
    assert tile(client.get("/"), "overdue") == 2


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


# --- what it costs -------------------------------------------------------------------------


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
