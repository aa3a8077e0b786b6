"""The timeline names who did what: QualityHub's users by username, and for what the sync saw
in Coupa, the inspection's last editor by the name the directory knows ("User 509" until then)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from qualityhub.audit.models import AuditEvent
from qualityhub.audit.record import record, record_status_changes
from qualityhub.directory.models import Person
from qualityhub.inspections.models import Inspection

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def inspection() -> Inspection:
    return Inspection.objects.create(
        coupa_id=1, supplier_id=8, due_date=datetime(2025, 1, 1, tzinfo=UTC)
    )


def _people(html: str) -> list[str]:
    return re.findall(r'data-testid="coupa-person"[^>]*>([^<]*)</span>', html)


def test_status_changes_seen_in_coupa_name_the_last_editor(signed_in, inspection) -> None:
    Person.objects.create(
        coupa_id=508, full_name="Jana Nováková", login="jnovak", fetched_at=timezone.now()
    )
    record_status_changes([(1, "Open", "In Progress", 508)])
    record_status_changes([(1, "In Progress", "In Buyer Review", 509)])
    record_status_changes([(1, "In Buyer Review", "Closed")])  # without an editor, as before
    html = signed_in.get("/inspections/1/timeline/", headers=HTMX).content.decode()
    assert _people(html) == ["User 509", "Jana Nováková"]  # newest first; 509 is not known
    assert 'title="jnovak">Jana Nováková</span>' in html
    assert "508" not in html
    closed = AuditEvent.objects.get(summary__endswith="→ Closed")
    assert closed.coupa_user_id is None


def test_qualityhub_users_stay_usernames(signed_in, engineer, inspection) -> None:
    record(1, "mark-exported", "Marked as exported", user=engineer)
    html = signed_in.get("/inspections/1/timeline/", headers=HTMX).content.decode()
    assert "· priya" in html and _people(html) == []


def test_the_names_cost_one_query_whatever_the_events(
    signed_in, inspection, django_assert_max_num_queries
) -> None:
    record_status_changes([(1, "Open", "In Progress", 500)])
    signed_in.get("/inspections/1/timeline/", headers=HTMX)
    with django_assert_max_num_queries(4) as few:  # the user, the inspection, events, names
        signed_in.get("/inspections/1/timeline/", headers=HTMX)
    now = timezone.now()
    Person.objects.bulk_create(
        Person(coupa_id=600 + n, full_name=f"Person {n}", fetched_at=now) for n in range(30)
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(
            inspection_id=1,
            at=now - timedelta(minutes=n),
            action="status",
            summary="Status changed in Coupa",
            outcome="observed",
            coupa_user_id=600 + n,
        )
        for n in range(30)
    )
    with django_assert_max_num_queries(len(few)):
        html = signed_in.get("/inspections/1/timeline/", headers=HTMX).content.decode()
    assert len(_people(html)) == 31


def test_a_hostile_name_is_escaped(signed_in, inspection) -> None:
    Person.objects.create(
        coupa_id=508, full_name='Ann & "Bo" <script>alert(1)</script>', fetched_at=timezone.now()
    )
    record_status_changes([(1, "Open", "In Progress", 508)])
    html = signed_in.get("/inspections/1/timeline/", headers=HTMX).content.decode()
    assert "<script>alert" not in html
    assert "Ann &amp; &quot;Bo&quot; &lt;script&gt;alert(1)&lt;/script&gt;" in html
