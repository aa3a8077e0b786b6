"""Coupa's words, defined once: an inspection's status and review decision, a characteristic's
kind (required or optional) and value type.

The schema reads Coupa's spellings into these values (lower case for a characteristic's), the
cache stores them, the rules and the pages test them, and the new-inspection form offers them
(the labels are the form's). Coupa writes a characteristic's words in upper case on the wire
(`REQUIRED`, `NUMERIC`); `outbound` upper-cases these.
"""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Status(TextChoices):
    OPEN = "Open"
    IN_PROGRESS = "In Progress"
    IN_BUYER_REVIEW = "In Buyer Review"
    CLOSED = "Closed"


class Decision(TextChoices):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class CharacteristicKind(TextChoices):
    """Whether a characteristic counts towards the inspection's verdict (Coupa's `type`)."""

    REQUIRED = "required", _("Required")
    OPTIONAL = "optional", _("Optional")


class ValueType(TextChoices):
    """What a characteristic records (Coupa's `valueType`), in the order the form offers them."""

    NUMERIC = "numeric", _("Numeric")
    CHOICE = "choice", _("Choice")
    DECISION = "decision", _("Decision (yes/no)")
    NONE = "none", _("None")


#: Every status but Closed: an inspection in one of them is still being worked on (it can be
#: overdue, and the stage analytics time how long it stays).
OPEN_STATUSES = tuple(status.value for status in Status if status != Status.CLOSED)

# Plain strings out, as read from Coupa's JSON. "Awaiting Buyer Review" is the supplier portal's
# wording.
_STATUS_BY_KEY = {status.value.lower().replace(" ", ""): status.value for status in Status}
_STATUS_BY_KEY["awaitingbuyerreview"] = Status.IN_BUYER_REVIEW.value


def normalise_status(value: str | None) -> str | None:
    """A status in any casing, spacing, ``_`` or ``-`` as one of ours; an unknown one as sent
    (stripped)."""
    if value is None:
        return None
    key = value.strip().lower().replace(" ", "").replace("_", "").replace("-", "")
    return _STATUS_BY_KEY.get(key, value.strip())


def normalise_decision(value: str | None) -> str | None:
    """A decision in any casing as one of ours; blank as None; an unknown one as sent
    (stripped)."""
    if value is None or not value.strip():
        return None
    lowered = value.strip().lower()
    for decision in Decision:
        if lowered == decision.value.lower():
            return decision.value
    return value.strip()
