"""The bell, the notifications page and the settings page, as a person uses them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qualityhub.notifications.kinds import Delivery, Kind
from qualityhub.notifications.models import Event, Notification, NotificationSettings
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def notify(user, key: str, *, supplier_id: int = 5, inspection_id: int = 1, read=False):
    event, _ = Event.objects.get_or_create(
        key=key,
        defaults={
            "kind": Kind.REJECTED,
            "at": timezone.now(),
            "summary": f"Inspection {inspection_id} was rejected ({key})",
            "inspection_id": inspection_id,
            "supplier_id": supplier_id,
        },
    )
    return Notification.objects.create(
        event=event, user=user, created_at=timezone.now(), read_at=timezone.now() if read else None
    )


def bell(client) -> str:
    response = client.get(reverse("notification-bell"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_bell_counts_my_unread_notifications_only(client, engineer) -> None:
    other = make_user("ana", "Quality engineer")
    notify(engineer, "a")
    notify(engineer, "b", read=True)
    notify(other, "a")
    notify(other, "c")
    client.force_login(engineer)
    page = bell(client)
    assert 'data-unread="1"' in page and ">1<" in page


def test_the_bell_stops_counting_at_a_hundred(client, engineer) -> None:
    for index in range(101):
        notify(engineer, f"k{index}")
    client.force_login(engineer)
    assert "99+" in bell(client)


def test_the_bell_costs_one_query_after_the_session(client, engineer) -> None:
    notify(engineer, "a")
    client.force_login(engineer)
    bell(client)  # the session and the access are cached after the first request
    with CaptureQueriesContext(connection) as queries:
        bell(client)
    counted = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(counted) == 1, counted
    assert len(queries) <= 3, [q["sql"] for q in queries]


def test_no_page_pays_for_the_bell(signed_in) -> None:
    page = signed_in.get(reverse("inspection-list")).content.decode()
    assert 'hx-get="/notifications/bell/"' in page and 'hx-trigger="load"' in page


def test_a_buyer_no_longer_sees_what_a_supplier_taken_away_had_let_in(client) -> None:
    buyer = make_user("bea", "Buyer", suppliers=[5])
    notify(buyer, "mine", supplier_id=5)
    notify(buyer, "theirs", supplier_id=6)  # made while the buyer still had supplier 6
    client.force_login(buyer)
    assert 'data-unread="1"' in bell(client)
    page = client.get(reverse("notification-list")).content.decode()
    assert "(mine)" in page and "(theirs)" not in page


def test_the_page_lists_newest_first_and_filters_unread(client, engineer) -> None:
    notify(engineer, "old", read=True)
    notify(engineer, "new")
    client.force_login(engineer)
    page = client.get(reverse("notification-list")).content.decode()
    assert page.index("(new)") < page.index("(old)")
    unread = client.get(reverse("notification-list") + "?show=unread").content.decode()
    assert "(new)" in unread and "(old)" not in unread


def test_the_page_pages_by_fifty(client, engineer) -> None:
    for index in range(55):
        notify(engineer, f"n{index:02d}")
    client.force_login(engineer)
    first = client.get(reverse("notification-list")).content.decode()
    assert first.count("data-notification=") == 50 and 'rel="next"' in first
    oldest_shown = Notification.objects.order_by("-pk")[49].pk
    second = client.get(reverse("notification-list") + f"?before={oldest_shown}").content.decode()
    assert second.count("data-notification=") == 5 and 'rel="next"' not in second


@pytest.mark.parametrize("before", ["x", "-1", "9" * 40, "1e3", ""])
def test_a_stray_paging_value_shows_the_first_page(client, engineer, before) -> None:
    notify(engineer, "a")
    client.force_login(engineer)
    response = client.get(reverse("notification-list"), {"before": before})
    assert response.status_code == 200 and "(a)" in response.content.decode()


def test_opening_a_notification_reads_it_and_shows_its_inspection(client, engineer) -> None:
    mine = notify(engineer, "a", inspection_id=42)
    client.force_login(engineer)
    response = client.post(reverse("notification-read", args=[mine.pk]), {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("inspection-detail", args=[42])
    mine.refresh_from_db()
    assert mine.is_read


def test_a_notifications_address_leads_to_its_inspection_and_changes_nothing(
    client, engineer
) -> None:
    mine = notify(engineer, "a", inspection_id=42)
    client.force_login(engineer)
    response = client.get(reverse("notification-open", args=[mine.pk]))
    assert response["Location"] == reverse("inspection-detail", args=[42])
    mine.refresh_from_db()
    assert not mine.is_read


def test_nobody_opens_or_reads_another_persons_notification(client, engineer) -> None:
    theirs = notify(make_user("ana", "Quality engineer"), "a")
    client.force_login(engineer)
    assert client.get(reverse("notification-open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notification-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_mark_one_and_all_read(client, engineer) -> None:
    first, second, third = (notify(engineer, key) for key in "abc")
    other = notify(make_user("ana", "Quality engineer"), "a")
    client.force_login(engineer)
    client.post(reverse("notification-read", args=[first.pk]))
    assert set(Notification.objects.filter(read_at=None).values_list("pk", flat=True)) == {
        second.pk,
        third.pk,
        other.pk,
    }
    response = client.post(reverse("notification-read-all"), follow=True)
    assert "Marked 2 notifications read." in response.content.decode()
    assert list(Notification.objects.filter(read_at=None)) == [other]


def test_settings_start_from_the_role_defaults(client, buyer) -> None:
    client.force_login(buyer)
    client.cookies["tz"] = "Europe/Berlin"
    page = client.get(reverse("notification-settings")).content.decode()
    assert 'data-testid="role-defaults"' in page
    assert 'value="review-waiting" class="form-check-input" id="id_kinds_2" checked' in page
    assert 'value="rejected" class="form-check-input" id="id_kinds_3" checked' not in page
    assert '<option value="Europe/Berlin" selected>' in page


def valid(**changes) -> dict:
    return {
        "kinds": [Kind.REJECTED, Kind.OVERDUE],
        "delivery": Delivery.IMMEDIATE,
        "digest_hour": "6",
        "time_zone": "America/Chicago",
        "weekly_summary": "on",
        "suppliers": ["5", "6"],
        "items": ["70"],
    } | changes


def test_settings_are_saved_and_read_back(client, engineer) -> None:
    client.force_login(engineer)
    response = client.post(reverse("notification-settings"), valid(), follow=True)
    assert "Notification settings saved." in response.content.decode()
    row = NotificationSettings.objects.get(user=engineer)
    assert sorted(row.kinds) == ["overdue", "rejected"]
    assert (row.supplier_ids, row.item_ids) == ([5, 6], [70])
    assert (row.delivery, row.digest_hour, row.time_zone, row.weekly_summary) == (
        "immediate",
        6,
        "America/Chicago",
        True,
    )
    page = client.get(reverse("notification-settings")).content.decode()
    assert 'data-testid="role-defaults"' not in page
    assert '<option value="America/Chicago" selected>' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"suppliers": ["abc"]}, "is not a Coupa id"),
        ({"items": ["-4"]}, "is not a Coupa id"),
        ({"suppliers": [str(n) for n in range(1, 102)]}, "Choose at most 100."),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice"),
        ({"digest_hour": "25"}, "Select a valid choice"),
        ({"delivery": "pigeon"}, "Select a valid choice"),
        ({"kinds": ["everything"]}, "Select a valid choice"),
    ],
)
def test_bad_settings_are_refused_with_a_message(client, engineer, changes, message) -> None:
    client.force_login(engineer)
    response = client.post(reverse("notification-settings"), valid(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NotificationSettings.objects.exists()


def test_a_limited_buyer_cannot_choose_another_supplier(client) -> None:
    buyer = make_user("bea", "Buyer", suppliers=[5])
    client.force_login(buyer)
    response = client.post(reverse("notification-settings"), valid(suppliers=["5", "6"]))
    assert "You do not see supplier 6." in response.content.decode()
    assert not NotificationSettings.objects.exists()


def test_back_to_the_role_defaults(client, engineer) -> None:
    NotificationSettings.objects.create(user=engineer, kinds=[])
    client.force_login(engineer)
    client.post(reverse("notification-settings"), {"reset": "1"})
    assert not NotificationSettings.objects.exists()
