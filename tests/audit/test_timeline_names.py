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
    # the user, the inspection, events, notes, names
    with django_assert_max_num_queries(5) as few:
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


def test_a_sync_that_sees_a_status_change_names_its_last_editor(small_coupa, signed_in) -> None:
    """Over the sandbox: the status changes an incremental sync observes carry the inspection's
    last editor (Coupa's modifiedBy), and the timeline shows that person by name."""
    from qualityhub.sync.pull import run_sync
    from tests.conftest import client_for

    run_sync("full", client=client_for(small_coupa), attachments="skip")
    moved = small_coupa.advance(3)
    run_sync("incremental", client=client_for(small_coupa), attachments="skip")
    changed = AuditEvent.objects.filter(action="status", inspection_id__in=moved)
    assert changed.count() == len(moved)
    for event in changed:
        editor = Inspection.objects.get(coupa_id=event.inspection_id).modified_by
        assert event.coupa_user_id == editor is not None
    event = changed.first()
    html = signed_in.get(f"/inspections/{event.inspection_id}/timeline/", headers=HTMX)
    name = Person.objects.get(coupa_id=event.coupa_user_id).full_name
    assert name and name in html.content.decode()
