"""The headers a mail client reads as the mail arrives: the unsubscribe link must be a plain
`<URL>` (RFC 2369; an encoded word there is no link to Gmail or Outlook), however long the
signed link is."""

from __future__ import annotations

import email.policy

import pytest
from django.utils import timezone

from qualityhub.notifications.mail import message_for
from qualityhub.notifications.models import OutgoingMail
from tests.notifications.mail_server import person

pytestmark = pytest.mark.django_db


def test_the_unsubscribe_header_is_one_plain_link_however_long(settings) -> None:
    settings.QUALITYHUB_URL = "https://quality-hub.manufacturing.example.com"
    someone = person("a-rather-long-username-for-a-header", "Quality engineer")
    now = timezone.now()
    mail = OutgoingMail.objects.create(
        key="notification:1",
        user=someone,
        to_address="a@example.com",
        subject="Inspection 215 (Brückner Lacke, Stepper motor NEMA 17) was rejected",
        text="x",
        created_at=now,
        next_attempt_at=now,
    )
    # What Django's SMTP backend sends.
    lines = message_for(mail).message(policy=email.policy.SMTP).as_bytes().splitlines()
    start = f"List-Unsubscribe: <{settings.QUALITYHUB_URL}/notifications/unsubscribe/".encode()
    (header,) = [line for line in lines if line.startswith(b"List-Unsubscribe:")]
    assert header.startswith(start) and header.endswith(b"/>"), header
    assert len(header) > 78  # longer than a folded header line, yet one line
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in lines
