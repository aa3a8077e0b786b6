"""Hostile values for URL parameters (huge, negative and non-ASCII-digit numbers, far dates, forged
paging cursors, garbage base64, 10k-character strings, NUL bytes, lone surrogates), the encoding
that sends them as a hostile client would, and the request that reads a whole answer."""

from __future__ import annotations

import base64
import json
from datetime import timedelta, timezone
from urllib.parse import quote_from_bytes

from django.test import Client
from hypothesis import strategies as st

from qualityhub.ui.paging import encode_cursor

# The zones furthest from UTC either way: a far date shifted into UTC leaves Python's range.
TIME_ZONES = ("", "UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "../etc", "x" * 300, "\x00")
HTMX_TARGETS = ("results", "overview-period", "batch-progress", "inspection-main")


# --- the values ---------------------------------------------------------------------------------

BIG_NUMBERS = (
    str(2**63 - 1), str(2**63), str(2**64), str(-(2**63) - 1), "9" * 40, "-1", "0",
    "000000000000000000000001", "1e309", "NaN", "-0", " 1 ", "+1", "0x10", "1_000",
)  # fmt: skip
NON_ASCII_DIGITS = ("²", "¹⁰", "١٢٣", "۴", "߁", "১২", "𝟙𝟚", "١", "Ⅻ", "½", "٣٠")
FAR_DATES = (
    "10000-01-01", "0000-01-01", "99999-01-01", "9999-12-31", "0001-01-01", "2024-02-30",
    "-2024-01-01", "2024-13-01", "20240101", "+12024-01-01",
)  # fmt: skip
DATETIMES = (
    "2024-01-01T00:00:00", "9999-12-31T23:59:59", "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00", "2024-01-01T00:00:00+00:00",
    "10000-01-01T00:00:00", "2024-01-01 00:00", "2024-01-01T25:00",
)  # fmt: skip
APP_WORDS = (
    "Open", "Closed", "In Buyer Review", "Accepted", "Rejected", "pass", "fail", "yes", "no",
    "1", "2", "10", "13", "52", "accepted-failing", "mark-exported", "reset-exported",
    "due_date", "-due_date", "-modified", "id", "-id", "name", "acceptance", "-acceptance",
    "status=Open", "due_after=10000-01-01", "supplier=²", "id=99999999999999999999", "add",
    "remove:chars-0", "remove:chars-99999999999999999999", "Length", "UTC", "Europe/Paris",
)  # fmt: skip
LONG = ("x" * 10_000, "9" * 10_000, "²" * 5_000, "\x00" * 100)
ODD = ("", " ", "\x00", "a\x00b", "1\x00", "\ud800", "a\udfffb", "\u202e", "%", "%zz", "&", "=")

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(FAR_DATES + DATETIMES + BIG_NUMBERS + NON_ASCII_DIGITS),
    st.text(max_size=10),
)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=5)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


cursors = st.one_of(
    st.tuples(json_values, json_values).map(lambda pair: encode_cursor(*pair)),
    json_values.map(lambda value: _b64(json.dumps(value).encode())),
    st.binary(max_size=40).map(_b64),
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/", max_size=20
    ),
)
# Digits that pass str.isdigit(): some int() reads (Arabic-Indic), some it refuses (superscripts).
UNICODE_DIGITS = "²³¹⁰①⑴⒈١٢٣۴߁১𝟙𝟚"
offsets = st.integers(min_value=-23 * 60, max_value=23 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
hostile_values = st.one_of(
    st.sampled_from(BIG_NUMBERS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(NON_ASCII_DIGITS),
    st.text(alphabet=UNICODE_DIGITS, min_size=1, max_size=4),
    st.sampled_from(FAR_DATES),
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(DATETIMES),
    st.datetimes(timezones=st.none() | offsets).map(lambda moment: moment.isoformat()),
    cursors,
    st.sampled_from(LONG),
    st.sampled_from(ODD),
    st.sampled_from(APP_WORDS),
    st.text(max_size=30),
)
# Path kwargs: what the converters let through (digits of any size), and what they should not.
path_values = st.one_of(
    st.sampled_from(
        (str(2**63 - 1), str(2**63), "9" * 40, "0", "00000000000000000000001", "²", "١")
    ),
    st.integers(min_value=0, max_value=2**80).map(str),
    st.text(max_size=12),
)


def _encoded(text: str) -> str:
    # surrogatepass: a lone surrogate becomes the invalid UTF-8 a hostile client can send.
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="")


def _form_encoded(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{_encoded(key)}={_encoded(value)}" for key, value in pairs)


def _answer(client: Client, method: str, path: str, body: str | None, headers: dict):
    if method == "GET":
        response = client.get(path, headers=headers)
    else:
        response = client.post(
            path, body, content_type="application/x-www-form-urlencoded", headers=headers
        )
    if response.streaming:
        b"".join(response.streaming_content)  # a failure halfway through a stream counts too
    return response
