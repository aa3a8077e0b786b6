"""The words of notifications, defined once: what can happen (`Kind`), how a person wants to be
told by mail (`Delivery`), and what each role wants before choosing (`DEFAULT_KINDS`)."""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from qualityhub.accounts.roles import BUYER, MANAGER, QUALITY_ENGINEER


class Kind(TextChoices):
    """An event that concerns people (issue 17, point 1), in the order the settings page lists
    them."""

    OVERDUE = "overdue", _("An inspection becomes overdue")
    DUE_SOON = "due-soon", _("An inspection is due soon")
    REVIEW_WAITING = "review-waiting", _("An inspection has waited too long for buyer review")
    REJECTED = "rejected", _("An inspection is rejected")
    ACCEPTED_FAILING = (
        "accepted-failing",
        _("An inspection is accepted while a required line fails"),
    )
    MARGINAL = "marginal", _("A characteristic is marginal")
    WRITE_FAILED = "write-failed", _("An upload or an exported flag failed for good")
    ASSIGNED = "assigned", _("I am assigned an inspection")
    MENTIONED = "mentioned", _("I am mentioned in a note")


#: Events meant for one named person (the assignee, the person mentioned), whatever their
#: supplier and item filters: they still never reach someone who may not see the inspection.
PERSONAL = frozenset({Kind.ASSIGNED, Kind.MENTIONED})


class Delivery(TextChoices):
    """How a person's notifications reach them by mail (the bell shows them all regardless)."""

    IMMEDIATE = "immediate", _("One mail per event, at once")
    DAILY = "daily", _("A daily digest")
    OFF = "off", _("No mail")


FAILURES = (Kind.REJECTED, Kind.ACCEPTED_FAILING, Kind.MARGINAL, Kind.WRITE_FAILED)

#: What a person is told before they choose, by role: engineers hear of failures and overdue
#: work of every supplier, buyers of their suppliers' results waiting for review, managers get
#: the weekly summary. Everyone hears of what is assigned to them and where they are mentioned.
DEFAULT_KINDS = {
    QUALITY_ENGINEER: (*FAILURES, Kind.OVERDUE, Kind.ASSIGNED, Kind.MENTIONED),
    BUYER: (Kind.REVIEW_WAITING, Kind.ASSIGNED, Kind.MENTIONED),
    MANAGER: (Kind.ASSIGNED, Kind.MENTIONED),
}
DEFAULT_WEEKLY_SUMMARY = {MANAGER}
DEFAULT_DELIVERY = Delivery.DAILY
DEFAULT_DIGEST_HOUR = 7
