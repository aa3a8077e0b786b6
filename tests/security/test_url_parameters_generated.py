"""No URL parameter, however hostile, answers 500.

Every URL of the resolver, as every role of the role matrix, gets generated values in every
parameter its view reads (declared in test_url_parameters.py): the query string, the form fields
it posts, its path kwargs, and what every request carries (the `tz` cookie, htmx headers, a
request id). A refusal is a message on the page, a 4xx or a redirect, never a 5xx.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.accounts import test_role_matrix as matrix
from tests.security.hostile_requests import (
    HTMX_TARGETS,
    TIME_ZONES,
    _answer,
    _encoded,
    _form_encoded,
    hostile_values,
    path_values,
)
from tests.security.test_url_parameters import PARAMETERS, PATH_KWARG, routes

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
