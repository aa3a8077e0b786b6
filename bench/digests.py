"""Digest benchmark: building the daily digests of many people at once (issue 17, point 7).

    .venv/bin/python bench/digests.py [--users 1000] [--events 10] [--database-url postgres://...]

Migrates a fresh database (a temporary SQLite file, or the given PostgreSQL database: created
when missing and dropped at the end unless --keep-database, emptied first when it exists),
makes --users quality engineers with a mail address and a daily digest due now, publishes
--events rejections that every one of them is told of (users × events unmailed notifications),
then times `build_due_mails()`: each person's notifications locked and read, checked against
what they may still see, rendered into a text and an HTML digest, queued, and marked mailed.
Target: under 60 s for 1,000 users. The load average is printed with the figure.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from machine import cpu_speed, load_average  # bench/ is the script's folder
from sync import in_scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()
    in_scratch_database(args, "digests", _run)


def _run(args) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from qualityhub.accounts.roles import QUALITY_ENGINEER
    from qualityhub.notifications.digests import build_due_mails
    from qualityhub.notifications.kinds import Delivery, Kind
    from qualityhub.notifications.models import (
        Event,
        Notification,
        NotificationSettings,
        OutgoingMail,
    )
    from qualityhub.notifications.publish import EventDraft, publish

    call_command("migrate", verbosity=0)
    User = get_user_model()
    for model in (OutgoingMail, Notification, Event, NotificationSettings):
        model.objects.all().delete()
    User.objects.filter(username__startswith="bench-").delete()
    print(f"database: {connection.vendor}; {cpu_speed()}")

    started = time.perf_counter()
    users = User.objects.bulk_create(
        User(username=f"bench-{n}", email=f"bench-{n}@example.com", password="!")
        for n in range(args.users)
    )
    engineers = Group.objects.get(name=QUALITY_ENGINEER)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=engineers.pk) for user in users
    )
    NotificationSettings.objects.bulk_create(
        NotificationSettings(
            user_id=user.pk,
            kinds=[k.value for k in Kind],
            delivery=Delivery.DAILY,
            digest_hour=0,  # due at any hour
        )
        for user in users
    )
    made = publish(
        EventDraft(
            key=f"bench-rejected:{n}",
            kind=Kind.REJECTED,
            summary=f"Inspection {n} was rejected",
            inspection_id=n,
            supplier_id=1 + n % 7,
        )
        for n in range(1, args.events + 1)
    )
    print(
        f"{args.users} users, {made} unmailed notifications made in "
        f"{time.perf_counter() - started:.1f} s"
    )

    load_before = load_average()
    started = time.perf_counter()
    built = build_due_mails(timezone.now())
    elapsed = time.perf_counter() - started
    mails = OutgoingMail.objects.count()
    left = Notification.objects.filter(mailed_at=None).count()
    verdict = "met" if elapsed < TARGET_SECONDS else "MISSED"
    print(
        f"built {built.digests} digests ({mails} queued, {left} notifications left unmailed) "
        f"in {elapsed:.1f} s ({elapsed / max(built.digests, 1) * 1000:.1f} ms per digest); "
        f"target < {TARGET_SECONDS} s {verdict}; load average before {load_before}, "
        f"after {load_average()} ({os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
