"""The requests that answered 500 before the hostile-parameter tests existed, each tried on every
run in the time zones furthest from UTC (not left to the search of
test_url_parameters_generated.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from qualityhub.ui.paging import encode_cursor
from tests.accounts import test_role_matrix as matrix
from tests.security.hostile_requests import _answer, _b64, _form_encoded
from tests.security.test_url_parameters import NEW_VALID

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
