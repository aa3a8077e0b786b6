"""Notes stay in QualityHub: writing one (with a mention, on a characteristic, plain or htmx)
sends no request to Coupa. The sandbox counts every request it receives; the app is pointed at
it and tasks run at once in this process, so anything a note queued would reach it too (the
refresh at the end shows that it would be counted)."""

from __future__ import annotations

import pytest

from qualityhub.celery import app as celery_app
from qualityhub.inspections.models import Characteristic
from qualityhub.notes.models import Note
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for
from tests.sandbox_process import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_on_sandbox(coupa, settings, monkeypatch):
    client = client_for(coupa)
    try:
        assert run_sync("full", client=client, attachments="skip").outcome == "succeeded"
    finally:
        client.close()
    settings.COUPA_BASE_URL = coupa.url
    settings.COUPA_TOKEN_URL = f"{coupa.url}/oauth2/token"
    settings.COUPA_CLIENT_ID, settings.COUPA_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    import qualityhub.sync.tasks  # noqa: F401  (the refresh task, known to this process)

    celery_app.finalize()
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    coupa.reset_request_count()
    return coupa


def test_writing_notes_sends_nothing_to_coupa(
    app_on_sandbox, signed_in, buyer, django_capture_on_commit_callbacks
) -> None:
    line = Characteristic.objects.select_related("inspection").order_by("coupa_id").first()
    url = f"/inspections/{line.inspection_id}/notes/"
    htmx = {"HX-Request": "true"}
    # What would run after the commit (a queued task) runs here, as after a real commit.
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_in.post(url, {"text": "@marco see https://example.com"}).status_code == 302
        response = signed_in.post(
            url, {"text": "On this line", "line": str(line.coupa_id)}, headers=htmx
        )
        assert response.status_code == 200
        signed_in.get(f"{url}people/", {"q": "m"})
        signed_in.get(f"/inspections/{line.inspection_id}/timeline/", headers=htmx)
    assert Note.objects.count() == 2
    assert app_on_sandbox.request_count()["total"] == 0

    # The same setup does count what reaches Coupa: a refresh asks it at once.
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(f"/inspections/{line.inspection_id}/refresh/", headers=htmx)
    assert app_on_sandbox.request_count()["total"] > 0
