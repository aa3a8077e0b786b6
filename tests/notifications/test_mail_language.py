"""Mail goes out in the recipient's language (issue 18, §4): the one they chose in QualityHub,
else the site's. Through a real SMTP server, each mail says its language (Content-Language and
the HTML's lang) and is written with that language active: German dates and Django's German
month names in a German manager's weekly summary, English ones in an English manager's."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from qualityhub.notifications.digests import build_due_mails, build_summaries
from qualityhub.notifications.mail import send_due
from qualityhub.preferences.models import ChosenLanguage
from tests.notifications.mail_server import (
    DAILY,
    IMMEDIATE,
    inbox_fixture,  # noqa: F401
    person,
    smtp_fixture,  # noqa: F401
    told,
)

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)


def speaks(user, code: str) -> None:
    ChosenLanguage.objects.create(user=user, code=code)


def received_by(inbox, address: str) -> list:
    return [m for m in inbox.received if m["To"] == address]


def test_each_notification_mail_is_in_its_recipients_language(smtp, inbox) -> None:
    greta = person("greta", "Quality engineer", delivery=IMMEDIATE)
    speaks(greta, "de")
    person("priya", "Quality engineer", delivery=IMMEDIATE)  # chose none: the site's, English
    told(1)
    assert build_due_mails().immediate == 2
    assert send_due().sent == 2

    (german,) = received_by(inbox, "greta@example.com")
    (english,) = received_by(inbox, "priya@example.com")
    assert german["Content-Language"] == "de"
    assert english["Content-Language"] == "en"
    assert '<html lang="de">' in german.get_body(("html",)).get_content()
    assert '<html lang="en">' in english.get_body(("html",)).get_content()
    # English stays as it was written.
    text = english.get_body(("plain",)).get_content()
    assert "Open it: https://qualityhub.example.com/inspections/1/" in text
    assert "An inspection is rejected" in text


def test_the_digest_is_in_its_recipients_language(smtp, inbox) -> None:
    greta = person("greta", "Quality engineer", delivery=DAILY, digest_hour=0)
    speaks(greta, "de")
    person("priya", "Quality engineer", delivery=DAILY, digest_hour=0)
    told(2)
    assert build_due_mails(WEDNESDAY).digests == 2
    assert send_due(WEDNESDAY).sent == 2
    (german,) = received_by(inbox, "greta@example.com")
    (english,) = received_by(inbox, "priya@example.com")
    assert german["Content-Language"] == "de"
    assert english["Content-Language"] == "en"
    assert english["Subject"] == "QualityHub: 2 notifications today"


def test_the_weekly_summary_is_written_in_its_recipients_language(smtp, inbox) -> None:
    grete = person("grete", "Manager", weekly_summary=True, kinds=[])
    speaks(grete, "de")
    person("grace", "Manager", weekly_summary=True, kinds=[])
    assert build_summaries(WEDNESDAY) == 2
    assert send_due(WEDNESDAY).sent == 2
    (german,) = received_by(inbox, "grete@example.com")
    (english,) = received_by(inbox, "grace@example.com")
    assert german["Content-Language"] == "de"
    assert english["Content-Language"] == "en"
    assert english["Subject"] == "QualityHub: your week (2026-W50)"
    german_text = german.get_body(("plain",)).get_content()
    english_text = english.get_body(("plain",)).get_content()
    # Dates in the recipient's formats (SHORT_DATETIME_FORMAT, Django's month names).
    assert re.search(r"Kennzahlen der Übersicht vom \d\d\.\d\d\.\d{4} \d\d:\d\d UTC", german_text)
    assert re.search(r"figures of \d{4}-\d\d-\d\d \d\d:\d\d UTC", english_text), english_text
    assert "9 Dez 2026" in german_text
    assert "10 Sep 2026 to 9 Dec 2026:" in english_text
