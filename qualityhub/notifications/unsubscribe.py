"""The one-click unsubscribe token: signed for one user, so that it can be neither forged nor
moved to another person (the user id is inside the signed value, and the salt is this purpose's
alone: no other signed value of QualityHub is accepted here)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.db import transaction

from qualityhub.notifications.audience import defaults_for, listener
from qualityhub.notifications.kinds import Delivery
from qualityhub.notifications.models import NotificationSettings

SALT = "qualityhub.notifications.unsubscribe"
ALL_MAIL = "all-mail"  # what the token stops: every notification mail and the weekly summary
MAX_TOKEN_LENGTH = 300


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    stops: str


def token_for(user_id: int, stops: str = ALL_MAIL) -> str:
    # Signed with the time (`dumps`), but read with no age limit: a link keeps working for as
    # long as its mail is kept.
    return signing.dumps({"u": user_id, "s": stops}, salt=SALT, compress=False)


def read_token(token: str) -> Unsubscribe | None:
    """The request a token carries, or None if it is not one we signed."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, stops = data.get("u"), data.get("s")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or stops != ALL_MAIL:
        return None
    return Unsubscribe(user_id, stops)


def unsubscribe(request: Unsubscribe) -> bool:
    """No more mail for this person: delivery off and no weekly summary. Their notifications
    still reach the bell. False when the user no longer exists or is inactive."""
    person = listener(request.user_id)
    if person is None:
        return False
    defaults = defaults_for(person.access.roles)
    with transaction.atomic():
        NotificationSettings.objects.get_or_create(
            user_id=person.user_id,
            defaults={  # no row yet: the role's defaults become the person's choices
                "kinds": sorted(defaults.kinds),
                "digest_hour": defaults.digest_hour,
                "time_zone": defaults.time_zone,
            },
        )
        NotificationSettings.objects.filter(user_id=person.user_id).update(
            delivery=Delivery.OFF, weekly_summary=False
        )
    return True
