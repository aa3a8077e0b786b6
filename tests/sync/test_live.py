"""/live/: what an open page asks every LIVE_POLL_SECONDS. "Nothing new" costs no query of its
own; a change is told only to readers who may see the changed inspections."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qualityhub.analytics.models import Snapshot
from qualityhub.analytics.overview import SNAPSHOT_NAME
from qualityhub.inspections.models import Inspection
from qualityhub.sync import live
from qualityhub.sync.freshness import forget_freshness, freshness
from qualityhub.sync.models import SyncRun
from qualityhub.sync.templatetags.live import cue_key
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = "/live/"


@pytest.fixture(autouse=True)
def cache_world():
    """Ten inspections of suppliers 6 and 7, a sync that wrote them ten minutes ago."""
    forget_freshness()
    earlier = timezone.now() - timedelta(minutes=10)
    for coupa_id in range(1, 11):
        Inspection.objects.create(
            coupa_id=coupa_id,
            status="Open" if coupa_id % 2 else "Closed",
            due_date=earlier,
            supplier_id=6 if coupa_id <= 5 else 7,
            modified_at=earlier - timedelta(minutes=coupa_id),
            content_hash=f"hash{coupa_id}",
        )
    _sync_finished(earlier)
    yield
    forget_freshness()


def _sync_finished(at=None) -> None:
    at = at or timezone.now()
    SyncRun.objects.create(
        mode=SyncRun.Mode.INCREMENTAL, started_at=at, finished_at=at, outcome="succeeded"
    )
    forget_freshness()


def _coupa_changed(*coupa_ids: int, **fields) -> None:
    """What a sync writes for inspections Coupa changed: a later `modified_at`, a new hash."""
    for coupa_id in coupa_ids:
        Inspection.objects.filter(coupa_id=coupa_id).update(
            modified_at=timezone.now(), content_hash=f"new{coupa_id}", **fields
        )
    _sync_finished()


def _page_markers() -> dict:
    return {"cue": cue_key(freshness()), "since": live.marker(live.newest_change())}


def _ask(client, **query):
    return client.get(URL, query)


def test_nothing_new_is_a_204_that_asks_the_database_nothing_of_its_own(
    signed_in, django_assert_max_num_queries
) -> None:
    markers = _page_markers()
    _ask(signed_in, **markers, view="list")  # warm the session and freshness caches
    with CaptureQueriesContext(connection) as asked:
        response = _ask(signed_in, **markers, view="list", filters="status=Open")
    assert response.status_code == 204 and response.content == b""
    tables = " ".join(query["sql"] for query in asked.captured_queries)
    assert "inspections_" not in tables and "sync_" not in tables and "analytics_" not in tables
    with django_assert_max_num_queries(2):  # the session and the user, as for any request
        _ask(signed_in, **markers, view="detail", inspection="1", version="hash1")


def test_a_finished_sync_changes_the_cue_and_tells_the_list_how_many_changed(
    signed_in, django_assert_max_num_queries
) -> None:
    markers = _page_markers()
    _coupa_changed(2, 3)
    _ask(signed_in, **markers, view="list")  # warm the session, access and freshness caches
    with django_assert_max_num_queries(3):  # the session, the user, the changed rows
        response = _ask(signed_in, **markers, view="list")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Synced just now" in html
    assert 'data-testid="live-notice"' in html
    assert "2 inspections changed" in html and "show them" in html
    assert cue_key(freshness()) in html  # the page's cue carries its new key


def test_the_count_follows_the_list_filters_and_show_them_keeps_them(signed_in) -> None:
    markers = _page_markers()
    _coupa_changed(2, 3, 4)  # 3 is Open, 2 and 4 Closed
    html = _ask(signed_in, **markers, view="list", filters="status=Open&after=abc").content
    assert "1 inspection changed" in html.decode()
    assert 'hx-get="?status=Open"' in html.decode()  # the first page of the same filters
    html = _ask(signed_in, **markers, view="list", filters="status=Closed").content.decode()
    assert "2 inspections changed" in html


def test_a_list_whose_rows_did_not_change_gets_only_the_new_cue(signed_in) -> None:
    markers = _page_markers()
    _sync_finished()
    html = _ask(signed_in, **markers, view="list").content.decode()
    assert "Synced just now" in html and "live-notice" not in html


def test_a_limited_buyer_never_hears_of_other_suppliers_changes(client) -> None:
    client.force_login(make_user("bea", "Buyer", suppliers=[6]))
    markers = _page_markers()
    _coupa_changed(7, 8)  # supplier 7's
    html = _ask(client, **markers, view="list").content.decode()
    assert "changed" not in html
    html = _ask(client, cue=markers["cue"], view="detail", inspection="7", version="hash7")
    assert "changed" not in html.content.decode()
    _coupa_changed(2)  # one of supplier 6's, among more of supplier 7's
    _coupa_changed(9, 10)
    html = _ask(client, **markers, view="list").content.decode()
    assert "1 inspection changed" in html


def test_a_detail_page_hears_that_its_inspection_changed_or_went(signed_in) -> None:
    cue = cue_key(freshness())
    _coupa_changed(4)
    html = _ask(signed_in, cue=cue, view="detail", inspection="3", version="hash3").content
    assert "live-notice" not in html.decode()  # another one changed
    html = _ask(signed_in, cue=cue, view="detail", inspection="4", version="hash4").content
    assert "This inspection changed in Coupa since this page was opened" in html.decode()
    assert 'href="/inspections/4/"' in html.decode()
    Inspection.objects.filter(coupa_id=5).update(gone_at=timezone.now())
    _sync_finished()
    html = _ask(signed_in, cue=cue, view="detail", inspection="5", version="hash5").content
    assert "This inspection is no longer in Coupa" in html.decode()


def test_the_overview_reloads_once_newer_figures_exist(client) -> None:
    client.force_login(make_user("grace", "Manager"))
    drawn = timezone.now() - timedelta(minutes=3)
    Snapshot.objects.create(name=SNAPSHOT_NAME, computed_at=drawn, data={"version": 1})
    page = {"cue": "old.old", "view": "overview", "figures": live.marker(drawn)}
    assert "data-live-reload" not in _ask(client, **page).content.decode()
    Snapshot.objects.filter(name=SNAPSHOT_NAME).update(computed_at=timezone.now())
    assert "data-live-reload" in _ask(client, **page).content.decode()


def test_it_needs_a_signed_in_user(client) -> None:
    response = _ask(client, cue="x")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # As live.js asks: a 401, on which it stops asking.
    assert client.get(URL, {"cue": "x"}, headers={"HX-Request": "true"}).status_code == 401


def test_a_user_in_no_role_hears_only_the_cue(client) -> None:
    client.force_login(make_user("otto", None))
    markers = _page_markers()
    _coupa_changed(2)
    html = _ask(client, **markers, view="list").content.decode()
    assert "Synced just now" in html and "changed" not in html
    html = _ask(client, cue="x", view="detail", inspection="2", version="x").content.decode()
    assert "changed" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"since": "9" * 5000, "view": "list"},
        {"since": "-1", "view": "list"},
        {"since": "253402300799999999", "view": "list"},
        {"since": "1", "view": "list", "filters": "status=" + "x" * 10_000},
        {"since": "1", "view": "list", "filters": "due_after=99999-01-01&supplier=abc&size=%00"},
        {"view": "detail", "inspection": "9" * 40, "version": "v" * 10_000},
        {"view": "overview", "figures": "1e400"},
        {"view": "elsewhere"},
        {"cue": "\x00" * 100},
    ],
)
def test_hostile_questions_are_answered_never_with_a_500(signed_in, query) -> None:
    assert _ask(signed_in, **{"cue": "stale.stale", **query}).status_code in (200, 204)


def test_markers_travel_as_whole_microseconds() -> None:
    moment = timezone.now()
    assert live.from_marker(int(live.marker(moment))) == moment
    assert live.marker(None) == "0"
    assert live.from_marker(live.MAX_MARKER).year == 9999
