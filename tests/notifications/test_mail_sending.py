"""Notification mail through a real SMTP server (aiosmtpd on a free port): one mail per
notification for those who want it at once, its parts and headers, and the queue's retries."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from qualityhub.notifications.digests import build_due_mails
from qualityhub.notifications.mail import backoff, message_id, send_due
from qualityhub.notifications.models import Notification, OutgoingMail
from qualityhub.notifications.unsubscribe import read_token
from tests.notifications.mail_server import (
    IMMEDIATE,
    OFF,
    inbox_fixture,  # noqa: F401
    person,
    smtp_fixture,  # noqa: F401
    told,
)
from tests.sandbox_process import PROJECT_ROOT

pytestmark = pytest.mark.django_db

State = OutgoingMail.State


def test_it_mails_each_notification_once_with_text_html_and_links(smtp, inbox) -> None:
    priya = person("priya", "Quality engineer", delivery=IMMEDIATE)
    assert told(2) == 2

    built = build_due_mails()
    assert built.immediate == 2
    assert not Notification.objects.filter(user=priya, mailed_at=None).exists()
    assert build_due_mails().immediate == 0  # built once
    assert send_due().sent == 2
    assert send_due().sent == 0  # sent once

    assert len(inbox.received) == 2
    keys = sorted(OutgoingMail.objects.values_list("key", flat=True))
    assert [m["Message-ID"] for m in inbox.received] == [message_id(k) for k in keys]
    message = next(m for m in inbox.received if m["Subject"] == "Inspection 1 was rejected")
    assert message["To"] == "priya@example.com"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "https://qualityhub.example.com/inspections/1/" in body
        assert "https://qualityhub.example.com/notifications/" in body
    # RFC 8058: the header's link, POSTed by the mail client, unsubscribes this person.
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://qualityhub.example.com/notifications/unsubscribe/")
    assert link in text and link in html
    assert read_token(link.rstrip("/").rsplit("/", 1)[1]).user_id == priya.pk
    assert set(OutgoingMail.objects.values_list("state", flat=True)) == {State.SENT}


def test_the_message_id_is_the_same_for_every_attempt_at_one_mail() -> None:
    assert message_id("notification:7") == message_id("notification:7")
    assert message_id("notification:7") != message_id("notification:8")
    assert message_id("digest:3:2026-12-06").startswith("<qualityhub.digest.3.2026-12-06@")


def test_people_without_mail_or_address_get_none_and_their_notifications_stay(smtp, inbox):
    person("quiet", "Quality engineer", delivery=OFF)
    person("nomail", "Quality engineer", email="", delivery=IMMEDIATE)
    told(1)
    assert build_due_mails().immediate == 0
    assert OutgoingMail.objects.count() == 0
    assert Notification.objects.filter(mailed_at=None).count() == 2  # still in the app


def test_a_notification_no_longer_visible_is_not_mailed(smtp, inbox) -> None:
    lena = person("lena", "Buyer", suppliers=[10], delivery=IMMEDIATE)
    told(1, supplier_id=10)
    assert Notification.objects.filter(user=lena).count() == 1
    lena.supplier_assignments.update(supplier_id=20)  # moved to another supplier since
    built = build_due_mails()
    assert (built.immediate, built.withheld) == (0, 1)
    assert OutgoingMail.objects.count() == 0
    assert Notification.objects.get(user=lena).mailed_at is not None  # settled, not retried


def test_when_the_server_is_down_nothing_is_lost_and_it_goes_out_once_back(smtp, inbox):
    person("priya", "Quality engineer", delivery=IMMEDIATE)
    told(3)
    build_due_mails()
    smtp.stop()

    down = send_due()
    assert (down.sent, down.retried) == (0, 1)  # the first attempt fails, the others wait
    first = OutgoingMail.objects.get(attempts=1)
    assert first.state == State.QUEUED and "Connection refused" in first.last_error
    assert first.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert OutgoingMail.objects.filter(state=State.QUEUED).count() == 3
    assert send_due().sent == 0  # the failed one waits for its time; the others try and wait

    smtp.start()
    later = timezone.now() + timedelta(hours=2)
    assert send_due(now=later).sent == 3
    assert inbox.message_ids() == {
        message_id(k): 1 for k in OutgoingMail.objects.values_list("key", flat=True)
    }
    assert set(OutgoingMail.objects.values_list("state", flat=True)) == {State.SENT}


def test_a_temporary_refusal_is_retried_and_a_permanent_one_fails(smtp, inbox) -> None:
    person("later", "Quality engineer", delivery=IMMEDIATE)
    person("gone", "Quality engineer", delivery=IMMEDIATE)
    person("fine", "Quality engineer", delivery=IMMEDIATE)
    inbox.refuse = {
        "later@example.com": "451 4.3.0 try again later",
        "gone@example.com": "550 5.1.1 no such user",
    }
    told(1)
    build_due_mails()

    sent = send_due()
    assert (sent.sent, sent.retried, sent.failed) == (1, 1, 1)
    later = OutgoingMail.objects.get(to_address="later@example.com")
    assert (later.state, later.attempts) == (State.QUEUED, 1) and "451" in later.last_error
    gone = OutgoingMail.objects.get(to_address="gone@example.com")
    assert (gone.state, gone.attempts) == (State.FAILED, 1) and "550" in gone.last_error
    assert [m["To"] for m in inbox.received] == ["fine@example.com"]


def test_too_many_attempts_fail_for_good(smtp, inbox, settings) -> None:
    settings.NOTIFICATION_MAIL_MAX_ATTEMPTS = 2
    person("later", "Quality engineer", delivery=IMMEDIATE)
    inbox.refuse = {"later@example.com": "421 4.7.0 busy"}
    told(1)
    build_due_mails()
    send_due()
    send_due(now=timezone.now() + timedelta(days=1))
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts) == (State.FAILED, 2)


def test_the_backoff_doubles_up_to_its_cap(settings) -> None:
    settings.NOTIFICATION_MAIL_BACKOFF_SECONDS = 60
    settings.NOTIFICATION_MAIL_BACKOFF_MAX_SECONDS = 600
    waits = [backoff(n).total_seconds() for n in range(1, 7)]
    assert waits == [60, 120, 240, 480, 600, 600]


def test_a_lapsed_claim_is_sent_and_a_live_one_left_alone(smtp, inbox) -> None:
    person("priya", "Quality engineer", delivery=IMMEDIATE)
    told(2)
    build_due_mails()
    now = timezone.now()
    lapsed, live = OutgoingMail.objects.order_by("pk")
    OutgoingMail.objects.filter(pk=lapsed.pk).update(
        state=State.SENDING, claimed_until=now - timedelta(seconds=1)
    )
    OutgoingMail.objects.filter(pk=live.pk).update(
        state=State.SENDING, claimed_until=now + timedelta(minutes=2)
    )
    assert send_due(now=now).sent == 1
    assert [m["Message-ID"] for m in inbox.received] == [message_id(lapsed.key)]
    live.refresh_from_db()
    assert live.state == State.SENDING


def test_an_administrator_sees_the_queue_and_sends_a_failed_mail_again(client, smtp, inbox):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    person("priya", "Quality engineer", delivery=IMMEDIATE)
    told(1)
    build_due_mails()
    mail = OutgoingMail.objects.get()
    OutgoingMail.objects.filter(pk=mail.pk).update(
        state=State.FAILED, attempts=10, last_error="550 no"
    )
    client.force_login(admin)
    page = client.get("/admin/notifications/outgoingmail/")
    assert page.status_code == 200 and "550 no" in page.content.decode()
    client.post(
        "/admin/notifications/outgoingmail/",
        {"action": "send_again", "_selected_action": [mail.pk]},
    )
    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == (State.QUEUED, 0)
    assert send_due().sent == 1


def test_the_demo_writes_mail_to_a_folder_under_var(tmp_path) -> None:
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.MAILERS['notifications'])"
    )
    env = {
        "DEBUG": "1",
        "QUALITYHUB_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "qualityhub.settings",
        "PATH": "/usr/bin:/bin",
    }
    shown = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "filebased.EmailBackend" in shown and str(tmp_path / "mail") in shown


def test_the_demos_folder_receives_the_mail_as_a_file(settings, tmp_path) -> None:
    settings.MAILERS = {
        **settings.MAILERS,
        "notifications": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        },
    }
    person("priya", "Quality engineer", delivery=IMMEDIATE)
    told(1)
    build_due_mails()
    assert send_due().sent == 1
    (written,) = (tmp_path / "mail").iterdir()
    content = written.read_text()
    assert "Inspection 1 was rejected" in content and "List-Unsubscribe-Post" in content


def test_mail_soon_queues_the_task_once_the_publish_commits(django_capture_on_commit_callbacks):
    from qualityhub.notifications.tasks import mail_soon

    with django_capture_on_commit_callbacks() as callbacks:
        mail_soon()
    assert len(callbacks) == 1


def test_what_coupa_wrote_is_escaped_in_html_and_kept_to_one_line_in_the_subject(smtp, inbox):
    from qualityhub.notifications.publish import EventDraft, publish

    person("priya", "Quality engineer", delivery=IMMEDIATE)
    publish(
        [
            EventDraft(
                key="rejected:9",
                kind="rejected",
                summary='<script>alert(1)</script>\r\nBcc: all@example.com "x"',
                inspection_id=9,
                supplier_id=10,
            )
        ]
    )
    build_due_mails()
    assert send_due().sent == 1
    (message,) = inbox.received
    assert message["Bcc"] is None and "\n" not in message["Subject"]
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
