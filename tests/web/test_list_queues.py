"""Which work queue an address shows, and what the list is called then: plain rules."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from qualityhub.accounts.access import Access
from qualityhub.ui.filters import PRESETS, active_preset, chosen_filters, list_heading, start_queue

BUYER = Access(frozenset({"browse_inspections", "refresh_inspections"}))
ENGINEER = Access(frozenset({"browse_inspections", "view_insight"}))
NOBODY = Access(frozenset())


def preset(slug: str):
    return next(p for p in PRESETS if p.slug == slug)


@pytest.mark.parametrize("p", PRESETS, ids=lambda p: p.slug)
def test_each_queue_is_active_on_its_own_address(p) -> None:
    assert active_preset(QueryDict(p.query)) == p


def test_the_form_s_empty_fields_the_order_and_the_page_do_not_matter() -> None:
    query = QueryDict(
        "q=&status=In+Buyer+Review&decision=&verdict=&exported=&due_after=&due_before="
        "&sort=-modified&after=abc&size=100"
    )
    assert active_preset(query) == preset("buyer-review")


def test_one_more_filter_is_no_queue() -> None:
    assert active_preset(QueryDict("status=In+Buyer+Review&verdict=fail")) is None
    assert active_preset(QueryDict("status=Open&status=Closed&exported=no")) is None
    assert active_preset(QueryDict("")) is None


def test_repeated_values_and_order_compare_as_a_set() -> None:
    assert chosen_filters(QueryDict("status=Open&due_within=7")) == chosen_filters(
        QueryDict("due_within=7&status=Open&status=Open&q=")
    )


def test_a_buyer_starts_on_their_review_queue_and_it_is_titled_theirs() -> None:
    assert start_queue(BUYER) == preset("buyer-review")
    assert list_heading(preset("buyer-review"), BUYER) == "Your review queue"
    assert list_heading(preset("overdue"), BUYER) == "Overdue"


def test_who_sees_the_overview_starts_there_and_sees_the_queue_s_own_name() -> None:
    assert start_queue(ENGINEER) is None
    assert start_queue(NOBODY) is None
    assert list_heading(preset("buyer-review"), ENGINEER) == "Waiting for buyer review"
    assert list_heading(None, ENGINEER) == "Inspections"
