"""Who may see trends: the roles, visitors, methods, and a buyer limited to one supplier."""

from __future__ import annotations

import pytest

from tests.analytics.trend_series import (
    inspect,
    measure,
    page,
    series,
    table_ids,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_a_buyer_limited_to_supplier_a_never_sees_supplier_b(client) -> None:
    series("10 12", supplier=1, first_id=1)
    series("20 22", supplier=2, first_id=11, name="Diameter")
    measure(inspect(40, 9, supplier=2, item=9, item_name="Secret part"), "5", name="Width")
    client.force_login(make_user("marta", "Buyer", suppliers=[1]))

    html = page(client, item=7, characteristic="Diameter")
    assert table_ids(html) == [1, 2]
    assert 'value="2"' not in html and "Supplier 2" not in html

    html = page(client, item=7, characteristic="Diameter", supplier=2)
    assert table_ids(html) == []
    assert 'data-testid="no-points"' in html and "spc-data" not in html

    start = page(client)
    assert "Secret part" not in start and "Width" not in start
    assert "Diameter" in start


@pytest.mark.parametrize(("person", "status"), [
    ("engineer", 200), ("buyer", 200), ("manager", 200), ("outsider", 403),
])  # fmt: skip
def test_who_may_see_trends(client, request, person: str, status: int) -> None:
    series("10 12")
    client.force_login(request.getfixturevalue(person))
    assert client.get("/trends/?item=7&characteristic=Diameter").status_code == status
    assert client.get("/trends/").status_code == status


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    assert client.get("/trends/?item=7&characteristic=Diameter").status_code == 302


def test_the_page_only_answers_get(signed_in) -> None:
    assert signed_in.post("/trends/", {"item": 7, "characteristic": "Diameter"}).status_code == 405
