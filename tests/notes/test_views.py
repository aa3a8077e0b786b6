"""The note form and the timeline through the URLconf: writing (plain and htmx), refusals that
keep the text, hostile input, the timeline's rendering, and the colleagues a mention may name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from qualityhub.audit.record import record
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.notes.models import Note
from qualityhub.notes.services import write_note
from qualityhub.notifications.models import Notification
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
SUPPLIER, OTHER = 10, 20
WRITE, PEOPLE, TIMELINE = (
    "/inspections/7/notes/",
    "/inspections/7/notes/people/",
    "/inspections/7/timeline/",
)


@pytest.fixture
def inspection() -> Inspection:
    inspection = Inspection.objects.create(
        coupa_id=7, supplier_id=SUPPLIER, item_id=5, status="Open", due_date=timezone.now()
    )
    Characteristic.objects.create(coupa_id=71, inspection=inspection, line_num=1, name="Length")
    Characteristic.objects.create(coupa_id=72, inspection=inspection, line_num=2, name="Width")
    return inspection


def timeline(client) -> str:
    response = client.get(TIMELINE, headers=HTMX)
    assert response.status_code == 200
    return response.content.decode()


# --- writing --------------------------------------------------------------------------------


def test_without_script_a_note_is_posted_and_the_page_comes_back(signed_in, inspection) -> None:
    response = signed_in.post(WRITE, {"text": "Looks fine", "line": ""})
    assert response.status_code == 302
    assert response["Location"] == "/inspections/7/#timeline"
    assert Note.objects.get().text == "Looks fine"
    page = signed_in.get("/inspections/7/").content.decode()
    assert "Note added to the timeline." in page


def test_with_htmx_the_form_comes_back_empty_and_the_timeline_is_told(
    signed_in, inspection
) -> None:
    response = signed_in.post(WRITE, {"text": "On width", "line": "72"}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "timeline-changed"
    html = response.content.decode()
    assert 'id="note-form"' in html and "Note added." in html
    assert "On width</textarea>" not in html
    assert "<html" not in html  # the form alone
    assert Note.objects.get().characteristic_label == "Line 2 · Width"


def test_the_detail_page_has_the_form_saying_notes_stay_here(signed_in, inspection) -> None:
    html = signed_in.get("/inspections/7/").content.decode()
    assert 'data-testid="note-form"' in html
    assert "never sent to Coupa" in html
    assert '<option value="71">Line 1 · Length</option>' in html
    assert 'data-mentions="/inspections/7/notes/people/"' in html
    assert "qualityhub/mentions.js" in html and 'nonce="' in html


def test_without_write_notes_there_is_no_form(client, inspection) -> None:
    reader = make_user("reader", None)
    reader.user_permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="browse_inspections")
    )
    client.force_login(reader)
    html = client.get("/inspections/7/").content.decode()
    assert "note-form" not in html
    assert client.post(WRITE, {"text": "x"}).status_code == 403


def test_a_refused_mention_keeps_the_text_and_says_why(signed_in, inspection) -> None:
    make_user("lena", "Buyer", suppliers=[OTHER])
    text = "Ask @lena about <b>this</b>"
    response = signed_in.post(WRITE, {"text": text, "line": "71"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "@lena may not see this inspection" in html
    assert "Ask @lena about &lt;b&gt;this&lt;/b&gt;</textarea>" in html
    assert '<option value="71" selected>' in html
    response = signed_in.post(WRITE, {"text": text}, headers=HTMX)
    assert response.status_code == 200 and "@lena may not see" in response.content.decode()
    assert "HX-Trigger" not in response
    assert Note.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"text": ""}, "the note is empty"),
        ({"text": " \x00 \x07 "}, "the note is empty"),
        ({}, "the note is empty"),
        ({"text": "x" * 4001}, "at most 4,000 characters"),
        ({"text": "x" * 100_000}, "at most 4,000 characters"),
        ({"text": "ok", "line": "abc"}, "Choose a characteristic"),
        ({"text": "ok", "line": "-1"}, "Choose a characteristic"),
        ({"text": "ok", "line": "9" * 40}, "Choose a characteristic"),
        ({"text": "ok", "line": "9223372036854775807"}, "not on this inspection"),
        ({"text": "ok", "line": "999"}, "not on this inspection"),
    ],
)
def test_hostile_input_gets_a_clear_message_never_a_500(signed_in, inspection, data, said) -> None:
    for headers in ({}, HTMX):
        response = signed_in.post(WRITE, data, headers=headers)
        assert response.status_code in (200, 422)
        assert said in response.content.decode()
    assert Note.objects.count() == 0


def test_another_inspections_characteristic_is_refused(signed_in, inspection) -> None:
    other = Inspection.objects.create(coupa_id=8, supplier_id=SUPPLIER, due_date=timezone.now())
    Characteristic.objects.create(coupa_id=81, inspection=other, name="Elsewhere")
    response = signed_in.post(WRITE, {"text": "x", "line": "81"})
    assert response.status_code == 422 and Note.objects.count() == 0


def test_control_characters_are_removed_and_the_rest_saved(signed_in, inspection) -> None:
    signed_in.post(WRITE, {"text": "a\x1b[31mb\x00c\u202ed"})
    assert Note.objects.get().text == "a[31mbcd"


def test_the_mentioned_person_gets_exactly_one_notification(
    signed_in, engineer, buyer, inspection
) -> None:
    signed_in.post(WRITE, {"text": "@marco please look, @marco"})
    assert Notification.objects.filter(user=buyer).count() == 1
    assert Notification.objects.filter(user=engineer).count() == 0


# --- the timeline ---------------------------------------------------------------------------


def test_notes_and_events_are_merged_newest_first(signed_in, engineer, inspection) -> None:
    old = write_note(inspection, engineer, "the oldest")
    Note.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    event = record(7, "mark-exported", "Marked as exported", user=engineer)
    event.at = timezone.now() - timedelta(days=1)
    event.save()
    write_note(inspection, engineer, "the newest")
    html = timeline(signed_in)
    assert html.index("the newest") < html.index("Marked as exported") < html.index("the oldest")


def test_a_note_on_a_characteristic_names_it(signed_in, engineer, inspection) -> None:
    line = Characteristic.objects.get(coupa_id=71)
    write_note(inspection, engineer, "drifting", characteristic=line)
    assert 'data-testid="note-characteristic">Line 1 · Length</span>' in timeline(signed_in)


def test_links_are_clickable_and_mentions_marked(signed_in, engineer, buyer, inspection) -> None:
    write_note(inspection, engineer, "@marco see https://example.com/report?a=1&b=2 now")
    html = timeline(signed_in)
    assert (
        '<a href="https://example.com/report?a=1&amp;b=2" rel="nofollow">'
        "https://example.com/report?a=1&amp;b=2</a>"
    ) in html
    assert '<strong class="text-primary-emphasis" data-testid="mention">@marco</strong>' in html


def test_hostile_text_is_shown_as_text(signed_in, engineer, inspection) -> None:
    write_note(
        inspection,
        engineer,
        '<script>alert(1)</script> javascript:alert(1) <a href="javascript:x">y</a> '
        '"><img src=x onerror=alert(1)> http://"onmouseover="alert(1)',
    )
    html = timeline(signed_in)
    assert "<script>alert" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'onmouseover="alert' not in html


def test_line_breaks_are_kept(signed_in, engineer, inspection) -> None:
    write_note(inspection, engineer, "one\ntwo")
    assert "one<br>two" in timeline(signed_in)


def test_the_timeline_costs_the_same_queries_whatever_the_notes(
    signed_in, engineer, inspection, django_assert_max_num_queries
) -> None:
    write_note(inspection, engineer, "first")
    timeline(signed_in)
    with django_assert_max_num_queries(5) as few:  # user, inspection, events, notes, names
        timeline(signed_in)
    for index in range(30):
        write_note(inspection, make_user(f"u{index}", "Buyer"), f"note {index}")
    with django_assert_max_num_queries(len(few)):
        html = timeline(signed_in)
    assert html.count('data-testid="timeline-note"') == 31


# --- whom a mention may name ----------------------------------------------------------------


def people(client, q: str = "") -> list[str]:
    response = client.get(PEOPLE, {"q": q})
    assert response.status_code == 200
    return [row["value"] for row in response.json()["results"]]


def test_the_list_holds_active_colleagues_who_may_see_the_inspection(
    signed_in, buyer, manager, inspection
) -> None:
    make_user("lena", "Buyer", suppliers=[OTHER])
    make_user("luca", "Buyer", suppliers=[SUPPLIER])
    make_user("otto", None)
    assert people(signed_in) == ["grace", "luca", "marco"]  # not priya herself
    assert people(signed_in, "@L") == ["luca"]
    assert people(signed_in, "nobody") == []


def test_a_long_or_odd_question_is_answered_not_failed(signed_in, inspection) -> None:
    assert people(signed_in, "m" * 10_000) == []
    assert people(signed_in, "\x00%_'\"") == []


def test_the_list_names_people_by_full_name_too(signed_in, inspection) -> None:
    colleague = make_user("jk", "Manager")
    colleague.first_name, colleague.last_name = "Jana", "Kovács"
    colleague.save()
    response = signed_in.get(PEOPLE, {"q": "kov"})
    assert response.json()["results"] == [{"value": "jk", "text": "jk", "detail": "Jana Kovács"}]


def test_a_buyer_limited_to_other_suppliers_gets_404(client, inspection) -> None:
    client.force_login(make_user("lena", "Buyer", suppliers=[OTHER]))
    assert client.get(PEOPLE, {"q": ""}).status_code == 404
    assert client.post(WRITE, {"text": "hello"}).status_code == 404
    assert Note.objects.count() == 0
