"""Who may see the overview: managers and quality engineers, buyers sent to their queue, no role
refused, visitors sent to sign in, and managers limited to some suppliers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qualityhub.analytics.models import Snapshot
from qualityhub.analytics.overview import refresh_overview_snapshot
from tests.analytics.overview_world import (
    DAY,
    NOW,
    SECOND,
    build_world,
    inspection,
    listed,
    tile,
    tile_links,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_a_manager_sees_the_overview(grace, frozen) -> None:
    build_world(1)
    response = grace.get("/")
    assert response.status_code == 200
    assert tile(response, "overdue") == 3
    html = response.content.decode()
    assert 'data-testid="no-stays"' not in html
    assert 'id="overview-trend-data" type="application/json"' in html
    assert 'id="overview-stage-data" type="application/json"' in html


def test_a_quality_engineer_sees_the_overview(client, engineer, frozen) -> None:
    client.force_login(engineer)
    assert client.get("/").status_code == 200


def test_a_buyer_is_sent_to_their_review_queue(client, buyer) -> None:
    client.force_login(buyer)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/inspections/?status=In+Buyer+Review&sort=due_date"


def test_someone_without_a_role_is_refused(client, outsider) -> None:
    client.force_login(outsider)
    assert client.get("/").status_code == 403


def test_signing_in_is_required(client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_only_answers_get(grace) -> None:
    assert grace.post("/").status_code == 405


def test_a_manager_limited_to_suppliers_sees_only_theirs(client, frozen) -> None:
    build_world(1, supplier_id=1)
    build_world(2, supplier_id=2)
    shared = refresh_overview_snapshot()
    lena = make_user("lena", "Manager", suppliers=[2])
    client.force_login(lena)

    response = client.get("/")

    assert tile(response, "overdue") == 6
    assert "for your suppliers only" in response.content.decode()
    count, _ = listed(client, tile_links(response)["overdue"])
    assert count == 6
    assert Snapshot.objects.get(name="overview").data == shared.data


def test_a_limited_managers_figures_are_kept_for_five_minutes(client, frozen) -> None:
    inspection("Open", due=NOW - DAY, supplier_id=2)
    client.force_login(make_user("lena", "Manager", suppliers=[2]))
    assert tile(client.get("/"), "overdue") == 1
    assert Snapshot.objects.filter(name__startswith="overview:suppliers:").count() == 1

    inspection("Open", due=NOW - DAY, supplier_id=2)
    frozen.shift(timedelta(minutes=5) - SECOND)
    assert tile(client.get("/"), "overdue") == 1
    frozen.shift(SECOND)
    assert tile(client.get("/"), "overdue") == 2
