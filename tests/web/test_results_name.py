"""The results list's name filter: a prefix ignoring case, served by an IN list of the names."""

from __future__ import annotations

import pytest
from django.db import connection

from qualityhub.inspections.models import Characteristic
from qualityhub.inspections.views import results

pytestmark = pytest.mark.django_db


def _names(response) -> set[str]:
    return {row.name for row in response.context["page"].rows}


def _expected(prefix: str) -> set[str]:
    return set(
        Characteristic.objects.filter(name__istartswith=prefix).values_list("name", flat=True)
    )


def test_the_name_filter_matches_a_prefix_in_any_case(signed_in, synced) -> None:
    upper = _names(signed_in.get("/results/", {"name": "REDUCING"}))
    lower = _names(signed_in.get("/results/", {"name": "reducing"}))
    assert upper and upper == lower
    assert all(name.upper().startswith("REDUCING") for name in upper)


def test_the_candidates_are_exactly_the_names_istartswith_matches(synced) -> None:
    for prefix in ("Reducing", "r", "%", "_", "zzz-no-such-name"):
        assert set(results.name_candidates(prefix)) == _expected(prefix)


def test_a_name_nothing_starts_with_shows_no_rows(signed_in, synced) -> None:
    response = signed_in.get("/results/", {"name": "zzz-no-such-name"})
    assert response.status_code == 200
    assert not response.context["page"].rows


def test_too_many_distinct_names_fall_back_on_the_plain_match(
    signed_in, synced, monkeypatch
) -> None:
    distinct = Characteristic.objects.values("name").distinct().count()
    monkeypatch.setattr(results, "MAX_DISTINCT_NAMES", distinct - 1)
    assert results.name_candidates("Reducing") is None
    assert _names(signed_in.get("/results/", {"name": "reducing"})) <= _expected("reducing")
    assert _names(signed_in.get("/results/", {"name": "reducing"}))


def test_the_name_filter_costs_a_few_queries(
    signed_in, synced, django_assert_max_num_queries
) -> None:
    signed_in.get("/results/", {"name": "Reducing"})
    # On PostgreSQL one more: the SET LOCAL that keeps the rows' plan serial (inspections/plans.py).
    serial = 1 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(6 + serial):
        signed_in.get("/results/", {"name": "Reducing", "verdict": "marginal"})
    with django_assert_max_num_queries(5 + serial):
        signed_in.get("/results/", {"supplier": 1, "verdict": "fail"})
