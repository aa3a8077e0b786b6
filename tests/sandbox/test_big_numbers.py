"""Numbers past 64 bits in paths and paging: a 404 or a page, never a 500."""

from __future__ import annotations

import pytest

from .helpers import READ, SEED, V1, Client

HUGE = "9" * 5000  # past Python's int-from-text limit (4300 digits)
PAST_INT64 = str(2**63)


@pytest.mark.parametrize("digits", [PAST_INT64, "9" * 20, HUGE])
def test_an_inspection_id_past_64_bits_is_not_found(api: Client, digits: str) -> None:
    token = api.token(READ)
    for base in (SEED, V1):
        assert api.get(f"{base}/{digits}", token).status == 404
        assert api.get(f"{base}/{digits}/attachments", token).status == 404


@pytest.mark.parametrize("digits", [PAST_INT64, "9" * 20, HUGE])
def test_paging_past_64_bits_is_an_empty_page_or_a_full_one(api: Client, digits: str) -> None:
    token = api.token(f"{READ} core.supplier.read")
    assert api.get(f"{SEED}?offset={digits}", token).json() == []
    assert len(api.get(f"{SEED}?limit={digits}", token).json()) == 50
    assert api.get(f"/api/suppliers?offset={digits}", token).json() == []
    assert len(api.get(f"/api/suppliers?limit={digits}", token).json()) == 20
    assert api.get(f"/api/suppliers/{digits}", token).status == 404
