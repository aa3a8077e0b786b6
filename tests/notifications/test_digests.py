"""The daily digest: at each person's hour in their own time zone, once a local day, with what
they may still see, and only for those who chose it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qualityhub.notifications.digests import build_due_mails
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.mail import send_due
from qualityhub.notifications.models import Event, Notification, OutgoingMail
from tests.notifications.mail_server import (
    DAILY,
    inbox_fixture,  # noqa: F401
    person,
    smtp_fixture,  # noqa: F401
    told,
)

pytestmark = pytest.mark.django_db


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_it_waits_for_the_persons_hour_in_their_time_zone(smtp, inbox) -> None:
    # 07:00 in New York is 12:00 UTC in December.
    nadia = person(
        "nadia", "Quality engineer", delivery=DAILY, digest_hour=7, time_zone="America/New_York"
    )
    told(3)
    assert build_due_mails(utc("2026-12-07T11:59")).digests == 0
    assert OutgoingMail.objects.count() == 0

    assert build_due_mails(utc("2026-12-07T12:00")).digests == 1
    digest = OutgoingMail.objects.get()
    assert digest.key == f"digest:{nadia.pk}:2026-12-07"
    assert digest.subject == "QualityHub: 3 notifications today"
    for coupa_id in (1, 2, 3):
        assert f"https://qualityhub.example.com/inspections/{coupa_id}/" in digest.text
        assert f"https://qualityhub.example.com/inspections/{coupa_id}/" in digest.html
    assert not Notification.objects.filter(mailed_at=None).exists()

    assert send_due(utc("2026-12-07T12:00")).sent == 1
    assert inbox.received[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_digest_a_local_day_and_what_comes_after_waits_for_the_next(smtp) -> None:
    tokyo = person(
        "kenji", "Quality engineer", delivery=DAILY, digest_hour=8, time_zone="Asia/Tokyo"
    )
    told(1)
    assert build_due_mails(utc("2026-12-07T00:00")).digests == 1  # 09:00 in Tokyo
    told(1, start=2)
    assert build_due_mails(utc("2026-12-07T05:00")).digests == 0  # same day in Tokyo
    assert Notification.objects.filter(mailed_at=None).count() == 1
    # 23:30 UTC is already the next morning in Tokyo (08:30, 8 December).
    assert build_due_mails(utc("2026-12-07T23:30")).digests == 1
    assert sorted(OutgoingMail.objects.values_list("key", flat=True)) == [
        f"digest:{tokyo.pk}:2026-12-07",
        f"digest:{tokyo.pk}:2026-12-08",
    ]


def test_a_digest_holds_only_the_suppliers_the_person_may_see(smtp) -> None:
    """Security: a buyer limited to supplier 10 never reads of supplier 20, even when a
    notification of it exists (made before her assignment changed)."""
    lena = person(
        "lena", "Buyer", suppliers=[10], delivery=DAILY, digest_hour=0, kinds=[Kind.REJECTED]
    )
    told(1, supplier_id=10)
    told(1, supplier_id=20, start=2)
    assert Notification.objects.filter(user=lena).count() == 1  # publish scoped already
    stale = Event.objects.get(inspection_id=2)
    Notification.objects.create(event=stale, user=lena, created_at=stale.at)

    built = build_due_mails(utc("2026-12-07T09:00"))
    assert (built.digests, built.withheld) == (1, 1)
    digest = OutgoingMail.objects.get(user=lena)
    assert "/inspections/1/" in digest.text and "/inspections/2/" not in digest.text
    assert "Inspection 2" not in digest.html
    assert digest.subject == "QualityHub: 1 notification today"


def test_nothing_visible_left_makes_no_digest(smtp) -> None:
    lena = person(
        "lena", "Buyer", suppliers=[10], delivery=DAILY, digest_hour=0, kinds=[Kind.REJECTED]
    )
    told(1, supplier_id=10)
    lena.supplier_assignments.all().delete()
    lena.supplier_assignments.create(supplier_id=30)
    built = build_due_mails(utc("2026-12-07T09:00"))
    assert (built.digests, built.withheld) == (0, 1)
    assert not OutgoingMail.objects.exists()


def test_a_digest_leaves_out_what_was_read_in_the_app(smtp) -> None:
    person("priya", "Quality engineer", delivery=DAILY, digest_hour=0)
    told(3)
    Notification.objects.filter(event__inspection_id=2).update(read_at=utc("2026-12-07T08:00"))
    built = build_due_mails(utc("2026-12-07T09:00"))
    assert (built.digests, built.withheld) == (1, 1)
    digest = OutgoingMail.objects.get()
    assert digest.subject == "QualityHub: 2 notifications today"
    assert "/inspections/2/" not in digest.text
    assert not Notification.objects.filter(mailed_at=None).exists()


def test_a_digest_lists_fifty_and_links_to_the_rest(smtp) -> None:
    person("priya", "Quality engineer", delivery=DAILY, digest_hour=0)
    told(60)
    build_due_mails(utc("2026-12-07T09:00"))
    digest = OutgoingMail.objects.get()
    assert digest.text.count("/inspections/") == 50
    assert "and 10 more" in digest.text and "and 10 more" in digest.html


def test_the_role_defaults_give_a_daily_digest_at_seven_utc(smtp) -> None:
    priya = person("priya", "Quality engineer")  # no stored choices
    told(1)
    assert build_due_mails(utc("2026-12-07T06:59")).digests == 0
    assert build_due_mails(utc("2026-12-07T07:00")).digests == 1
    assert OutgoingMail.objects.get().key == f"digest:{priya.pk}:2026-12-07"


def test_building_for_many_people_costs_a_few_queries_each(smtp, django_assert_max_num_queries):
    for n in range(20):
        person(f"p{n}", "Quality engineer", delivery=DAILY, digest_hour=0)
    told(5)
    # Per person: a savepoint, their rows locked and read, the digest written, the rows marked.
    with django_assert_max_num_queries(20 * 7 + 20):
        assert build_due_mails(utc("2026-12-07T09:00")).digests == 20
