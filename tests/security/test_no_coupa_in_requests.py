"""No page and no action talks to Coupa while the person waits: a request reads the cache,
records what was asked and queues a task; the worker talks to Coupa. The one exception is a
download, which streams the file from Coupa as the browser reads it.

Every route of the role matrix is requested as the engineer (who may do everything) with QualityHub
pointed at a Coupa that records each request it gets; it must get none."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from qualityhub.attachments.models import Attachment
from qualityhub.inspections.models import Inspection
from tests.accounts.test_role_matrix import EXPECTED, _url
from tests.hostile_coupa import HostileCoupa, download

STREAMS_FROM_COUPA = {"attachment-download"}


@pytest.fixture
def coupa(settings):
    server = HostileCoupa()
    settings.COUPA_BASE_URL = server.url
    settings.COUPA_TOKEN_URL = f"{server.url}/oauth2/token"
    yield server
    server.stop()


def _request(client, name: str, world: dict):
    row = EXPECTED[name]
    url = _url(name, row, world)
    headers = {"HX-Request": "true"} if row.htmx else {}
    if row.method == "GET":
        return client.get(url, headers=headers)
    return client.post(url, data=row.data or {}, headers=headers)


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - STREAMS_FROM_COUPA))
def test_no_route_calls_coupa_while_the_person_waits(client, world, engineer, coupa, name) -> None:
    # `world`: the role matrix's rows, one of each kind (tests/security/conftest.py)
    client.force_login(engineer)
    response = _request(client, name, world)
    assert response.status_code < 500, response
    assert coupa.requests == [], f"{name} called Coupa during the request"


def test_a_download_streams_from_coupa_so_the_check_sees_coupa(client, engineer, coupa) -> None:
    """The other side: the fixture's Coupa does see a request that reaches it."""
    coupa.on("download", download(1024))
    inspection = Inspection.objects.create(
        coupa_id=7, supplier_id=1, item_id=1, status="Open", due_date=timezone.now()
    )
    in_coupa = Attachment.objects.create(inspection=inspection, coupa_id=70, file_name="coa.pdf")
    client.force_login(engineer)
    response = client.get(reverse("attachment-download", args=[in_coupa.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert "download" in coupa.requests
