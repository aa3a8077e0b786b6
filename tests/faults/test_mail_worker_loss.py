"""Exactly-once mail under a killed worker.

A real worker sends the queue to a real SMTP server (aiosmtpd) that holds the first mail's DATA
until the test has SIGKILLed the worker's pool process; the server then does not deliver it, as
a correct server does when its client vanished before the reply. The task comes back (late
acknowledgement, reject on worker lost) and sends the rest; the mail the dead worker had claimed
goes out once its lease lapsed, on the next run (beat's, every minute; the test's here). In the
end the server has every mail exactly once, counted by Message-ID.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from django.utils import timezone

from qualityhub.notifications.digests import build_due_mails
from qualityhub.notifications.mail import message_id
from qualityhub.notifications.models import OutgoingMail
from qualityhub.notifications.tasks import send_notification_mail
from tests.faults.conftest import purge_queue, wait_until
from tests.notifications.mail_server import IMMEDIATE, Inbox, MailServer, person, told
from tests.worker_process import WorkerProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]

MAILS = 6
# The worker's claim on a mail: short, so the test is bounded, yet long enough on a loaded
# machine for the redelivered task to find the dead worker's claim still live.
LEASE_SECONDS = 15


class HoldsTheFirstMail(Inbox):
    def __init__(self) -> None:
        super().__init__()
        self.holding = threading.Event()  # the first DATA arrived and is being held
        self.released = threading.Event()  # the test killed the sender: let go
        self.held = False

    async def handle_DATA(self, server, session, envelope):
        if not self.held:
            self.held = True
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            # The client is gone: the mail is not delivered (and the reply reaches no one).
            return "451 4.4.2 the client went away before the reply; not delivered"
        return await super().handle_DATA(server, session, envelope)


def test_every_mail_arrives_exactly_once_when_the_sending_pool_process_is_killed() -> None:
    inbox = HoldsTheFirstMail()
    smtp = MailServer(inbox).start()
    person("priya", "Quality engineer", delivery=IMMEDIATE)
    told(MAILS)
    assert build_due_mails().immediate == MAILS
    keys = set(OutgoingMail.objects.values_list("key", flat=True))
    env = {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "4",
        "NOTIFICATION_MAIL_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    worker = WorkerProcess("http://127.0.0.1:9", extra_env=env)
    try:
        purge_queue()
        send_notification_mail.delay()
        wait_until(inbox.holding.is_set, 30, "the first mail's DATA", worker.output)
        claimed = OutgoingMail.objects.get(state=OutgoingMail.State.SENDING)
        worker.kill_pool_child()
        inbox.released.set()

        # The redelivered task sends the others; the dead worker's claim is still live.
        wait_until(
            lambda: len(inbox.message_ids()) == MAILS - 1,
            30,
            "the redelivered task",
            worker.output,
        )
        claimed.refresh_from_db()
        assert claimed.state == OutgoingMail.State.SENDING
        assert message_id(claimed.key) not in inbox.message_ids()

        # Beat's next run, once the lease lapsed, sends the mail the killed worker held.
        time.sleep(max(0.0, (claimed.claimed_until - timezone.now()).total_seconds()) + 0.5)
        send_notification_mail.delay()
        wait_until(
            lambda: not OutgoingMail.objects.exclude(state=OutgoingMail.State.SENT).exists(),
            30,
            "every mail sent",
            worker.output,
        )
    finally:
        worker.stop()
        smtp.stop()
    assert "SIGKILL" in worker.output()
    assert inbox.message_ids() == {message_id(key): 1 for key in keys}  # none lost, none twice
