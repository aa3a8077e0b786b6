"""Saving, renaming, sharing and deleting a user's views, within their bounds.

What a view's query holds is decided before it gets here (`reading.read_query`): these functions
take it as read and keep the rules of the store itself, each refusal a message for the user.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qualityhub.savedviews.models import (
    MAX_NAME_LENGTH,
    MAX_QUERY_LENGTH,
    MAX_SORT_LENGTH,
    SavedView,
)

MAX_VIEWS_PER_USER = 50


class Refused(ValueError):
    """What the user asked cannot be kept; the message says why, to them."""


def clean_name(raw: str) -> str:
    """A view's name: trimmed, 1 to MAX_NAME_LENGTH characters, no control characters."""
    name = " ".join(raw.split())  # runs of spaces, tabs and newlines become one space
    if not name:
        raise Refused(_("Give the view a name."))
    if len(name) > MAX_NAME_LENGTH:
        raise Refused(
            _("A view's name has at most %(most)s characters.") % {"most": MAX_NAME_LENGTH}
        )
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in name):
        raise Refused(_("A view's name cannot hold control characters."))
    return name


def save_view(owner: Any, page: str, name: str, query: str, sort: str) -> SavedView:
    name = clean_name(name)
    if len(query) > MAX_QUERY_LENGTH or len(sort) > MAX_SORT_LENGTH:
        raise Refused(_("These filters are too long to save as a view."))
    if SavedView.objects.filter(owner=owner).count() >= MAX_VIEWS_PER_USER:
        raise Refused(
            _(
                "You have %(most)s saved views, the most one can keep: "
                "delete one under “Manage views” first."
            )
            % {"most": MAX_VIEWS_PER_USER}
        )
    _refuse_taken(owner, page, name)
    view = SavedView(owner=owner, page=page, name=name, query=query, sort=sort)
    _save_once(view, name)
    return view


def rename_view(view: SavedView, name: str) -> SavedView:
    name = clean_name(name)
    _refuse_taken(view.owner_id, view.page, name, but=view.pk)
    view.name = name
    _save_once(view, name)
    return view


def set_shared(view: SavedView, shared: bool) -> SavedView:
    view.shared = shared
    view.save(update_fields=["shared", "updated_at"])
    return view


def delete_view(view: SavedView) -> None:
    view.delete()


def _refuse_taken(owner: Any, page: str, name: str, *, but: int | None = None) -> None:
    taken = SavedView.objects.filter(owner=owner, page=page, name__iexact=name)
    if but is not None:
        taken = taken.exclude(pk=but)
    if taken.exists():
        raise Refused(
            _("You already have a view named “%(name)s”: choose another name.") % {"name": name}
        )


def _save_once(view: SavedView, name: str) -> None:
    # The unique constraint decides between two saves of the same name at the same moment (and
    # between case foldings the lookup above and the database's LOWER() see differently).
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError:
        raise Refused(
            _("You already have a view named “%(name)s”: choose another name.") % {"name": name}
        ) from None
