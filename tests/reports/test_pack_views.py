"""The pack's download and the monthly switch on the scorecard page: a buyer only for their
suppliers (404 for the others, as the scorecard page), hostile periods answered 400, never 500."""

from __future__ import annotations

import io

import pypdf
import pytest
import time_machine
from django.urls import reverse

from qualityhub.reports.models import PackSubscription
from tests.conftest import make_user
from tests.reports import pack_world
from tests.reports.pack_world import NOW, OTHER, OURS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def world():
    with time_machine.travel(NOW, tick=False):
        pack_world.build()
        yield


def pack_url(supplier_id: int) -> str:
    return reverse("supplier-pack", args=[supplier_id])


def signed_in(client, role: str, suppliers=()):
    client.force_login(make_user("someone", role, suppliers=suppliers))
    return client


def test_the_download_is_an_attachment_of_the_last_full_quarter(client) -> None:
    response = signed_in(client, "Manager").get(pack_url(OURS))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="review-pack-supplier-10-2025-04-01-2025-06-30.pdf"'
    )
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "2025-04-01" in text and "2025-06-30" in text


def test_a_chosen_period(client) -> None:
    response = signed_in(client, "Manager").get(
        pack_url(OURS), {"from": "2025-03-01", "to": "2025-03-31"}
    )
    assert response.status_code == 200
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert "PO-EARLY-901" in text and "PO-REJ-101" not in text


def test_a_buyer_gets_the_pack_of_their_suppliers_only(client) -> None:
    signed_in(client, "Buyer", suppliers=[OURS])
    assert client.get(pack_url(OURS)).status_code == 200
    assert client.get(pack_url(OTHER)).status_code == 404
    assert client.get(pack_url(999)).status_code == 404  # no inspection in QualityHub


def test_the_engineer_without_scorecards_permission_is_refused(client) -> None:
    client.force_login(make_user("nobody", None))
    assert client.get(pack_url(OURS)).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2025-01-01"},
        {"to": "2025-01-01"},
        {"from": "2025-06-30", "to": "2025-04-01"},
        {"from": "2024-01-01", "to": "2025-06-30"},
        {"from": "2030-01-01", "to": "2030-01-31"},
        {"from": "0000-01-01", "to": "0000-02-01"},
        {"from": "9999-12-31", "to": "9999-12-31"},
        {"from": "2025-02-30", "to": "2025-03-01"},
        {"from": "2025-01-01\x00", "to": "2025-02-01"},
        {"from": "٢٠٢٥-٠١-٠١", "to": "2025-02-01"},
        {"from": "x" * 10_000, "to": "2025-02-01"},
    ],
)
def test_hostile_periods_answer_400(client, query) -> None:
    response = signed_in(client, "Manager").get(pack_url(OURS), query)
    assert response.status_code == 400
    assert len(response.content) < 300


def test_the_supplier_page_links_the_pack_and_the_switch(client) -> None:
    page = signed_in(client, "Manager").get(reverse("supplier-detail", args=[OURS]))
    html = page.content.decode()
    assert f'action="{pack_url(OURS)}"' in html
    assert 'name="from" value="2025-04-01"' in html and 'name="to" value="2025-06-30"' in html
    assert 'data-testid="pack-monthly-on"' in html


def test_the_monthly_switch(client) -> None:
    signed_in(client, "Buyer", suppliers=[OURS])
    switch = reverse("supplier-pack-subscription", args=[OURS])
    assert client.post(switch, {"monthly": "on"}).status_code == 302
    assert client.post(switch, {"monthly": "on"}).status_code == 302  # twice: still one
    assert PackSubscription.objects.filter(supplier_id=OURS).count() == 1
    page = client.get(reverse("supplier-detail", args=[OURS])).content.decode()
    assert 'data-testid="pack-monthly-off"' in page
    client.post(switch, {"monthly": "off"})
    assert not PackSubscription.objects.exists()


def test_a_buyer_cannot_subscribe_to_another_supplier(client) -> None:
    signed_in(client, "Buyer", suppliers=[OURS])
    switch = reverse("supplier-pack-subscription", args=[OTHER])
    assert client.post(switch, {"monthly": "on"}).status_code == 404
    assert not PackSubscription.objects.exists()
    assert client.get(reverse("supplier-pack-subscription", args=[OURS])).status_code == 405


def test_the_notification_settings_list_the_monthly_packs(client) -> None:
    buyer = make_user("someone", "Buyer", suppliers=[OURS])
    PackSubscription.objects.create(user=buyer, supplier_id=OURS)
    PackSubscription.objects.create(user=buyer, supplier_id=OTHER)  # from before it was taken
    client.force_login(buyer)
    html = client.get(reverse("notification-settings")).content.decode()
    listed = html.split('data-testid="pack-subscriptions"', 1)[1]
    assert f'href="{reverse("supplier-detail", args=[OURS])}"' in listed
    assert "Supplier 20 (no longer yours: no pack is sent)" in listed
    assert reverse("supplier-detail", args=[OTHER]) not in listed
