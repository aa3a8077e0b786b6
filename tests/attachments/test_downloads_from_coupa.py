"""Files fetched from Coupa through the download view: streamed in chunks with flat memory,
refused with a message when larger than COUPA_MAX_DOWNLOAD_BYTES, cut off (never completed)
when they pass it without having said so."""

from __future__ import annotations

import pytest

from qualityhub.attachments.models import Attachment
from qualityhub.coupa import CoupaTooLarge
from tests.hostile_coupa import HostileCoupa, download

MB = 1024 * 1024


@pytest.fixture
def hostile(inspection, hostile, settings) -> HostileCoupa:
    """This process's client pointed at a Coupa serving files of any size."""
    settings.COUPA_BASE_URL = hostile.url
    settings.COUPA_TOKEN_URL = f"{hostile.url}/oauth2/token"
    return hostile


@pytest.fixture
def big_pdf(inspection) -> Attachment:
    return Attachment.objects.create(
        inspection=inspection, coupa_id=9001, file_name="big.pdf", content_type="application/pdf"
    )


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def test_a_big_file_from_coupa_streams_through_in_chunks_with_flat_memory(
    signed_in, hostile, big_pdf, settings
) -> None:
    settings.COUPA_MAX_DOWNLOAD_BYTES = 64 * MB
    hostile.on("download", download(50 * MB))
    before = _rss_mb()
    response = signed_in.get(f"/attachments/{big_pdf.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Length"] == str(50 * MB)
    assert response["Content-Disposition"] == 'attachment; filename="big.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    received, chunks, peak = 0, 0, before
    for chunk in response.streaming_content:
        received += len(chunk)
        chunks += 1
        peak = max(peak, _rss_mb())
    response.close()
    assert received == 50 * MB and chunks >= 50 * MB // (64 * 1024)
    assert peak - before < 20, f"the process grew by {peak - before:.0f} MB for a 50 MB file"


def test_a_file_declared_over_the_limit_is_refused_with_a_message(
    signed_in, hostile, big_pdf, settings
) -> None:
    settings.COUPA_MAX_DOWNLOAD_BYTES = 2 * MB
    hostile.on("download", download(3 * MB))
    response = signed_in.get(f"/attachments/{big_pdf.pk}/download/")
    assert response.status_code == 502
    assert "larger than 2 MB" in response.content.decode()
    assert "open it in Coupa" in response.content.decode()
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_passing_the_limit_unannounced_is_cut_off_not_completed(
    signed_in, hostile, big_pdf, settings
) -> None:
    settings.COUPA_MAX_DOWNLOAD_BYTES = 2 * MB
    hostile.on("download", download(3 * MB, declared=None))
    response = signed_in.get(f"/attachments/{big_pdf.pk}/download/")
    assert response.status_code == 200 and not response.has_header("Content-Length")
    received = 0
    with pytest.raises(CoupaTooLarge):
        for chunk in response.streaming_content:
            received += len(chunk)
    assert received <= 2 * MB
