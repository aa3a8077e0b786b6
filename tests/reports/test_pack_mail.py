"""The monthly review pack by mail, through a real SMTP server (aiosmtpd): one mail with the PDF
to each subscriber on the 1st, once however often the task runs, in the subscriber's language,
never of a supplier they may no longer see, and none after the one-click unsubscribe."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pypdf
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from qualityhub.notifications.mail import send_due
from qualityhub.notifications.models import OutgoingMail
from qualityhub.notifications.unsubscribe import token_for
from qualityhub.preferences.models import ChosenLanguage
from qualityhub.reports.models import PackSubscription
from qualityhub.reports.pack_mail import queue_monthly_packs
from qualityhub.reports.pack_tasks import send_monthly_packs
from tests.notifications.mail_server import inbox_fixture, person, smtp_fixture  # noqa: F401
from tests.reports import pack_world
from tests.reports.pack_world import OTHER, OURS

pytestmark = pytest.mark.django_db
FIRST_OF_JUNE = datetime(2025, 6, 1, 6, 5, tzinfo=UTC)  # last month: May 2025
FIRST_OF_JULY = datetime(2025, 7, 1, 6, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def world():
    with time_machine.travel(FIRST_OF_JUNE, tick=False):
        pack_world.build()
        yield


def subscribe(user, *suppliers: int) -> None:
    for supplier_id in suppliers:
        PackSubscription.objects.create(user=user, supplier_id=supplier_id)


def pdf_of(message) -> tuple[str, str]:
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(attachment.get_content()))
    return attachment.get_filename(), "\n".join(page.extract_text() for page in reader.pages)


def test_each_subscriber_gets_last_month_s_pack_once(smtp, inbox) -> None:
    grace = person("grace", "Manager")
    marco = person("marco", "Buyer", suppliers=[OURS])
    subscribe(grace, OURS, OTHER)
    # Marco's subscription to 20 is from before he lost it: he must not get its pack.
    subscribe(marco, OURS, OTHER)

    with time_machine.travel(FIRST_OF_JUNE, tick=False):
        first = send_monthly_packs.apply().get()
        again = send_monthly_packs.apply().get()  # beat twice, or a retry
    assert first.startswith("queued 3 packs (0 already made, 1 refused); sent 3")
    assert again.startswith("queued 0 packs (3 already made, 1 refused); sent 0")

    received = sorted((m["To"], m["Subject"]) for m in inbox.received)
    assert received == [
        ("grace@example.com", "QualityHub: review pack of Supplier 10, 2025-05"),
        ("grace@example.com", "QualityHub: review pack of Supplier 20, 2025-05"),
        ("marco@example.com", "QualityHub: review pack of Supplier 10, 2025-05"),
    ]
    assert set(inbox.message_ids().values()) == {1}
    for message in inbox.received:
        filename, text = pdf_of(message)
        supplier = 10 if "Supplier 10" in message["Subject"] else 20
        assert filename == f"review-pack-supplier-{supplier}-2025-05-01-2025-05-31.pdf"
        assert "2025-05-01" in text and "2025-05-31" in text
        assert message["List-Unsubscribe"].startswith("<https://qualityhub.example.com/")
        if supplier == 10:
            assert "PO-CON-102" in text and "PO-OTHER-902" not in text
        else:
            assert "PO-OTHER-902" in text and "PO-CON-102" not in text


def test_the_pack_is_in_the_recipient_s_language(smtp, inbox) -> None:
    hans = person("hans", "Manager")
    ChosenLanguage.objects.create(user=hans, code="de")
    subscribe(hans, OURS)
    queue_monthly_packs(FIRST_OF_JUNE)
    send_due()
    [message] = inbox.received
    _filename, text = pdf_of(message)
    # German dates (the catalogues' words come with the translators; the formats are Django's).
    assert "01.05.2025" in text and "31.05.2025" in text
    assert "2025-05-01" not in text


def test_none_after_the_one_click_unsubscribe(smtp, inbox) -> None:
    grace = person("grace", "Manager")
    subscribe(grace, OURS)
    queue_monthly_packs(FIRST_OF_JUNE)
    send_due()
    assert len(inbox.received) == 1
    [mail] = OutgoingMail.objects.all()
    assert mail.key == f"pack:{grace.pk}:{OURS}:2025-05"

    Client().post(reverse("notifications-unsubscribe", args=[token_for(grace.pk)]))
    run = queue_monthly_packs(FIRST_OF_JULY)
    send_due()
    assert (run.queued, run.refused) == (0, 1)
    assert len(inbox.received) == 1


def test_a_subscriber_without_the_scorecards_gets_nothing(smtp, inbox) -> None:
    engineer_turned_guest = person("otto", None)
    subscribe(engineer_turned_guest, OURS)
    assert queue_monthly_packs(FIRST_OF_JUNE).refused == 1
    send_due()
    assert inbox.received == []
