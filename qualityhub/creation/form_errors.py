"""Coupa's validation errors put back on the form fields they name.

`coupa.field_errors` reads each of Coupa's paths as a field of the request we sent, by our names;
the form calls a few of them differently (`FORM_FIELD_OF`). What names no field is kept on the
form (or the row) as a whole, Coupa's path in front so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qualityhub.coupa.field_errors import locate_error
from qualityhub.creation.forms import FORM_FIELD_OF, CharacteristicForm, HeaderForm


@dataclass(frozen=True)
class ErrorPlace:
    """Where one of Coupa's errors belongs on the form: a row (None: the header) and a field
    (None: the form or row as a whole)."""

    row: int | None
    field: str | None


def locate_coupa_error(path: str, limit_sides: Sequence[Sequence[str]]) -> ErrorPlace:
    """The form field a Coupa error path names. `limit_sides[i]` lists the sides ("min",
    "max") of the limits sent for characteristic i, in the order they were sent."""
    place = locate_error(path, limit_sides)
    field = FORM_FIELD_OF.get(place.field, place.field) if place.field else None
    return ErrorPlace(place.characteristic, field)


def place_coupa_errors(
    field_errors: Mapping[str, Sequence[str]],
    header: HeaderForm,
    rows: Sequence[CharacteristicForm],
    formset_errors: list[str],
) -> None:
    """Put Coupa's errors on the fields of the (valid) forms whose request Coupa refused.

    `rows` are the rows that were sent, in order. Errors about the characteristics as a list go
    into `formset_errors`.
    """
    sides = [[limit.limit_type for limit in row.limits()] for row in rows]
    for path, messages in field_errors.items():
        place = locate_error(path, sides)
        field = FORM_FIELD_OF.get(place.field, place.field) if place.field else None
        for message in messages:
            text = f"Coupa: {place.path}: {message}" if place.path else f"Coupa: {message}"
            if place.all_characteristics:
                formset_errors.append(text)
            elif place.characteristic is None:
                header.add_error(field, text)
            else:
                rows[place.characteristic].add_error(field, text)
