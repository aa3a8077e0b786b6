"""What goes out by mail, and when: one mail per notification for people who chose to be told
at once, one digest a day at each person's hour in their own time zone, and the weekly summary.

`build_due_mails(now)` queues every mail that is due as `OutgoingMail` rows (mail.py sends them).
A notification becomes part of a mail in the same transaction that sets its `mailed_at`, under a
lock on its row, so two builders running at once never mail it twice nor drop it. Each mail's
key (`notification:<id>`, `digest:<user>:<local date>`, `summary:<user>:<ISO week>`) is unique:
a digest or a summary is made once per day or week whoever builds it.

The rule of the bell applies again at build time (`Listener.wants`): a notification the person
may no longer see (their suppliers changed, a right was taken away) or no longer wants is not
mailed; it is marked as settled (`mailed_at`) so that it is not looked at again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qualityhub.notifications.audience import Choices, Listener, listeners
from qualityhub.notifications.kinds import Delivery, Kind
from qualityhub.notifications.mail import absolute, compose, in_language_of, inspection_url
from qualityhub.notifications.models import Notification, OutgoingMail
from qualityhub.notifications.summary import weekly_figures

DIGEST_MAX_LISTED = 50  # a digest lists this many and links to the page for the rest


@dataclass
class BuildSummary:
    immediate: int = 0
    digests: int = 0
    summaries: int = 0
    withheld: int = 0  # notifications not mailed: no longer visible or wanted


def build_due_mails(now: datetime | None = None) -> BuildSummary:
    now = now or timezone.now()
    summary = BuildSummary()
    everyone = listeners()
    # Those who want mail now: immediate ones, and daily ones whose local hour has come and
    # whose digest of that day is not made yet. Only their unmailed rows are looked at (those
    # of people without mail stay unmailed, and are never read here).
    due: dict[int, tuple[Listener, str | None]] = {}
    for person in everyone:
        if not person.email:
            continue
        if person.choices.delivery == Delivery.IMMEDIATE:
            due[person.user_id] = (person, None)
        elif person.choices.delivery == Delivery.DAILY and (key := digest_key(person, now)):
            due[person.user_id] = (person, key)
    made = set(
        OutgoingMail.objects.filter(key__in=[key for _, key in due.values() if key]).values_list(
            "key", flat=True
        )
    )
    due = {user_id: (p, key) for user_id, (p, key) in due.items() if key not in made}
    waiting = (
        Notification.objects.filter(mailed_at=None, user_id__in=list(due))
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    for user_id in list(waiting):
        person, key = due[user_id]
        if key is None:
            mailed, withheld = mail_each(person, now)
            summary.immediate += mailed
        else:
            mailed, withheld = mail_digest(person, key, now)
            summary.digests += mailed
        summary.withheld += withheld
    summary.summaries = build_summaries(now, everyone)
    return summary


def zone_of(choices: Choices) -> ZoneInfo:
    try:
        return ZoneInfo(choices.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day_due(choices: Choices, now: datetime) -> date | None:
    """The person's local date once their digest hour has come that day, else None."""
    local = now.astimezone(zone_of(choices))
    return local.date() if local.hour >= choices.digest_hour else None


def digest_key(person: Listener, now: datetime) -> str | None:
    day = local_day_due(person.choices, now)
    return None if day is None else f"digest:{person.user_id}:{day.isoformat()}"


def _unmailed(person: Listener) -> tuple[list[Notification], list[Notification]]:
    """The person's unmailed notifications, locked, split into those to mail and those to
    withhold. Call inside a transaction."""
    rows = list(
        Notification.objects.select_for_update(of=("self",))
        .filter(user_id=person.user_id, mailed_at=None)
        .select_related("event")
        .order_by("pk")
    )
    wanted = [row for row in rows if person.wants(row.event)]
    return wanted, [row for row in rows if not person.wants(row.event)]


def _settle(rows: list[Notification], now: datetime) -> None:
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(mailed_at=now)


def _item(row: Notification) -> dict:
    """What a mail shows of a notification: call in the recipient's language."""
    event = row.event
    return {
        "summary": event.line,
        "kind": Kind(event.kind).label if event.kind in Kind.values else event.kind,
        "at": event.at,
        "url": inspection_url(event.inspection_id),
        "inspection_id": event.inspection_id,
    }


def mail_each(person: Listener, now: datetime) -> tuple[int, int]:
    """One mail per notification; returns (mails queued, notifications withheld)."""
    with transaction.atomic():
        wanted, withheld = _unmailed(person)
        with in_language_of(person):
            mails = [
                compose(
                    f"notification:{row.pk}",
                    person,
                    row.event.line,
                    "notification",
                    {"item": _item(row)},
                    now,
                )
                for row in wanted
            ]
        OutgoingMail.objects.bulk_create(mails, ignore_conflicts=True)
        _settle(wanted + withheld, now)
    return len(mails), len(withheld)


def mail_digest(person: Listener, key: str, now: datetime) -> tuple[int, int]:
    """Today's digest of everything unmailed; returns (1 or 0, notifications withheld)."""
    with transaction.atomic():
        wanted, withheld = _unmailed(person)
        # What the person already read in the app is no news by the next morning.
        withheld += [row for row in wanted if row.read_at is not None]
        wanted = [row for row in wanted if row.read_at is None]
        if wanted:
            count = len(wanted)
            with in_language_of(person):
                listed = [_item(row) for row in wanted[-DIGEST_MAX_LISTED:][::-1]]  # newest first
                subject = ngettext(
                    "QualityHub: %(count)s notification today",
                    "QualityHub: %(count)s notifications today",
                    count,
                ) % {"count": count}
                mail = compose(
                    key,
                    person,
                    subject,
                    "digest",
                    {"items": listed, "count": count, "more": count - len(listed)},
                    now,
                )
            try:
                with transaction.atomic():
                    mail.save(force_insert=True)
            except IntegrityError:
                return 0, 0  # another builder made today's digest: what it left waits
        _settle(wanted + withheld, now)
    return int(bool(wanted)), len(withheld)


# --- the weekly summary ----------------------------------------------------------------------


def summary_key(person: Listener, now: datetime) -> str | None:
    """`summary:<user>:<ISO year-week>` once the person's summary day and hour have come that
    week (a summary missed on its day goes out later the same week, never twice)."""
    local = now.astimezone(zone_of(person.choices))
    weekday = settings.NOTIFICATION_SUMMARY_WEEKDAY
    if local.weekday() < weekday or (
        local.weekday() == weekday and local.hour < person.choices.digest_hour
    ):
        return None
    year, week, _ = local.isocalendar()
    return f"summary:{person.user_id}:{year}-W{week:02d}"


def build_summaries(now: datetime, everyone: list[Listener] | None = None) -> int:
    due = {}
    for person in listeners() if everyone is None else everyone:
        if person.email and person.choices.weekly_summary and (key := summary_key(person, now)):
            due[key] = person
    made = set(OutgoingMail.objects.filter(key__in=list(due)).values_list("key", flat=True))
    mails = [summary_mail(person, key, now) for key, person in due.items() if key not in made]
    OutgoingMail.objects.bulk_create(mails, ignore_conflicts=True)
    return len(mails)


def summary_mail(person: Listener, key: str, now: datetime) -> OutgoingMail:
    figures = weekly_figures(person.access, now)
    context = {
        "figures": figures,
        "overview_url": absolute(reverse("overview")),
        "suppliers_url": absolute(reverse("supplier-list")),
        "week": key.rsplit(":", 1)[1],
    }
    with in_language_of(person):
        subject = _("QualityHub: your week (%(week)s)") % {"week": context["week"]}
        return compose(key, person, subject, "summary", context, now)
