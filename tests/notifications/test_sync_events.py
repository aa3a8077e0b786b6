"""The sync's events against the sandbox over HTTP: told once however often a page is written
(a run repeated, every page rewritten, a page rolled back), never to a buyer of other
suppliers, and in a number of queries per page that does not depend on who is told."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qualityhub.inspections.models import Inspection
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.models import Event, Notification, NotificationSettings
from qualityhub.notifications.scan import scan_time_events
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import run_sync, write_page
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def _sync(server, mode: str = "full") -> SyncRun:
    run = run_sync(mode, client=client_for(server), attachments="skip")
    assert run.outcome == "succeeded", run.message
    return run


def _told() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("user__username", "event__key"))


def _close_everything(server) -> list[int]:
    """Open → In Progress → In Buyer Review → Closed upstream: returns the ids closed now."""
    server.advance(1000)
    server.advance(1000)
    return server.advance(1000)


def _everyone_hears_everything(*users) -> None:
    for user in users:
        NotificationSettings.objects.create(user=user, kinds=list(Kind.values))


def test_a_sync_run_twice_tells_each_person_once(small_coupa, engineer, buyer) -> None:
    _sync(small_coupa)
    scan_time_events(timezone.now())
    _close_everything(small_coupa)
    _sync(small_coupa, "incremental")
    scan_time_events(timezone.now())
    first = _told()
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {Kind.REJECTED, Kind.MARGINAL} <= kinds
    assert ("priya", "rejected") in {(user, key.split(":")[0]) for user, key in first}
    # The same again: nothing new upstream, then every page rewritten as if never seen.
    _sync(small_coupa, "incremental")
    Inspection.objects.update(content_hash="")
    run = _sync(small_coupa)
    assert run.updated == 120
    scan_time_events(timezone.now())
    assert _told() == first
    assert Event.objects.count() == len({key for _, key in first} | _unheard_keys())


def _unheard_keys() -> set[str]:
    return set(Event.objects.filter(notifications=None).values_list("key", flat=True))


def test_a_first_sync_tells_only_of_the_last_days_not_of_history(small_coupa, engineer) -> None:
    _sync(small_coupa)
    window = timezone.now() - timezone.timedelta(days=3)
    for event in Event.objects.filter(kind__in=[Kind.REJECTED, Kind.MARGINAL]):
        assert event.at >= window, event.key
    closed_long_ago = Inspection.objects.filter(
        review_decision="Rejected", reviewed_date__lt=window
    ).count()
    assert closed_long_ago > 0  # the sandbox has history, and none of it was told


def test_a_page_rolled_back_tells_nobody_and_is_told_once_when_written_again(
    small_coupa, engineer
) -> None:
    closed = _close_everything(small_coupa)
    client = client_for(small_coupa)
    records = [client.get_inspection_raw(coupa_id) for coupa_id in closed[:50]]
    run = SyncRun.objects.create(mode="full", started_at=timezone.now())
    with pytest.raises(RuntimeError), transaction.atomic():
        write_page(client, run, records)
        assert Notification.objects.exists()  # told inside the page's transaction
        raise RuntimeError("the worker died before the page committed")
    assert not Notification.objects.exists() and not Event.objects.exists()
    write_page(client, run, records)
    told = _told()
    assert told
    Inspection.objects.update(content_hash="")
    write_page(client, run, records)  # a redelivered task writes the page again
    assert _told() == told


def test_a_buyer_of_other_suppliers_hears_none_of_it(small_coupa, engineer) -> None:
    elsewhere = make_user("bruno", "Buyer", suppliers=[999_999])
    _everyone_hears_everything(elsewhere, engineer)
    _sync(small_coupa)
    _close_everything(small_coupa)
    _sync(small_coupa, "incremental")
    scan_time_events(timezone.now())
    assert Notification.objects.filter(user=engineer).exists()
    assert not Notification.objects.filter(user=elsewhere).exists()


def test_a_buyer_of_one_supplier_hears_of_that_supplier_only(small_coupa) -> None:
    _sync(small_coupa)
    _close_everything(small_coupa)
    supplier = (
        Inspection.objects.filter(review_decision="Rejected")
        .order_by("-reviewed_date")
        .values_list("supplier_id", flat=True)
        .first()
    )
    mine = make_user("bea", "Buyer", suppliers=[supplier])
    _everyone_hears_everything(mine)
    Inspection.objects.update(content_hash="")
    _sync(small_coupa)
    scan_time_events(timezone.now())
    suppliers = set(
        Notification.objects.filter(user=mine).values_list("event__supplier_id", flat=True)
    )
    assert suppliers == {supplier}


def test_a_pages_queries_do_not_grow_with_the_people_told(small_coupa, engineer) -> None:
    closed = _close_everything(small_coupa)
    client = client_for(small_coupa)
    records = [client.get_inspection_raw(coupa_id) for coupa_id in closed[:50]]
    run = SyncRun.objects.create(mode="full", started_at=timezone.now())

    def write() -> tuple[int, int]:
        Inspection.objects.update(content_hash="")
        Event.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            write_page(client, run, records)
        return Notification.objects.count(), len(queries)

    write()  # the first write creates the inspections; compare rewrites
    told_one, queries_one = write()
    for n in range(20):
        make_user(f"engineer{n}", "Quality engineer")
    told_many, queries_many = write()
    assert told_many == 21 * told_one > 0
    assert queries_many == queries_one
