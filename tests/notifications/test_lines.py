"""A notification's line is written in its reader's language when it is shown or mailed (issue
18, §4), from what the event keeps: the German reader's page, immediate mail subject and digest
show the German catalogue's sentence with a German date and decimal mark, an English reader
the same English as before, and an event from before lines kept their arguments its stored
English.

The expected German is computed here through the catalogue (`translation.override("de")` and
`gettext` of the sentence): until the translators' German lands it differs from the English
only in its dates and numbers, afterwards in its words too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from qualityhub.assignment.services import assign
from qualityhub.inspections.models import Inspection
from qualityhub.notifications import lines
from qualityhub.notifications.digests import build_due_mails
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.mail import send_due
from qualityhub.notifications.models import Event, Notification
from qualityhub.notifications.observe import observe_written
from qualityhub.notifications.publish import EventDraft, publish
from qualityhub.notifications.scan import scan_time_events
from qualityhub.preferences.models import ChosenLanguage
from tests.notifications.mail_server import (
    DAILY,
    IMMEDIATE,
    inbox_fixture,  # noqa: F401
    person,
    smtp_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
ACME = lines.inspection_args(1234, "Acme", 8, "bolt M8")


def german(template: str, **values) -> str:
    with translation.override("de"):
        return gettext(template) % values


def german_inspection(coupa_id: int) -> str:
    return german(lines.INSPECTION_ABOUT, inspection=coupa_id, about="Acme, bolt M8")


# --- the sentences -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "args", "english"),
    [
        (Kind.REJECTED, ACME, "Inspection 1234 (Acme, bolt M8) was rejected"),
        (
            Kind.ACCEPTED_FAILING,
            lines.inspection_args(1234, "", 8, ""),
            "Inspection 1234 (supplier 8) was accepted while a required line fails",
        ),
        (Kind.REJECTED, lines.inspection_args(1234, "", None, ""), "Inspection 1234 was rejected"),
        (
            Kind.MARGINAL,
            ACME | {"line": "Diameter", "value": "10.02", "number": True},
            "Inspection 1234 (Acme, bolt M8): Diameter is marginal (10.02)",
        ),
        (
            Kind.MARGINAL,
            ACME | {"line": "", "value": ""},
            "Inspection 1234 (Acme, bolt M8): a line is marginal",
        ),
        (
            Kind.OVERDUE,
            ACME | {"due": "2026-12-06"},
            "Inspection 1234 (Acme, bolt M8) is overdue (due 2026-12-06)",
        ),
        (
            Kind.DUE_SOON,
            ACME | {"due": "2026-12-08"},
            "Inspection 1234 (Acme, bolt M8) is due on 2026-12-08",
        ),
        (
            Kind.REVIEW_WAITING,
            ACME | {"since": "2026-11-30"},
            "Inspection 1234 (Acme, bolt M8) has waited for buyer review since 2026-11-30",
        ),
        (
            Kind.WRITE_FAILED,
            ACME | {"write": lines.UPLOAD, "file": "coa.pdf", "reason": "file is too large"},
            "Inspection 1234 (Acme, bolt M8): the upload of coa.pdf failed: file is too large",
        ),
        (
            Kind.WRITE_FAILED,
            {"write": lines.MARK_EXPORTED, "reason": "Coupa answered 404"},
            "A write to Coupa: marking it exported failed: Coupa answered 404",
        ),
        (
            Kind.WRITE_FAILED,
            ACME | {"write": lines.CLEAR_EXPORTED, "reason": "no"},
            "Inspection 1234 (Acme, bolt M8): clearing its exported flag failed: no",
        ),
        (
            Kind.MENTIONED,
            {"person": "priya", "inspection": 7, "characteristic": None},
            "priya mentioned you in a note on inspection 7",
        ),
        (
            Kind.MENTIONED,
            {"person": None, "inspection": 7, "characteristic": {"number": 3, "name": "Length"}},
            "Someone mentioned you in a note on inspection 7 (Line 3 · Length)",
        ),
        (
            Kind.MENTIONED,
            {"person": "a", "inspection": 7, "characteristic": {"number": None, "name": ""}},
            "a mentioned you in a note on inspection 7 (Line)",
        ),
        (
            Kind.ASSIGNED,
            {"inspection": 7, "person": None},
            "Inspection 7 assigned to you by QualityHub",
        ),
    ],
)
def test_each_line_in_english_is_the_line_as_it_was(kind, args, english) -> None:
    assert lines.english(kind, args) == english
    assert EventDraft(key="k", kind=kind, line_args=args).summary == english


def test_a_german_line_has_a_german_date_and_decimal_mark_and_coupas_words_as_they_are() -> None:
    args = ACME | {"due": "2026-12-06"}
    with translation.override("de"):
        overdue = lines.render(Kind.OVERDUE, args, "stored")
        marginal = lines.render(
            Kind.MARGINAL, ACME | {"line": "Ø 10.5", "value": "10.02", "number": True}, ""
        )
        chosen = lines.render(Kind.MARGINAL, ACME | {"line": "Finish", "value": "v1.2"}, "")
    assert overdue == german(lines.OVERDUE, inspection=german_inspection(1234), date="06.12.2026")
    assert "06.12.2026" in overdue
    assert marginal == german(
        lines.MARGINAL_VALUE, inspection=german_inspection(1234), line="Ø 10.5", value="10,02"
    )
    # A chosen or typed value is Coupa's text: no decimal mark is changed in it.
    assert chosen.endswith("(v1.2)") and "Finish" in chosen


def test_an_event_without_arguments_shows_its_stored_english() -> None:
    event = Event(kind=Kind.REJECTED, summary="Inspection 1 was rejected", line_args=None)
    with translation.override("de"):
        assert event.line == "Inspection 1 was rejected"
    # Arguments that do not fit the sentence (a row written by a later version, a kind
    # unknown here) fall back to the stored English rather than failing the page.
    assert Event(kind=Kind.OVERDUE, summary="old", line_args={"due": "x"}).line == "old"
    assert Event(kind="gone-kind", summary="old", line_args={}).line == "old"


# --- what a German reader sees and receives ----------------------------------------------------


def sync_and_scan() -> None:
    """An overdue inspection found by the scan and a marginal value written by the sync."""
    Inspection.objects.create(
        coupa_id=1001,
        status="In Progress",
        due_date=NOW - HOUR,
        supplier_id=8,
        supplier_name="Acme",
        item_id=70,
        item_name="bolt M8",
    )
    scan_time_events(NOW)
    written = SimpleNamespace(
        coupa_id=1002,
        review_decision="",
        verdict="pass",
        reviewed_date=None,
        modified_at=timezone.now() - HOUR,
        supplier_id=8,
        supplier_name="Acme",
        item_id=70,
        item_name="bolt M8",
    )
    diameter = SimpleNamespace(
        coupa_id=5,
        name="Diameter",
        verdict="marginal",
        recorded_numeric=Decimal("10.0200"),
        recorded_text="",
        recorded_code="",
        recorded_qualitative="",
        recorded_decision=None,
    )
    observe_written([(written, [diameter])], timezone.now())


def expected_german() -> dict[str, str]:
    return {
        Kind.OVERDUE: german(lines.OVERDUE, inspection=german_inspection(1001), date="06.12.2026"),
        Kind.MARGINAL: german(
            lines.MARGINAL_VALUE, inspection=german_inspection(1002), line="Diameter", value="10,02"
        ),
    }


def test_a_german_readers_notification_list_shows_the_lines_in_german(client) -> None:
    greta = person("greta", "Quality engineer")
    ChosenLanguage.objects.create(user=greta, code="de")
    sync_and_scan()
    assert Notification.objects.filter(user=greta).count() == 2
    client.force_login(greta)
    page = client.get(reverse("notification-list")).content.decode()
    assert '<html lang="de">' in page
    for kind, line in expected_german().items():
        assert escape(line) in page, (kind, line)
    # The English kept for the admin is not what she reads.
    for event in Event.objects.all():
        assert escape(event.summary) not in page


def test_an_english_readers_list_shows_the_english_lines(client, engineer) -> None:
    sync_and_scan()
    client.force_login(engineer)
    page = client.get(reverse("notification-list")).content.decode()
    assert "Inspection 1001 (Acme, bolt M8) is overdue (due 2026-12-06)" in page
    assert "Inspection 1002 (Acme, bolt M8): Diameter is marginal (10.02)" in page


def test_the_list_writes_its_lines_without_a_query_per_row(client) -> None:
    greta = person("greta", "Quality engineer")
    ChosenLanguage.objects.create(user=greta, code="de")
    client.force_login(greta)

    def queries_of_the_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("notification-list")).status_code == 200
        return len(queries)

    def overdue(coupa_id: int) -> EventDraft:
        return EventDraft(
            key=f"overdue:{coupa_id}",
            kind=Kind.OVERDUE,
            line_args=lines.inspection_args(coupa_id, "Acme", 8, "bolt M8") | {"due": "2026-12-06"},
            inspection_id=coupa_id,
            supplier_id=8,
            item_id=70,
        )

    publish([overdue(1)])
    queries_of_the_page()  # the first request of a session reads the language chosen
    one = queries_of_the_page()
    publish([overdue(coupa_id) for coupa_id in range(2, 31)])
    assert queries_of_the_page() == one


def test_a_german_readers_mail_subject_and_text_are_the_german_line(smtp, inbox) -> None:
    greta = person("greta", "Quality engineer", delivery=IMMEDIATE)
    ChosenLanguage.objects.create(user=greta, code="de")
    person("priya", "Quality engineer", delivery=IMMEDIATE)
    sync_and_scan()
    assert build_due_mails(NOW).immediate == 4
    assert send_due(NOW).sent == 4
    to_greta = {m["Subject"]: m for m in inbox.received if m["To"] == "greta@example.com"}
    expected = expected_german()
    assert set(to_greta) == set(expected.values())
    mail = to_greta[expected[Kind.OVERDUE]]
    assert expected[Kind.OVERDUE] in mail.get_body(("plain",)).get_content()
    assert escape(expected[Kind.OVERDUE]) in mail.get_body(("html",)).get_content()
    to_priya = {m["Subject"] for m in inbox.received if m["To"] == "priya@example.com"}
    assert to_priya == {
        "Inspection 1001 (Acme, bolt M8) is overdue (due 2026-12-06)",
        "Inspection 1002 (Acme, bolt M8): Diameter is marginal (10.02)",
    }


def test_a_german_readers_digest_lists_the_german_lines(smtp, inbox) -> None:
    greta = person("greta", "Quality engineer", delivery=DAILY, digest_hour=0)
    ChosenLanguage.objects.create(user=greta, code="de")
    sync_and_scan()
    assert build_due_mails(NOW).digests == 1
    assert send_due(NOW).sent == 1
    (digest,) = inbox.received
    text = digest.get_body(("plain",)).get_content()
    for line in expected_german().values():
        assert f"- {line} (" in text


def test_an_assignment_is_told_in_the_assignees_language(client, engineer) -> None:
    greta = person("greta", "Quality engineer")
    ChosenLanguage.objects.create(user=greta, code="de")
    Inspection.objects.create(coupa_id=77, status="Open", due_date=NOW, supplier_id=8, item_id=70)
    assign([77], greta.pk, by=engineer)
    (event,) = Event.objects.filter(kind=Kind.ASSIGNED)
    assert event.summary == "Inspection 77 assigned to you by priya"
    client.force_login(greta)
    page = client.get(reverse("notification-list")).content.decode()
    assert escape(german(lines.ASSIGNED, inspection=77, person="priya")) in page
