"""The trends form: the most measured pairs without parameters, and bad or unknown parameters."""

from __future__ import annotations

import pytest

from tests.analytics.trend_series import (
    inspect,
    measure,
    page,
    series,
)

pytestmark = pytest.mark.django_db


def test_without_params_the_form_lists_the_most_measured_pairs(signed_in) -> None:
    series("10 12 11")
    measure(inspect(60, 1, item=8, item_name="Hinge"), "3", name="Width & depth")
    html = page(signed_in)
    assert 'data-testid="trend-form"' in html and "errorlist" not in html
    assert '<a href="/trends/?item=7&amp;characteristic=Diameter">Diameter</a>' in html
    assert "/trends/?item=8&amp;characteristic=Width+%26+depth" in html
    assert html.index("characteristic=Diameter") < html.index("characteristic=Width")


def test_the_most_measured_list_is_capped_at_twenty(signed_in) -> None:
    inspection = inspect(1, 1)
    for number in range(25):
        measure(inspection, "1", name=f"Dimension {number:02}")
    html = page(signed_in)
    assert html.count("/trends/?item=7&amp;characteristic=Dimension") == 20


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"item": "abc", "characteristic": "Diameter"}, "item"),
        ({"item": "", "characteristic": "Diameter"}, "item"),
        ({"item": "99999999999999999999999", "characteristic": "Diameter"}, "item"),
        ({"item": "7"}, "characteristic"),
        ({"item": "7", "characteristic": "Diameter", "supplier": "x"}, "supplier"),
        ({"supplier": "1"}, "item"),
    ],
)
def test_bad_params_show_the_form_with_the_error(signed_in, params: dict, field: str) -> None:
    series("10 12")
    html = page(signed_in, **params)
    assert 'data-testid="trend-form"' in html
    assert f'data-testid="error-{field}"' in html
    assert "spc-data" not in html
    assert "Most measured" in html


def test_an_unknown_characteristic_says_there_is_nothing(signed_in) -> None:
    series("10 12")
    html = page(signed_in, item=7, characteristic="diameter")  # names match exactly
    assert 'data-testid="no-points"' in html
    assert "No recorded values of “diameter” on item 7" in html
