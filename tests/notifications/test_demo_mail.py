"""The demo's engineer gets notification mail at once (a digest would wait for 07:00), written
to var/mail/; a choice the engineer saved is kept over a restart of the demo."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from qualityhub.demo.management.commands.demo import _mail_the_engineer_at_once
from qualityhub.notifications.models import NotificationSettings

pytestmark = pytest.mark.django_db


def test_the_demo_engineer_is_mailed_at_once_until_they_choose() -> None:
    call_command("create_demo_users", force=True, stdout=StringIO())
    _mail_the_engineer_at_once()
    row = NotificationSettings.objects.get()
    assert row.user.username == "engineer" and row.delivery == "immediate"
    assert "rejected" in row.kinds and "overdue" in row.kinds  # the role's defaults otherwise
    row.delivery = "off"
    row.save()
    _mail_the_engineer_at_once()
    assert NotificationSettings.objects.get().delivery == "off"
