"""Two people assigning the same inspection at once take turns: the later one wins, neither gets
an error."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from qualityhub.assignment import services
from qualityhub.assignment.models import Assignment
from qualityhub.audit.models import AuditEvent
from qualityhub.inspections.models import Inspection
from tests.conftest import make_user


@pytest.mark.django_db(transaction=True)
def test_a_second_assignment_waits_for_the_first_instead_of_colliding() -> None:
    Inspection.objects.create(
        coupa_id=1, supplier_id=5, status="Open", due_date=timezone.now() + timedelta(days=1)
    )
    priya = make_user("priya", "Quality engineer")
    ana, bob = make_user("ana", "Quality engineer"), make_user("bob", "Buyer")
    first_done = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():  # still open while the second one starts
                services.assign([1], ana.pk, by=priya)
                first_done.set()
                time.sleep(0.5)
        except BaseException as error:  # noqa: BLE001 (reported by the test below)
            errors.append(error)
        finally:
            connection.close()

    def second() -> None:
        try:
            first_done.wait(5)
            services.assign([1], bob.pk, by=priya)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert Assignment.objects.get(inspection_id=1).assignee == bob
    assert AuditEvent.objects.filter(inspection_id=1, action="assign").count() == 2
