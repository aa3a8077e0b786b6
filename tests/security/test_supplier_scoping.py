"""Supplier limits hold for roles composed in the admin, not only for the built-in buyer.

Views ask for permissions, never roles, so an administrator may give a user limited to some
suppliers a right the role matrix's limited buyer lacks (here: the exported flags). Such a user
must still act only on their suppliers' inspections: ids of others are as absent as unknown ones.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from qualityhub.exporting.models import ExportBatch
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
