"""The `<id:...>` path converter every urls.py uses for a database id.

Django's `int` converter takes any run of digits, and an id past the database's 64-bit integer
then overflows in the query (a 500). This one matches at most 19 ASCII digits and refuses a number
above the database's range, so such a URL is simply not found (404).
"""

from __future__ import annotations

from django.urls import register_converter

from qualityhub.ui.params import BadParameter, whole_number


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        try:
            return whole_number(value)
        except BadParameter as refused:
            raise ValueError(str(refused)) from None  # the resolver's "no match"

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(IdConverter, "id")
