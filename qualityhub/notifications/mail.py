"""Composing a notification mail and sending the queue.

A mail is composed once, when it is queued (`compose`: text and HTML from the templates under
templates/notifications/mail/), and kept as an `OutgoingMail` row until the mail server takes it.
`send_due` sends the rows whose time has come. Each row is claimed (state "sending" with a lease,
`claimed_until`) in a committed update before any SMTP is spoken, and marked "sent" once the
server accepted it, so a second worker never sends a row under a live claim, and a row whose
worker died is claimed again once its lease ran out. What is left is the instant between the
server's "250 OK" and our commit: a worker killed exactly then repeats that mail, with the same
Message-ID (docs/notifications-mail.md).
"""

from __future__ import annotations

import email.policy
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from qualityhub.notifications.audience import Listener
from qualityhub.notifications.models import OutgoingMail
from qualityhub.notifications.unsubscribe import token_for

MAILER = "notifications"


# --- composing -------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return f"{settings.QUALITYHUB_URL}{path}"


def unsubscribe_url(user_id: int) -> str:
    return absolute(reverse("notifications-unsubscribe", args=[token_for(user_id)]))


def inspection_url(inspection_id: int | None) -> str:
    if inspection_id is None:
        return absolute(reverse("notification-list"))
    return absolute(reverse("inspection-detail", args=[inspection_id]))


def in_language_of(person: Listener) -> translation.override:
    """`with in_language_of(person):` what is written for `person` (the subject, the text and
    HTML, the kinds' labels) is in the language they chose, else the site's (`language_for`,
    read with the listeners)."""
    return translation.override(person.language)


def compose(
    key: str, person: Listener, subject: str, template: str, context: dict, now: datetime
) -> OutgoingMail:
    """An unsaved queue row for `person`: `template`.txt and .html rendered with `context` and
    the links every mail carries, in the language active now (see `in_language_of`)."""
    subject = " ".join(str(subject).split())  # one line: a header never carries a line break
    context = {
        **context,
        "person": person,
        "site_url": settings.QUALITYHUB_URL,
        "notifications_url": absolute(reverse("notification-list")),
        "settings_url": absolute(reverse("notification-settings")),
        "unsubscribe_url": unsubscribe_url(person.user_id),
        "subject": subject,
    }
    return OutgoingMail(
        key=key,
        user_id=person.user_id,
        to_address=person.email,
        subject=subject[:300],
        text=render_to_string(f"notifications/mail/{template}.txt", context),
        html=render_to_string(f"notifications/mail/{template}.html", context),
        language=translation.get_language() or "",
        created_at=now,
        next_attempt_at=now,
    )


def message_id(key: str) -> str:
    """The same for every attempt at one mail: a mail sent twice shows as one to a client."""
    host = urlsplit(settings.QUALITYHUB_URL).hostname or "qualityhub.localhost"
    return f"<qualityhub.{key.replace(':', '.')}@{host}>"


class NotificationMessage(EmailMultiAlternatives):
    """Headers kept on one line up to RFC 5322's 998 characters: a header longer than 78 that
    has no space to fold at (the signed unsubscribe link) would otherwise be folded into
    encoded words, which no mail client reads as a link."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def message_for(mail: OutgoingMail) -> EmailMultiAlternatives:
    headers = {"Message-ID": message_id(mail.key), "Auto-Submitted": "auto-generated"}
    if mail.user_id is not None:
        # RFC 2369 and RFC 8058: a mail client's own "unsubscribe" button POSTs to this link.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(mail.user_id)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if mail.language:
        headers["Content-Language"] = mail.language
    message = NotificationMessage(
        subject=mail.subject,
        body=mail.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to_address],
        headers=headers,
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    for attachment in mail.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    return message


# --- sending ---------------------------------------------------------------------------------


@dataclass
class SendSummary:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def is_permanent(error: Exception) -> bool:
    """A refusal the server means for good (5xx): the address or the mail is refused. Anything
    else (a connection refused or cut, a 4xx) is worth trying again later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return isinstance(error, ValueError)  # an address Django cannot even encode


def _answered(error: Exception) -> bool:
    """The server answered about this mail (the next one may fare better)."""
    if isinstance(error, smtplib.SMTPConnectError):  # refused at the greeting: busy or down
        return False
    return isinstance(
        error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused | ValueError
    )


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: doubling from the base, capped."""
    seconds = settings.NOTIFICATION_MAIL_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.NOTIFICATION_MAIL_BACKOFF_MAX_SECONDS))


def waiting(now: datetime) -> Q:
    """Rows to send: queued ones whose time has come, and claims whose worker let them lapse."""
    return Q(state=OutgoingMail.State.QUEUED, next_attempt_at__lte=now) | Q(
        state=OutgoingMail.State.SENDING, claimed_until__lt=now
    )


def claim_next(now: datetime) -> OutgoingMail | None:
    """Take one waiting row for this worker, committed before the caller speaks SMTP."""
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(waiting(now))
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if mail is None:
            return None
        mail.state = OutgoingMail.State.SENDING
        mail.claimed_until = now + timedelta(seconds=settings.NOTIFICATION_MAIL_LEASE_SECONDS)
        mail.save(update_fields=["state", "claimed_until"])
    return mail


def send_due(now: datetime | None = None, limit: int = 500) -> SendSummary:
    """Send up to `limit` waiting mails over one SMTP connection. A failure to reach the server
    ends the run: the rest stay queued, untouched, for the next one."""
    summary = SendSummary()
    connection = mailers[MAILER]
    try:
        for _ in range(limit):
            mail = claim_next(now or timezone.now())
            if mail is None:
                break
            try:
                connection.send_messages([message_for(mail)])
            except (OSError, smtplib.SMTPException, ValueError) as error:
                gave_up = _failed(mail, error)
                summary.failed += gave_up
                summary.retried += not gave_up
                summary.errors.append(f"{mail.key}: {error}")
                connection.close()  # a fresh connection for the next one
                if not _answered(error):
                    break  # the server is out of reach: leave the rest queued
                continue
            _sent(mail)
            summary.sent += 1
    finally:
        connection.close()
    return summary


def _sent(mail: OutgoingMail) -> None:
    OutgoingMail.objects.filter(pk=mail.pk).update(
        state=OutgoingMail.State.SENT,
        sent_at=timezone.now(),
        claimed_until=None,
        attempts=mail.attempts + 1,
        last_error="",
    )


def _failed(mail: OutgoingMail, error: Exception) -> bool:
    """Back to the queue with a later time, or failed for good; True when given up."""
    attempts = mail.attempts + 1
    permanent = is_permanent(error)
    gave_up = permanent or attempts >= settings.NOTIFICATION_MAIL_MAX_ATTEMPTS
    now = timezone.now()
    OutgoingMail.objects.filter(pk=mail.pk).update(
        state=OutgoingMail.State.FAILED if gave_up else OutgoingMail.State.QUEUED,
        attempts=attempts,
        next_attempt_at=now if gave_up else now + backoff(attempts),
        claimed_until=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    return gave_up


def retry(mail_ids) -> int:
    """An administrator's "send again": failed (or queued) rows are queued for now, from a
    fresh count of attempts."""
    return OutgoingMail.objects.filter(
        pk__in=list(mail_ids), state__in=[OutgoingMail.State.FAILED, OutgoingMail.State.QUEUED]
    ).update(state=OutgoingMail.State.QUEUED, attempts=0, next_attempt_at=timezone.now())
