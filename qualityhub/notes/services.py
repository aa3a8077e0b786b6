"""Writing a note: the text checked and cleaned, its mentions checked against who may see the
inspection, the note saved and each person mentioned told (`Kind.MENTIONED`), in one
transaction. Nothing here talks to Coupa: notes stay in QualityHub."""

from __future__ import annotations

import re
import unicodedata

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from qualityhub.accounts.access import people_who_see
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.notes import mentions
from qualityhub.notes.models import MAX_LENGTH, Note
from qualityhub.notes.people import users_named
from qualityhub.notifications.audience import listeners
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.publish import EventDraft, publish

MAX_MENTIONS = 20
# Bidirectional overrides and isolates: invisible, they make a text read otherwise than it is.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


class NoteRefused(ValueError):
    """The note was not saved; the message says why, for the person who wrote it."""


def clean_text(text: str) -> str:
    """The text as stored: line ends made `\\n`, control characters other than line end and
    tab removed (with NUL, which no database column holds), bidirectional overrides removed,
    spaces trimmed at both ends. Raises `NoteRefused` when nothing is left or it is too long."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        char for char in text if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs")
    )
    text = _BIDI.sub("", text).strip()
    if not text:
        raise NoteRefused(_("Write something: the note is empty."))
    if len(text) > MAX_LENGTH:
        raise NoteRefused(
            _(
                "A note holds at most %(max)s characters; this one has %(length)s. "
                "Shorten it, or split it into two notes."
            )
            % {
                "max": number_format(MAX_LENGTH, force_grouping=True),
                "length": number_format(len(text), force_grouping=True),
            }
        )
    return text


def write_note(
    inspection: Inspection, author, text: str, *, characteristic: Characteristic | None = None
) -> Note:
    """Save a note by `author` (a user who may see `inspection`) and tell the people it
    mentions. Mentioning someone who may not see the inspection refuses the whole note, so that
    nobody believes a colleague was told who was not (and nobody outside the supplier's
    assignment hears of it)."""
    text = clean_text(text)
    people = _mentioned_people(text, inspection)
    now = timezone.now()
    with transaction.atomic():
        note = Note.objects.create(
            inspection=inspection,
            characteristic_id=characteristic.coupa_id if characteristic else None,
            characteristic_label=_label(characteristic) if characteristic else "",
            author=author,
            text=text,
            mentions=[username for _pk, username in people],
            created_at=now,
        )
        drafts = _drafts(note, characteristic, people, author)
        if drafts:  # a mention is for its person alone: only they need be read as listeners
            publish(drafts, audience=listeners(draft.person_id for draft in drafts))
    return note


def _mentioned_people(text: str, inspection: Inspection) -> list[tuple[int, str]]:
    """(id, username) of each person `text` mentions; `NoteRefused` if any of them may not be
    mentioned on this inspection."""
    users = users_named(mentions.candidates(text))
    named = mentions.mentioned(text, users)
    if len(named) > MAX_MENTIONS:
        raise NoteRefused(
            _("A note can mention at most %(count)s people.") % {"count": MAX_MENTIONS}
        )
    if not named:
        return []
    allowed = set(
        people_who_see(inspection.supplier_id)
        .filter(pk__in=[users[name][0] for name in named])
        .values_list("pk", flat=True)
    )
    refused = [name for name in named if users[name][0] not in allowed]
    if refused:
        listed = ", ".join(f"@{name}" for name in refused)
        raise NoteRefused(
            _(
                "The note was not saved: %(people)s may not see this inspection (or no longer "
                "has an active account), so cannot be mentioned. Remove the @ to name them as "
                "plain text."
            )
            % {"people": listed}
        )
    return [(users[name][0], name) for name in named]


def _drafts(
    note: Note, characteristic: Characteristic | None, people: list[tuple[int, str]], author
) -> list[EventDraft]:
    inspection = note.inspection
    # The line's parts, for `notifications.lines` to name it in each reader's language.
    args = {
        "person": author.get_username() if author is not None else None,
        "inspection": inspection.coupa_id,
        "characteristic": (
            {"number": characteristic.line_num, "name": characteristic.name or ""}
            if characteristic is not None
            else None
        ),
    }
    return [
        EventDraft(
            key=f"mentioned:{note.pk}:{person_id}",
            kind=Kind.MENTIONED,
            line_args=args,
            inspection_id=inspection.coupa_id,
            characteristic_id=note.characteristic_id,
            supplier_id=inspection.supplier_id,
            item_id=inspection.item_id,
            actor_id=author.pk if author is not None else None,
            person_id=person_id,
            at=note.created_at,
        )
        for person_id, _username in people
        if author is None or person_id != author.pk  # the author is never told of their own note
    ]


def _label(characteristic: Characteristic) -> str:
    line = f"Line {characteristic.line_num}" if characteristic.line_num is not None else "Line"
    return f"{line} · {characteristic.name}"[:300] if characteristic.name else line
