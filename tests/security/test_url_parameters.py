"""No URL parameter, however hostile, answers 500.

Every URL of the resolver, as every role of the role matrix, gets generated values in every
parameter its view reads: the query string, the form fields it posts, its path kwargs, and what
every request carries (the `tz` cookie, htmx headers, a request id). Values are huge, negative and
non-ASCII-digit numbers, far dates, forged paging cursors, garbage base64, 10k-character strings,
NUL bytes, lone surrogates (as the invalid UTF-8 a client can send), empty and repeated keys.
A refusal is a message on the page, a 4xx or a redirect, never a 5xx.

`PARAMETERS` names what each view reads; a URL without an entry fails the suite, so a new view
must declare its parameters to be tried.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualityhub.ui.paging import encode_cursor
from tests.accounts import test_role_matrix as matrix
from tests.creation.conftest import SEED_HEADER, SEED_ROWS
from tests.sandbox_process import SandboxProcess

world = matrix.world  # the role matrix's users and objects


@dataclass(frozen=True)
class Reads:
    """The parameters a view reads; None: the view does not answer that method. `valid` holds
    values that pass, so the hostile ones also reach what lies behind a valid form."""

    get: tuple[str, ...] | None = ()
    post: tuple[str, ...] | None = None
    valid: dict[str, str] = field(default_factory=dict)


POSTED = Reads(get=None, post=())
LIST_FILTERS = (
    "status", "decision", "verdict", "supplier", "item", "exported", "gone", "overdue",
    "due_after", "due_before", "due_within", "reviewed_this_month", "disagreement", "queue", "q",
)  # fmt: skip
PAGING = ("sort", "after", "before")
NEW_HEADER = (
    "due_date", "supplier_id", "item_id", "supplier_part_number", "buyer_part_number",
    "buyer_batch_number", "item_quantity", "sample_size", "uom", "requested_by", "po_number",
    "po_line", "external_id", "idempotency_key",
)  # fmt: skip
NEW_ROW_FIELDS = (
    "name", "kind", "value_type", "quantitative", "requirement", "choices", "target",
    "precision", "min_operator", "min_value", "max_operator", "max_value",
)  # fmt: skip
NEW_FORMSET = (
    "chars-TOTAL_FORMS", "chars-INITIAL_FORMS", "chars-MIN_NUM_FORMS", "chars-MAX_NUM_FORMS",
    *(f"chars-{index}-{name}" for index in (0, 3) for name in NEW_ROW_FIELDS),
)  # fmt: skip
NEW_VALID = (
    SEED_HEADER
    | {f"chars-0-{name}": value for name, value in SEED_ROWS[1].items()}
    | {"chars-TOTAL_FORMS": "1", "chars-INITIAL_FORMS": "0"}
)

PARAMETERS: dict[str, Reads] = {
    "login": Reads(
        get=("next",), post=("username", "password", "next"), valid={"username": "priya"}
    ),
    "logout": Reads(get=None, post=("next",)),
    "password_change": Reads(post=("old_password", "new_password1", "new_password2")),
    "password_change_done": Reads(),
    "password_reset": Reads(post=("email",)),
    "password_reset_done": Reads(),
    "password_reset_confirm": Reads(
        post=("new_password1", "new_password2"),
        valid={"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"},
    ),
    "password_reset_complete": Reads(),
    "healthz": Reads(),
    "favicon": Reads(),
    "overview": Reads(get=("weeks",)),
    "supplier-list": Reads(get=("weeks", "sort")),
    "supplier-detail": Reads(get=("weeks",)),
    "trends": Reads(
        get=("item", "characteristic", "supplier"),
        valid={"item": "5", "characteristic": "Length", "supplier": str(matrix.SUPPLIER)},
    ),
    "inspection-list": Reads(get=(*LIST_FILTERS, *PAGING, "size")),
    "inspection-export": Reads(get=LIST_FILTERS),
    "inspection-detail": Reads(),
    "characteristic-choices": Reads(),
    "inspection-timeline": Reads(),
    "result-list": Reads(
        get=("supplier", "item", "name", "verdict", "modified_after", "modified_before", *PAGING)
    ),
    "sync-status": Reads(),
    "sync-now": POSTED,
    "attachment-list": Reads(),
    "attachment-list-line": Reads(),
    "attachment-download": Reads(),
    "attachment-upload": Reads(get=None, post=("file",)),
    "attachment-upload-line": Reads(get=None, post=("file",)),
    "attachment-delete": POSTED,
    "attachment-retry": POSTED,
    "inspection-refresh": POSTED,
    "inspection-refresh-status": Reads(get=("since",)),
    "inspection-exported": Reads(get=("item",)),
    "inspection-mark-exported": POSTED,
    "inspection-reset-exported": POSTED,
    "exporting-bulk-selected": Reads(
        get=None,
        post=("action", "id", "confirmed"),
        valid={"action": "mark-exported", "id": "1", "confirmed": "1"},
    ),
    "exporting-bulk-filtered": Reads(
        get=None,
        post=("action", "query", "expected", "confirmed"),
        valid={
            "action": "mark-exported",
            "query": "status=Open",
            "expected": "1",
            "confirmed": "1",
        },
    ),
    "exporting-batches": Reads(),
    "exporting-batch": Reads(),
    "exporting-batch-retry": POSTED,
    "inspection-new": Reads(post=("action", *NEW_HEADER, *NEW_FORMSET), valid=NEW_VALID),
    "inspection-new-row": Reads(get=("chars-TOTAL_FORMS",)),
    "inspection-new-row-removed": Reads(),
    "inspection-import": Reads(post=("file",)),
    "inspection-import-template": Reads(),
    "inspection-import-batch": Reads(),
    "inspection-import-send": POSTED,
    "inspection-import-progress": Reads(),
    "inspection-new-sending": Reads(),
    "inspection-new-sending-progress": Reads(),
}
# What every request may carry, whatever the view: read by middleware.
EVERY_REQUEST_COOKIES = ("tz",)
# The zones furthest from UTC either way: a far date shifted into UTC leaves Python's range.
TIME_ZONES = ("", "UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "../etc", "x" * 300, "\x00")
HTMX_TARGETS = ("results", "overview-period", "batch-progress", "inspection-main")

# Examples per URL and role: the signed-in roles that reach the views get the most; anonymous
# users and outsiders are turned away before a view reads anything but its path.
EXAMPLES = {
    "engineer": 30,
    "buyer": 6,
    "manager": 6,
    "limited_buyer": 10,
    "outsider": 2,
    "anonymous": 3,
}


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


# --- the URLs -------------------------------------------------------------------------------------

PATH_KWARG = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def routes() -> dict[str, str]:
    """Each URL name's full route (`inspections/<int:coupa_id>/`), outside Django's admin."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace != "admin":
                found[pattern.name] = route

    walk(get_resolver().url_patterns, "", None)
    return found


def test_every_url_declares_the_parameters_its_view_reads() -> None:
    names = set(routes())
    assert sorted(names - set(PARAMETERS)) == [], "declare what these views read in PARAMETERS"
    assert sorted(set(PARAMETERS) - names) == [], "these entries name URLs that no longer exist"


def test_every_number_in_a_path_is_a_bounded_id() -> None:
    """`<id:...>` (ASCII digits up to the database's integer), never Django's unbounded `int`."""
    converters = {
        (name, match["converter"])
        for name, route in routes().items()
        for match in PATH_KWARG.finditer(route)
    }
    assert {converter for _, converter in converters} <= {"id", None, "str"}, converters


@st.composite
def requests(draw, name: str, route: str, known: dict[str, str]):
    """(method, path with query string, body, headers, cookies) of one hostile request."""
    reads = PARAMETERS[name]
    methods = [m for m, names in (("GET", reads.get), ("POST", reads.post)) if names is not None]
    method = draw(st.sampled_from(methods))

    def path_value(match: re.Match) -> str:
        kwarg = match["name"]
        value = draw(st.one_of(st.just(known[kwarg]), path_values)) if kwarg in known else ""
        return _encoded(value)

    path = "/" + PATH_KWARG.sub(path_value, route)
    pairs: list[tuple[str, str]] = []
    for param in reads.get if method == "GET" else reads.post:
        values = st.lists(hostile_values, max_size=3)
        if param in reads.valid:
            values = st.just([reads.valid[param]]) | values
        pairs.extend((param, value) for value in draw(values))
    pairs = draw(st.permutations(pairs))
    headers: dict[str, str] = {}
    if draw(st.booleans()):
        headers["HX-Request"] = "true"
        headers["HX-Target"] = draw(st.sampled_from(HTMX_TARGETS))
    cookies = {"tz": draw(st.sampled_from(TIME_ZONES))}
    encoded = _form_encoded(pairs)
    if method == "GET":
        return method, f"{path}?{encoded}" if encoded else path, None, headers, cookies
    return method, path, encoded, headers, cookies


def _known_kwargs(name: str, world: dict) -> dict[str, str]:
    known = {key: str(value) for key, value in world.items()}
    if name.startswith("exporting-"):
        known["batch_id"] = str(world["export_batch_id"])
    return known


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


@pytest.fixture(scope="module")
def private_sandbox(tmp_path_factory):
    # Its own: the valid forms below create inspections the shared sandbox must not gain.
    server = SandboxProcess(tmp_path_factory.mktemp("sandbox") / "sandbox.sqlite3")
    yield server
    server.stop()


@pytest.fixture
def pointed_at_sandbox(private_sandbox, settings):
    # Views that reach Coupa (creating an inspection, a download) meet a real server.
    settings.COUPA_BASE_URL = private_sandbox.url
    settings.COUPA_TOKEN_URL = f"{private_sandbox.url}/oauth2/token"
    settings.COUPA_MAX_ATTEMPTS = 1
    return private_sandbox


@pytest.mark.parametrize("who", matrix.WHO)
@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_no_parameter_value_answers_a_server_error(
    world, engineer, pointed_at_sandbox, name: str, who: str
) -> None:
    route = routes()[name]
    client = matrix._signed_in_client(Client(raise_request_exception=False), who, engineer)
    known = _known_kwargs(name, world)

    @settings(
        max_examples=EXAMPLES[who],
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(requests(name, route, known))
    def answers_below_500(request) -> None:
        method, path, body, headers, cookies = request
        for key, value in cookies.items():
            client.cookies[key] = value
        described = f"{method} {path[:300]} body={body and body[:300]!r}"
        try:
            response = _answer(client, method, path, body, headers)
        except Exception as exc:  # any exception is the failure looked for
            exc.add_note(described)
            raise
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            # The view's own exception, so each distinct defect is reported on its own.
            error = response.exc_info[1]
            error.add_note(f"{described} → {response.status_code}")
            raise error
        assert response.status_code < 500, f"{described} → {response.status_code}"

    answers_below_500()


# The requests the issue found answering 500, each tried on every run (not left to the search).
FORGED_CURSORS = (
    encode_cursor("10000-01-01T00:00:00", 1),
    encode_cursor("2024-01-01T00:00:00+00:00", 2**64),
    encode_cursor("True", 1),
    _b64(b"[[], []]"),
    "not base64 at all ²",
)
FOUND_BY_THE_ISSUE = (
    ("GET", "/inspections/?due_before=9999-12-31", {}),
    ("GET", "/inspections/?due_after=10000-01-01", {}),
    ("GET", "/inspections/?due_within=99999999999", {}),
    ("GET", "/inspections/?supplier=%C2%B2", {}),
    ("GET", "/inspections/?supplier=99999999999999999999", {}),
    ("GET", "/inspections/?size=%C2%B2", {}),
    ("GET", "/inspections/?q=%C2%B2", {}),
    ("GET", "/inspections/?q=99999999999999999999", {}),
    ("GET", "/inspections/?q=a%00b", {}),  # PostgreSQL refuses NUL in a query
    ("GET", "/results/?name=%00", {}),
    *(("GET", f"/inspections/?sort=due_date&after={cursor}", {}) for cursor in FORGED_CURSORS),
    *(("GET", f"/results/?before={cursor}", {}) for cursor in FORGED_CURSORS),
    ("GET", "/results/?modified_before=9999-12-31", {}),
    ("GET", "/inspections/1/refresh/status/?since=2024-01-01T00:00:00", {}),
    ("GET", "/inspections/1/refresh/status/?since=9999-12-31T23:59:59-14:00", {}),
    ("GET", "/suppliers/?weeks=%C2%B2", {}),
    ("GET", f"/suppliers/{matrix.SUPPLIER}/?weeks=%C2%B2", {}),
    ("GET", "/inspections/99999999999999999999/characteristics/11/choices/", {}),
    ("GET", "/inspections/1/characteristics/99999999999999999999/choices/", {}),
    ("GET", "/inspections/new/row/?chars-TOTAL_FORMS=" + "9" * 5000, {}),
    ("POST", "/exporting/bulk/selected/", {"action": "mark-exported", "id": "9" * 20}),
    ("POST", "/exporting/bulk/selected/", {"action": "mark-exported", "id": "²"}),
    ("POST", "/exporting/bulk/filtered/", {"action": "mark-exported", "query": "supplier=²"}),
    ("POST", "/exporting/bulk/filtered/", {"action": "mark-exported", "query": "q=\x00"}),
    ("POST", "/inspections/new/", NEW_VALID | {"action": "remove:chars-" + "9" * 5000}),
    ("POST", "/inspections/new/", NEW_VALID | {"due_date": "9999-12-31T23:59"}),
    ("POST", "/inspections/new/", NEW_VALID | {"due_date": "0001-01-01T00:00"}),
)


@pytest.mark.parametrize(("method", "path", "data"), FOUND_BY_THE_ISSUE)
@pytest.mark.parametrize("tz", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_values_that_answered_500_now_answer_below_500(
    world, engineer, pointed_at_sandbox, method: str, path: str, data: dict, tz: str
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(engineer)
    client.cookies["tz"] = tz
    body = _form_encoded(list(data.items())) if method == "POST" else None
    response = _answer(client, method, path, body, {})
    assert response.status_code < 500, getattr(response, "exc_info", None)
