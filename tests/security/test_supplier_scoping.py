"""Supplier limits hold for roles composed in the admin, not only for the built-in buyer.

Views ask for permissions, never roles, so an administrator may give a user limited to some
suppliers a right the role matrix's limited buyer lacks (here: the exported flags). Such a user
must still act only on their suppliers' inspections: ids of others are as absent as unknown ones.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from qualityhub.exporting.models import Action, ExportBatch, ExportItem
from qualityhub.inspections.models import Inspection
from tests.conftest import make_user
from tests.security.conftest import HTMX, SUPPLIER

OTHER_SUPPLIER = 20


@pytest.fixture
def limited_flagger(client, hostile):
    """A buyer limited to another supplier, given the right to set exported flags."""
    user = make_user("lena", "Buyer", suppliers=[OTHER_SUPPLIER])
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="mark_exported")
    )
    client.force_login(user)
    return client


def test_ticked_ids_of_other_suppliers_are_not_flagged(limited_flagger) -> None:
    response = limited_flagger.post(
        "/exporting/bulk/selected/",
        {"action": "mark-exported", "id": ["1", "2", "3"], "confirmed": "1", "expected": "3"},
        headers=HTMX,
    )
    assert response.status_code == 400  # nothing this user sees was ticked
    assert not ExportBatch.objects.filter(created_by__username="lena").exists()


def test_a_filtered_request_covers_only_their_suppliers(limited_flagger) -> None:
    response = limited_flagger.post(
        "/exporting/bulk/filtered/",
        {"action": "mark-exported", "query": f"supplier={SUPPLIER}", "confirmed": "1"},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert not ExportBatch.objects.filter(created_by__username="lena").exists()


def test_one_inspection_of_another_supplier_is_404(limited_flagger) -> None:
    assert limited_flagger.post("/inspections/1/mark-exported/").status_code == 404


@pytest.fixture
def batches(hostile, engineer) -> dict[str, int]:
    """Export batches over the limited user's supplier, another supplier, both, and an inspection
    no longer in the cache (whose supplier nobody can tell); returns their pks by name."""
    now = timezone.now()
    Inspection.objects.create(
        coupa_id=50, supplier_id=OTHER_SUPPLIER, item_id=5, status="Open", due_date=now
    )
    covering = {"own": [50], "mixed": [1, 50], "gone": [999]}
    made = {"foreign": hostile["export_batch_id"]}
    for name, inspection_ids in covering.items():
        batch = ExportBatch.objects.create(
            action=Action.MARK, scope=ExportBatch.Scope.SELECTED, created_at=now
        )
        for coupa_id in inspection_ids:
            ExportItem.objects.create(
                batch=batch, inspection_id=coupa_id, outcome="failed", updated_at=now
            )
        made[name] = batch.pk
    return made


def _listed_batches(client) -> set[int]:
    html = client.get(reverse("exporting-batches")).content.decode()
    return {int(pk) for pk in re.findall(r'href="/exporting/batches/(\d+)/"', html)}


def test_the_batch_list_shows_only_batches_wholly_within_their_suppliers(
    limited_flagger, batches
) -> None:
    assert _listed_batches(limited_flagger) == {batches["own"]}


def test_a_batch_outside_their_suppliers_is_404_on_its_pages(limited_flagger, batches) -> None:
    for name in ("foreign", "mixed", "gone"):
        detail = reverse("exporting-batch", kwargs={"batch_id": batches[name]})
        retry = reverse("exporting-batch-retry", kwargs={"batch_id": batches[name]})
        assert limited_flagger.get(detail).status_code == 404, name
        assert limited_flagger.post(retry).status_code == 404, name
    own = reverse("exporting-batch", kwargs={"batch_id": batches["own"]})
    assert limited_flagger.get(own).status_code == 200
    assert not ExportBatch.objects.filter(retry_of__isnull=False).exists()


def test_a_user_without_a_limit_still_sees_every_batch(signed_in, batches) -> None:
    assert _listed_batches(signed_in) == set(batches.values())
    for pk in batches.values():
        page = signed_in.get(reverse("exporting-batch", kwargs={"batch_id": pk}))
        assert page.status_code == 200
