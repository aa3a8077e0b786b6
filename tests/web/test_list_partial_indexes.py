"""The list views served by partial indexes (inspections 0006) keep their few queries."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        {"gone": "yes"},
        {"queue": "accepted-failing"},
        {"decision": "Rejected", "reviewed_this_month": "1"},
    ],
)
def test_the_partially_indexed_views_cost_a_few_queries(
    signed_in, synced, django_assert_max_num_queries, query
) -> None:
    signed_in.get("/inspections/", query)
    with django_assert_max_num_queries(7):  # with the saved views' bar and the assignees
        assert signed_in.get("/inspections/", query).status_code == 200
