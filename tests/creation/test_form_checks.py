"""A changed field of the new-inspection form is checked again at once: its stale error goes.

The check answers, out of band, the error place of the changed field (with its errors as they
are now) and of every field of the same part (header or row) that has no error any more.
"""

from __future__ import annotations

import re

import pytest

from .conftest import SEED_HEADER, SEED_ROWS, form_data

pytestmark = pytest.mark.django_db
CHECK = "/inspections/new/check/"


def check(client, data: dict, changed: str):
    return client.post(CHECK, {**data, "changed": changed}, headers={"HX-Request": "true"})


def places(response) -> dict[str, list[str]]:
    """Each error place the answer swaps in: its field's id → the errors it now shows."""
    html = response.content.decode()
    place = r'<div id="(id_[\w-]+)_error" data-errors-for="[\w-]+" hx-swap-oob="true">'
    found = re.findall(place + r"(.*?)</div>\s*(?=<div id=|$)", html, re.S)
    return {field: re.findall(r'data-error-for="[\w-]+">([^<]*)<', body) for field, body in found}


def test_a_fixed_header_field_comes_back_without_its_error(signed_in) -> None:
    data = form_data(SEED_HEADER | {"supplier_id": ""}, [SEED_ROWS[1]])
    answer = places(check(signed_in, data, "item_quantity"))
    assert answer["id_item_quantity"] == []
    assert "id_supplier_id" not in answer  # still wrong: its shown error stays as it is


def test_a_changed_field_still_wrong_shows_its_new_error(signed_in) -> None:
    data = form_data(SEED_HEADER | {"item_quantity": "-1"}, [SEED_ROWS[1]])
    answer = places(check(signed_in, data, "item_quantity"))
    assert answer["id_item_quantity"] == ["The quantity must be above 0."]


def test_fixing_one_field_clears_the_error_it_caused_on_another(signed_in) -> None:
    row = SEED_ROWS[1] | {"min_operator": "ge", "min_value": "20", "max_operator": "le"}
    data = form_data(SEED_HEADER, [row | {"max_value": "30"}])
    answer = places(check(signed_in, data, "chars-0-max_value"))
    assert answer["id_chars-0-max_value"] == []
    assert answer["id_chars-0-min_value"] == []  # "The minimum is above the maximum." goes


def test_a_row_is_checked_under_its_own_prefix_even_after_a_gap(signed_in) -> None:
    data = form_data(SEED_HEADER, [None, None, SEED_ROWS[1] | {"target": "x"}])
    answer = places(check(signed_in, data, "chars-2-target"))
    assert answer["id_chars-2-target"] == ["Enter a number."]


@pytest.mark.parametrize(
    "changed", ["", "nope", "chars-99999-name", "chars-0-__init__", "chars-0-", "x" * 5000]
)
def test_a_name_the_form_has_not_is_answered_with_nothing(signed_in, changed) -> None:
    response = check(signed_in, form_data(), changed)
    assert response.status_code == 204 and response.content == b""


def test_the_check_rejects_get(signed_in) -> None:
    assert signed_in.get(CHECK).status_code == 405


def test_the_form_asks_for_the_check_on_change(signed_in) -> None:
    page = signed_in.get("/inspections/new/").content.decode()
    assert f'hx-post="{CHECK}" hx-trigger="change"' in page
    assert 'id="id_item_quantity_error"' in page  # an empty place for its errors, from the start
    assert "qualityhub/form-checks.js" in page
