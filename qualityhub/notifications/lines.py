"""A notification's main line, written in the reader's language when it is shown or mailed.

An event keeps what its line says, not the words: `Event.line_args` holds the inspection's id,
Coupa's names as Coupa gave them, dates as ISO text and numbers in machine form. `render` writes
the sentence with the language active at that moment (the reader's page, or the recipient's mail
under `translation.override`): dates in its short format, numbers with its decimal mark, and
Coupa's text inserted as is. Each kind's sentences are defined once, here, marked with
`gettext_noop` so that makemessages extracts them.

`english` writes the same sentence in English when the event is published: `Event.summary`
keeps it for the admin and for search, and an event older than `line_args` is shown as that
English line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from qualityhub.notifications.kinds import Kind
from qualityhub.verdicts.display import localized, short_date

Args = dict[str, Any]

# What a line calls an inspection: "Inspection 1234 (Acme, bolt M8)".
# Translators: %(about)s is the supplier and item as Coupa names them, e.g. "Acme, bolt M8".
INSPECTION_ABOUT = gettext_noop("Inspection %(inspection)s (%(about)s)")
INSPECTION = gettext_noop("Inspection %(inspection)s")
# Translators: a supplier the directory cannot name yet, by its Coupa id.
SUPPLIER_NUMBER = gettext_noop("supplier %(supplier)s")

# Translators: %(inspection)s is e.g. "Inspection 1234 (Acme, bolt M8)".
REJECTED = gettext_noop("%(inspection)s was rejected")
# Translators: %(inspection)s is e.g. "Inspection 1234 (Acme, bolt M8)".
ACCEPTED_FAILING = gettext_noop("%(inspection)s was accepted while a required line fails")
# Translators: %(line)s is the characteristic's name as Coupa gives it, %(value)s the value
# recorded for it.
MARGINAL_VALUE = gettext_noop("%(inspection)s: %(line)s is marginal (%(value)s)")
# Translators: %(line)s is the characteristic's name as Coupa gives it.
MARGINAL = gettext_noop("%(inspection)s: %(line)s is marginal")
# Translators: a characteristic Coupa gives no name, in "…: a line is marginal".
UNNAMED_LINE = gettext_noop("a line")
# Translators: %(date)s is the due date in the reader's short date format.
OVERDUE = gettext_noop("%(inspection)s is overdue (due %(date)s)")
# Translators: %(date)s is the due date in the reader's short date format.
DUE_SOON = gettext_noop("%(inspection)s is due on %(date)s")
# Translators: %(date)s is the day the wait began, in the reader's short date format.
REVIEW_WAITING = gettext_noop("%(inspection)s has waited for buyer review since %(date)s")
# Translators: %(file)s is the file's name, %(reason)s Coupa's answer (or why we gave up).
UPLOAD_FAILED = gettext_noop("%(inspection)s: the upload of %(file)s failed: %(reason)s")
# Translators: setting the inspection's "exported" flag in Coupa failed; %(reason)s says why.
MARK_EXPORTED_FAILED = gettext_noop("%(inspection)s: marking it exported failed: %(reason)s")
# Translators: clearing the inspection's "exported" flag in Coupa failed; %(reason)s says why.
CLEAR_EXPORTED_FAILED = gettext_noop(
    "%(inspection)s: clearing its exported flag failed: %(reason)s"
)
# Translators: stands for the inspection in a failed-write line when none is known.
A_WRITE = gettext_noop("A write to Coupa")
# Translators: %(person)s is a user name, %(inspection)s an inspection's number.
MENTIONED = gettext_noop("%(person)s mentioned you in a note on inspection %(inspection)s")
# Translators: %(line)s is the characteristic the note is on, e.g. "Line 3 · Length".
MENTIONED_ON_LINE = gettext_noop(
    "%(person)s mentioned you in a note on inspection %(inspection)s (%(line)s)"
)
# Translators: who wrote a note when their account is gone.
SOMEONE = gettext_noop("Someone")
# Translators: a characteristic's line number on its inspection, in "Line 3 · Length".
LINE_NUMBER = gettext_noop("Line %(number)s")
LINE = gettext_noop("Line")
# Translators: %(person)s is the user name of who assigned it (or "QualityHub").
ASSIGNED = gettext_noop("Inspection %(inspection)s assigned to you by %(person)s")

#: What failed, in a `write-failed` line's `write` argument.
UPLOAD, MARK_EXPORTED, CLEAR_EXPORTED = "upload", "mark-exported", "clear-exported"
_WRITES = {
    UPLOAD: UPLOAD_FAILED,
    MARK_EXPORTED: MARK_EXPORTED_FAILED,
    CLEAR_EXPORTED: CLEAR_EXPORTED_FAILED,
}


# --- what an event keeps -----------------------------------------------------------------------


def inspection_args(
    coupa_id: int, supplier_name: str | None, supplier_id: int | None, item_name: str | None
) -> Args:
    return {
        "inspection": coupa_id,
        "supplier": supplier_name or "",
        "supplier_id": supplier_id,
        "item": item_name or "",
    }


def iso_date(moment: date) -> str:
    """The calendar date of `moment` (a datetime in the zone it came in) as a line keeps it."""
    return f"{moment:%Y-%m-%d}"


# --- writing the line --------------------------------------------------------------------------


def render(kind: str, args: Args | None, fallback: str) -> str:
    """The line of an event of `kind` in the active language; `fallback` (the English kept in
    `Event.summary`) for an event published before lines kept their arguments, or whose
    arguments (or a translation's placeholders) do not fit its sentence."""
    writer = _WRITERS.get(kind)
    if args is None or writer is None:
        return fallback
    try:
        return writer(args)
    except (KeyError, TypeError, ValueError):
        return fallback


def english(kind: str, args: Args) -> str:
    """The line as `Event.summary` keeps it: in English, dates in ISO."""
    with translation.override("en"):
        return render(kind, args, "")


def inspection(args: Args) -> str:
    """ "Inspection 1234 (Acme, bolt M8)"; "supplier 8" for a supplier not named yet."""
    supplier = args.get("supplier") or ""
    if not supplier and args.get("supplier_id") is not None:
        supplier = gettext(SUPPLIER_NUMBER) % {"supplier": args["supplier_id"]}
    about = ", ".join(part for part in (supplier, args.get("item")) if part)
    if about:
        return gettext(INSPECTION_ABOUT) % {"inspection": args["inspection"], "about": about}
    return gettext(INSPECTION) % {"inspection": args["inspection"]}


def characteristic(number: int | None, name: str) -> str:
    """ "Line 3 · Length", as a mention names the line its note is on."""
    line = gettext(LINE_NUMBER) % {"number": number} if number is not None else gettext(LINE)
    return f"{line} · {name}" if name else line


def _date(text: str) -> str:
    return short_date(date.fromisoformat(text))


def _rejected(args: Args) -> str:
    return gettext(REJECTED) % {"inspection": inspection(args)}


def _accepted_failing(args: Args) -> str:
    return gettext(ACCEPTED_FAILING) % {"inspection": inspection(args)}


def _marginal(args: Args) -> str:
    values = {"inspection": inspection(args), "line": args.get("line") or gettext(UNNAMED_LINE)}
    value = args.get("value") or ""
    if not value:
        return gettext(MARGINAL) % values
    # A recorded number gets the reader's decimal mark; a text or code is Coupa's, as is.
    values["value"] = localized(value) if args.get("number") else value
    return gettext(MARGINAL_VALUE) % values


def _overdue(args: Args) -> str:
    return gettext(OVERDUE) % {"inspection": inspection(args), "date": _date(args["due"])}


def _due_soon(args: Args) -> str:
    return gettext(DUE_SOON) % {"inspection": inspection(args), "date": _date(args["due"])}


def _review_waiting(args: Args) -> str:
    values = {"inspection": inspection(args), "date": _date(args["since"])}
    return gettext(REVIEW_WAITING) % values


def _write_failed(args: Args) -> str:
    about = inspection(args) if args.get("inspection") is not None else gettext(A_WRITE)
    values = {"inspection": about, "file": args.get("file", ""), "reason": args["reason"]}
    return gettext(_WRITES[args["write"]]) % values


def _mentioned(args: Args) -> str:
    values = {
        "person": args.get("person") or gettext(SOMEONE),
        "inspection": args["inspection"],
    }
    on = args.get("characteristic")
    if on is None:
        return gettext(MENTIONED) % values
    values["line"] = characteristic(on.get("number"), on.get("name") or "")
    return gettext(MENTIONED_ON_LINE) % values


def _assigned(args: Args) -> str:
    values = {"inspection": args["inspection"], "person": args.get("person") or "QualityHub"}
    return gettext(ASSIGNED) % values


_WRITERS: dict[str, Callable[[Args], str]] = {
    Kind.REJECTED: _rejected,
    Kind.ACCEPTED_FAILING: _accepted_failing,
    Kind.MARGINAL: _marginal,
    Kind.OVERDUE: _overdue,
    Kind.DUE_SOON: _due_soon,
    Kind.REVIEW_WAITING: _review_waiting,
    Kind.WRITE_FAILED: _write_failed,
    Kind.MENTIONED: _mentioned,
    Kind.ASSIGNED: _assigned,
}
