"""The monthly review pack by mail: on the 1st, each subscriber gets last month's pack of each
supplier they subscribed to, as a PDF attached to a notification mail (issue 17's channel: the
`OutgoingMail` queue, its sender, its unsubscribe link).

Exactly once per subscriber, supplier and month: the mail's key `pack:<user>:<supplier>:<YYYY-MM>`
is unique in the queue, so a second run (beat twice, a retry, two workers) finds it made and
builds nothing, and a race between two runs ends with one insert refused. Access is read again
for each mail: a subscriber who may no longer see the supplier (or the scorecards) gets nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityhub.directory.names import supplier_name
from qualityhub.notifications.audience import Listener, listeners
from qualityhub.notifications.kinds import Delivery
from qualityhub.notifications.mail import absolute, compose, in_language_of
from qualityhub.notifications.models import MailAttachment, OutgoingMail
from qualityhub.reports.models import PackSubscription
from qualityhub.reports.pack import PackPeriod, last_full_month, pack_pdf

PERMISSION = "view_supplier_performance"


def pack_key(user_id: int, supplier_id: int, period: PackPeriod) -> str:
    return f"pack:{user_id}:{supplier_id}:{period.first_day:%Y-%m}"


def may_receive(person: Listener, supplier_id: int) -> bool:
    """The gate of the download, applied again for each mail; and mail not turned off (the
    unsubscribe link in every mail turns delivery off: no pack mail after it either)."""
    return (
        bool(person.email)
        and person.access.allows(PERMISSION)
        and person.access.sees_supplier(supplier_id)
        and person.choices.delivery != Delivery.OFF
    )


@dataclass
class MonthlyRun:
    queued: int = 0
    already: int = 0
    refused: int = 0


def queue_monthly_packs(now: datetime | None = None) -> MonthlyRun:
    """Last month's pack for every subscription not yet served this month, queued as mail."""
    now = now or timezone.now()
    period = last_full_month(timezone.localdate(now))
    run = MonthlyRun()
    subscriptions = list(
        PackSubscription.objects.order_by("user_id", "supplier_id").values_list(
            "user_id", "supplier_id"
        )
    )
    people = {person.user_id: person for person in listeners({u for u, _s in subscriptions})}
    keys = {pack_key(u, s, period) for u, s in subscriptions}
    made = set(OutgoingMail.objects.filter(key__in=keys).values_list("key", flat=True))
    for user_id, supplier_id in subscriptions:
        key = pack_key(user_id, supplier_id, period)
        person = people.get(user_id)
        if key in made:
            run.already += 1
        elif person is None or not may_receive(person, supplier_id):
            run.refused += 1
        elif queue_pack_mail(key, person, supplier_id, period, now):
            run.queued += 1
        else:
            run.already += 1
    return run


def queue_pack_mail(
    key: str, person: Listener, supplier_id: int, period: PackPeriod, now: datetime
) -> bool:
    """One mail with the pack attached, in the person's language (read with the listeners);
    False when another run made it first."""
    with in_language_of(person):
        filename, pdf = pack_pdf(supplier_id, period)
        name = supplier_name(supplier_id).text
        subject = _("QualityHub: review pack of %(supplier)s, %(month)s") % {
            "supplier": name,
            "month": f"{period.first_day:%Y-%m}",
        }
        context = {
            "supplier": name,
            "period": period,
            "filename": filename,
            "scorecard_url": absolute(reverse("supplier-detail", args=[supplier_id])),
        }
        mail = compose(key, person, subject, "review_pack", context, now)
    try:
        with transaction.atomic():
            mail.save(force_insert=True)
            MailAttachment.objects.create(
                mail=mail, filename=filename, content_type="application/pdf", content=pdf
            )
    except IntegrityError:
        return False
    return True


def subscribed(user_id: int, supplier_id: int) -> bool:
    return PackSubscription.objects.filter(user_id=user_id, supplier_id=supplier_id).exists()


def subscribe(user_id: int, supplier_id: int, on: bool) -> None:
    if on:
        PackSubscription.objects.get_or_create(user_id=user_id, supplier_id=supplier_id)
    else:
        PackSubscription.objects.filter(user_id=user_id, supplier_id=supplier_id).delete()
