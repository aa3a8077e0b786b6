"""Writing a note: what is stored, who may be mentioned, who is told (once), in one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from qualityhub.accounts.access import people_who_see
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.notes.models import MAX_LENGTH, Note
from qualityhub.notes.people import suggestions
from qualityhub.notes.services import NoteRefused, clean_text, write_note
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.models import Event, Notification
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
SUPPLIER, OTHER = 10, 20


@pytest.fixture
def inspection() -> Inspection:
    return Inspection.objects.create(
        coupa_id=7, supplier_id=SUPPLIER, item_id=5, status="Open", due_date=timezone.now()
    )


@pytest.fixture
def line(inspection) -> Characteristic:
    return Characteristic.objects.create(
        coupa_id=71, inspection=inspection, line_num=3, name="Length"
    )


def told(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(user=user).values_list("event__kind", "event__key"))


# --- the text -------------------------------------------------------------------------------


def test_the_text_is_kept_as_written_but_trimmed_and_with_plain_line_ends() -> None:
    assert clean_text("  Line one\r\nLine two\tend  \n") == "Line one\nLine two\tend"


def test_control_characters_and_bidi_overrides_are_removed() -> None:
    assert clean_text("a\x00b\x07c\x1bd\u202eevil\u2066") == "abcdevil"


def test_an_empty_note_is_refused() -> None:
    with pytest.raises(NoteRefused, match="empty"):
        clean_text(" \n\x00\t ")


def test_a_note_over_the_limit_is_refused_saying_how_long_it_is() -> None:
    assert len(clean_text("x" * MAX_LENGTH)) == MAX_LENGTH
    with pytest.raises(NoteRefused, match="at most 4,000 characters; this one has 4,001"):
        clean_text("x" * (MAX_LENGTH + 1))


# --- saving and telling -----------------------------------------------------------------------


def test_a_note_is_saved_with_its_author_and_characteristic(engineer, inspection, line) -> None:
    note = write_note(inspection, engineer, "Length drifts", characteristic=line)
    note.refresh_from_db()
    assert (note.author, note.text, note.characteristic_id) == (engineer, "Length drifts", 71)
    assert note.characteristic_label == "Line 3 · Length"
    assert note.mentions == []


def test_the_person_mentioned_is_told_once_and_the_author_not_at_all(
    engineer, buyer, inspection
) -> None:
    note = write_note(inspection, engineer, "@marco please review; @marco @priya")
    assert note.mentions == ["marco", "priya"]
    assert told(buyer) == [(Kind.MENTIONED, f"mentioned:{note.pk}:{buyer.pk}")]
    assert told(engineer) == []
    event = Event.objects.get()
    assert (event.actor_id, event.person_id, event.inspection_id) == (engineer.pk, buyer.pk, 7)
    assert (event.supplier_id, event.item_id) == (SUPPLIER, 5)
    assert event.summary == "priya mentioned you in a note on inspection 7"


def test_a_note_on_a_characteristic_names_it_in_the_event(engineer, buyer, inspection, line):
    write_note(inspection, engineer, "@marco look", characteristic=line)
    assert Event.objects.get().summary.endswith("on inspection 7 (Line 3 · Length)")
    assert Event.objects.get().characteristic_id == 71


def test_only_the_mentioned_hear_of_it(engineer, buyer, manager, inspection) -> None:
    write_note(inspection, engineer, "@grace FYI")
    assert told(manager) != [] and told(buyer) == []


def test_a_buyer_limited_to_other_suppliers_cannot_be_mentioned(engineer, inspection) -> None:
    make_user("lena", "Buyer", suppliers=[OTHER])
    with pytest.raises(NoteRefused, match="@lena may not see this inspection"):
        write_note(inspection, engineer, "@lena have a look")
    assert Note.objects.count() == 0 and Event.objects.count() == 0


def test_a_buyer_of_this_supplier_can_be_mentioned(engineer, inspection) -> None:
    lena = make_user("lena", "Buyer", suppliers=[OTHER, SUPPLIER])
    write_note(inspection, engineer, "@lena have a look")
    assert len(told(lena)) == 1


def test_inactive_people_and_people_without_a_role_cannot_be_mentioned(
    engineer, outsider, inspection
) -> None:
    gone = make_user("left", "Quality engineer")
    gone.is_active = False
    gone.save()
    for text in ("@left hello", "@otto hello"):
        with pytest.raises(NoteRefused, match="cannot be mentioned"):
            write_note(inspection, engineer, text)
    assert Note.objects.count() == 0


def test_an_unknown_name_is_plain_text(engineer, inspection) -> None:
    note = write_note(inspection, engineer, "meet @10am, mail ops@example.com")
    assert note.mentions == [] and Event.objects.count() == 0


def test_more_than_twenty_people_in_one_note_is_refused(engineer, inspection) -> None:
    for index in range(21):
        make_user(f"eng{index:02}", "Quality engineer")
    with pytest.raises(NoteRefused, match="at most 20 people"):
        write_note(inspection, engineer, " ".join(f"@eng{index:02}" for index in range(21)))
    write_note(inspection, engineer, " ".join(f"@eng{index:02}" for index in range(20)))
    assert Event.objects.count() == 20


def test_writing_the_same_text_twice_makes_two_notes_and_two_notifications(
    engineer, buyer, inspection
) -> None:
    write_note(inspection, engineer, "@marco ping")
    write_note(inspection, engineer, "@marco ping")
    assert len(told(buyer)) == 2


# --- who may be suggested ---------------------------------------------------------------------


def test_suggestions_are_active_people_who_may_see_the_supplier(engineer, inspection) -> None:
    make_user("marta", "Buyer", suppliers=[SUPPLIER])
    make_user("mario", "Buyer", suppliers=[OTHER])
    make_user("mauro", None)
    gone = make_user("maya", "Manager")
    gone.is_active = False
    gone.save()
    names = [user.username for user in suggestions(SUPPLIER, "ma", exclude_id=engineer.pk)]
    assert names == ["marta"]


def test_suggestions_match_names_too_and_stop_at_ten(engineer) -> None:
    for index in range(12):
        user = make_user(f"user{index:02}", "Quality engineer")
        user.first_name = "Zoe"
        user.save()
    found = suggestions(SUPPLIER, "zo", exclude_id=engineer.pk)
    assert [user.username for user in found] == [f"user{index:02}" for index in range(10)]


def test_a_direct_permission_counts_like_a_role(inspection) -> None:
    reader = make_user("reader", None)
    reader.user_permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="browse_inspections")
    )
    assert list(people_who_see(SUPPLIER).values_list("username", flat=True)) == ["reader"]


def test_notes_are_seen_by_whoever_sees_the_inspection(engineer, inspection) -> None:
    from qualityhub.accounts.access import access_for

    write_note(inspection, engineer, "hello")
    lena = make_user("lena", "Buyer", suppliers=[OTHER])
    assert Note.objects.seen_by(access_for(engineer)).count() == 1
    assert Note.objects.seen_by(access_for(lena)).count() == 0


def test_notes_list_newest_first(engineer, inspection) -> None:
    first = write_note(inspection, engineer, "first")
    Note.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=1))
    second = write_note(inspection, engineer, "second")
    assert list(Note.objects.all()) == [second, first]


def test_the_admin_lists_and_opens_notes(admin_client, engineer, inspection) -> None:
    note = write_note(inspection, engineer, "<b>bold</b> claim")
    listing = admin_client.get("/admin/notes/note/")
    assert listing.status_code == 200
    page = admin_client.get(f"/admin/notes/note/{note.pk}/change/")
    assert page.status_code == 200 and "&lt;b&gt;bold&lt;/b&gt; claim" in page.content.decode()


def test_a_note_costs_the_same_queries_however_many_it_mentions(
    engineer, inspection, django_assert_max_num_queries
) -> None:
    for index in range(20):
        make_user(f"eng{index:02}", "Quality engineer")
    write_note(inspection, engineer, "@eng00 warm-up")
    with django_assert_max_num_queries(20) as one:
        write_note(inspection, engineer, "@eng01 one")
    with django_assert_max_num_queries(len(one)):
        write_note(inspection, engineer, " ".join(f"@eng{index:02}" for index in range(20)))
    assert Notification.objects.count() == 22
