"""The sync status page's "Names from Coupa": counts per kind, when each was last refreshed,
and each name Coupa would not give, with what to grant in Coupa for a missing scope. Coupa's
words are shown escaped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qualityhub.directory.models import Item, Person, Supplier, Unit, Unresolved
from qualityhub.directory.refresh import cursor_name
from qualityhub.sync.models import SyncCursor

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


def _unresolved(kind: str, coupa_id: int | None, reason: str, message: str = "", status=None):
    return Unresolved.objects.create(
        kind=kind,
        coupa_id=coupa_id,
        reason=reason,
        status=status,
        message=message,
        first_seen=NOW,
        last_seen=NOW,
    )


def test_it_counts_each_kind_and_says_when_it_was_refreshed(signed_in) -> None:
    Supplier.objects.create(coupa_id=1, name="A", fetched_at=NOW)
    Supplier.objects.create(coupa_id=2, name="B", fetched_at=NOW)
    Person.objects.create(coupa_id=10, full_name="Lucie", fetched_at=NOW)
    Unit.objects.create(coupa_id=1, code="KG", fetched_at=NOW)
    Item.objects.create(coupa_id=5, name="Resin", fetched_at=NOW)
    SyncCursor.objects.create(name=cursor_name("suppliers"), modified_since=NOW)
    html = signed_in.get("/sync/").content.decode()
    assert "Names from Coupa" in html
    assert '<td>Suppliers</td><td class="text-end">2</td>' in html
    assert '<td>People</td><td class="text-end">1</td><td>never</td>' in html
    assert '<td>Items</td><td class="text-end">1</td>' in html


def test_a_missing_scope_says_exactly_what_to_grant_and_where(signed_in) -> None:
    _unresolved("supplier", None, "scope", "QualityHub's OAuth client lacks it", status=403)
    html = signed_in.get("/sync/").content.decode()
    assert "Every supplier" in html
    assert '<code data-testid="scope-to-grant">core.supplier.read</code>' in html
    assert "Setup → Integrations → OAuth2/OpenID Connect Clients" in html


def test_unknown_ids_and_refusals_are_listed_with_coupas_words_escaped(signed_in) -> None:
    _unresolved("unit", 4, "unknown", "Coupa returned no unit with this id", status=404)
    _unresolved("person", None, "refused", "Coupa answered XML <script>alert(1)</script> & co")
    html = signed_in.get("/sync/").content.decode()
    assert "Unit 4" in html and "unknown to Coupa (HTTP 404)" in html
    assert "<script>alert(1)</script>" not in html
    assert "Coupa answered XML &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    # A whole kind comes before single ids.
    assert html.index("Every person") < html.index("Unit 4")


def test_names_turned_off_are_said_to_be(signed_in, settings) -> None:
    settings.COUPA_NAMES = False
    assert "Names are turned off" in signed_in.get("/sync/").content.decode()


def test_the_page_costs_a_bounded_number_of_queries(
    signed_in, django_assert_max_num_queries
) -> None:
    for coupa_id in range(1, 300):
        _unresolved("supplier", coupa_id, "unknown", status=404)
    signed_in.get("/sync/")  # warm the session and permissions
    with django_assert_max_num_queries(16):
        html = signed_in.get("/sync/").content.decode()
    assert "The first 200 of 299 are listed." in html
