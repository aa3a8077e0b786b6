"""Notifications: what happened (`Event`), who was told (`Notification`, one per event and
person), what each person wants (`NotificationSettings`) and the mail on its way
(`OutgoingMail`). Exactly once comes from unique keys: an event's `key` says what happened (the
same observation twice is one event), a notification is unique per event and person, and a mail
per `key` (one per notification, per digest day, per summary week)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from qualityhub.notifications import lines
from qualityhub.notifications.kinds import DEFAULT_DIGEST_HOUR, Delivery, Kind

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access


class Event(models.Model):
    # What happened, written so that observing it again yields the same key, e.g.
    # "rejected:1234:2026-12-01T10:00:00+00:00" or "assigned:1234:17" (an assignment's id).
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    # The line in English as published (for the admin and search, and the line itself of an
    # event older than `line_args`).
    summary = models.CharField(max_length=300)
    # What the line says, for `line` to write it in the reader's language (`lines.py`): ids,
    # Coupa's names as Coupa gave them, dates as ISO. None: an event from before, or a draft
    # that gave only a summary.
    line_args = models.JSONField(null=True, blank=True)
    inspection_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    characteristic_id = models.BigIntegerField(null=True, blank=True)
    # The inspection's supplier and item, copied so that the audience is chosen without a join
    # and a buyer's scope applies even to an inspection no longer cached.
    supplier_id = models.BigIntegerField(null=True, blank=True)
    item_id = models.BigIntegerField(null=True, blank=True)
    # Who did it (an assignment, a note), never told of their own act.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The one person a personal event is for (the assignee, the person mentioned).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.key

    @property
    def line(self) -> str:
        """The notification's main line in the active language (the reader's page, the
        recipient's mail)."""
        return lines.render(self.kind, self.line_args, self.summary)


class NotificationQuerySet(models.QuerySet):
    def seen_by(self, access: Access) -> NotificationQuerySet:
        """A notification is its person's alone, and only while they still see its supplier
        (the rule `accounts.access.visible_or_404` applies)."""
        return access.scope(self.filter(user_id=access.user_id), "event__supplier_id")


class Notification(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # When it went out by mail, alone or in a digest (None: not yet, or never by mail).
    mailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="notified_once_per_event"),
        ]
        indexes = [
            # The bell's count and the page's "unread" filter read only a person's unread ones.
            models.Index(
                fields=["user", "-id"], name="notification_unread", condition=Q(read_at=None)
            ),
            models.Index(fields=["user", "-id"], name="notification_user"),
            # What mail still has to carry (immediate or the next digest).
            models.Index(
                fields=["user", "id"], name="notification_unmailed", condition=Q(mailed_at=None)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.key} → {self.user_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSettings(models.Model):
    """One person's choices. A person without a row gets their role's defaults (`kinds.py`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    kinds = models.JSONField(default=list)  # `Kind` values
    # Empty: every supplier (every item) the person may see; else only these.
    supplier_ids = models.JSONField(default=list)
    item_ids = models.JSONField(default=list)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.DAILY)
    digest_hour = models.PositiveSmallIntegerField(default=DEFAULT_DIGEST_HOUR)  # 0–23, local
    time_zone = models.CharField(max_length=64, default="UTC")
    weekly_summary = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"notification settings of {self.user_id}"


class OutgoingMail(models.Model):
    """A mail to send, kept until the mail server took it: the queue an administrator sees."""

    class State(models.TextChoices):
        QUEUED = "queued"
        SENDING = "sending"  # claimed by a worker until `claimed_until`
        SENT = "sent"
        FAILED = "failed"  # refused for good (a bad address), or out of attempts

    # "notification:<id>", "digest:<user>:<local date>", "summary:<user>:<ISO week>".
    key = models.CharField(max_length=120, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_address = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    # The language the mail was written in (its Content-Language): the recipient's.
    language = models.CharField(max_length=8, blank=True, default="")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="mail_waiting",
                condition=Q(state__in=["queued", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} to {self.to_address}: {self.state}"


class MailAttachment(models.Model):
    """A file sent with a queued mail (a supplier's review pack): kept with the row, so every
    attempt sends the same bytes, and deleted with it."""

    mail = models.ForeignKey(OutgoingMail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.filename
