"""Every URL × every role (and anonymous): the status code each gets.

The URLs are read from the URL resolver, so a new URL without a row in EXPECTED fails the suite,
and every view outside the sign-in pages must declare the permission it needs (`@requires`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from qualityhub.attachments.models import Attachment
from qualityhub.creation.models import CreationRequest, ImportBatch
from qualityhub.exporting.models import Action, ExportBatch
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.notifications.models import Event, Notification
from qualityhub.notifications.unsubscribe import token_for
from qualityhub.savedviews.models import SavedView
from tests.conftest import make_user
from tests.reports.world import make_done_job
from tests.url_walk import every_route

SUPPLIER, OTHER_SUPPLIER = 10, 20
WHO = ("anonymous", "engineer", "buyer", "manager", "outsider", "limited_buyer")
# Signed in but not allowed: 403. Out of a limited buyer's suppliers: 404, like a missing id.
LOGIN = "login"  # anonymous: redirected to the sign-in page


@dataclass(frozen=True)
class Row:
    method: str
    kwargs: tuple[str, ...] = ()  # names filled from the world below
    engineer: int | str = 200
    buyer: int | str = 200
    manager: int | str = 200
    outsider: int | str = 403
    limited_buyer: int | str | None = None  # None: same as buyer
    anonymous: int | str = LOGIN
    data: dict | None = None
    htmx: bool = False


BROWSE = {"buyer": 200, "manager": 200}
ENGINEER_ONLY = {"buyer": 403, "manager": 403}

EXPECTED: dict[str, Row] = {
    # Django's sign-in pages: open to everyone.
    "login": Row("GET", anonymous=200, outsider=200),
    "logout": Row("POST", anonymous=302, engineer=302, buyer=302, manager=302, outsider=302),
    "password_change": Row("GET", outsider=200),
    "password_change_done": Row("GET", outsider=200),
    "password_reset": Row("GET", anonymous=200, outsider=200),
    "password_reset_done": Row("GET", anonymous=200, outsider=200),
    "password_reset_confirm": Row("GET", ("uidb64", "token"), anonymous=200, outsider=200),
    "password_reset_complete": Row("GET", anonymous=200, outsider=200),
    # For load balancers: no sign-in.
    "healthz": Row("GET", anonymous=200, outsider=200),
    # From a mail, without a session: the signed link decides (the world's is the engineer's).
    "notifications-unsubscribe": Row("GET", ("signed",), outsider=200, anonymous=200),
    # For browsers asking on their own: a redirect to the icon, signed in or not.
    "favicon": Row("GET", (), 302, 302, 302, outsider=302, anonymous=302),
    # The overview: engineers and managers; a buyer's "/" is their review queue.
    "overview": Row("GET", buyer=302, limited_buyer=302),
    # Scorecards: every role, limited to a buyer's suppliers.
    "supplier-list": Row("GET"),
    "supplier-detail": Row("GET", ("supplier_id",), limited_buyer=404),
    # The supplier's review pack (a PDF) and its monthly mail: as the scorecard page.
    "supplier-pack": Row("GET", ("supplier_id",), limited_buyer=404),
    "supplier-pack-subscription": Row(
        "POST", ("supplier_id",), 302, 302, 302, limited_buyer=404, data={"monthly": "on"}
    ),
    "trends": Row("GET"),
    # Browsing and reviewing.
    "inspection-list": Row("GET"),
    "inspection-export": Row("GET"),
    "inspection-xlsx": Row("GET"),
    "inspection-detail": Row("GET", ("coupa_id",), limited_buyer=404),
    "characteristic-choices": Row("GET", ("coupa_id", "line_id"), limited_buyer=404),
    "inspection-timeline": Row("GET", ("coupa_id",), limited_buyer=404),
    "result-list": Row("GET"),
    "result-csv": Row("GET"),
    "result-xlsx": Row("GET"),
    "sync-status": Row("GET"),
    "attachment-list": Row("GET", ("coupa_id",), limited_buyer=404),
    "attachment-list-line": Row("GET", ("coupa_id", "line_id"), limited_buyer=404),
    "attachment-download": Row("GET", ("pk",), limited_buyer=404),
    "inspection-exported": Row("GET", ("coupa_id",), limited_buyer=404),
    # Refresh: engineers and buyers.
    "inspection-refresh": Row("POST", ("coupa_id",), manager=403, limited_buyer=404),
    "inspection-refresh-status": Row("GET", ("coupa_id",), manager=403, limited_buyer=404),
    # Attachments: engineers and buyers.
    "attachment-upload": Row("POST", ("coupa_id",), manager=403, limited_buyer=404, htmx=True),
    "attachment-upload-line": Row(
        "POST", ("coupa_id", "line_id"), manager=403, limited_buyer=404, htmx=True
    ),
    "attachment-delete": Row("POST", ("pk",), 302, 302, 403, limited_buyer=404),
    "attachment-retry": Row("POST", ("pk",), 302, 302, 403, limited_buyer=404),
    # Engineers only: create, import, exported flags, sync controls.
    "inspection-new": Row("GET", buyer=403, manager=403),
    "inspection-new-row": Row("GET", buyer=403, manager=403),
    "inspection-new-check": Row("POST", buyer=403, manager=403, data={"changed": "due_date"}),
    "inspection-new-row-removed": Row("GET", buyer=403, manager=403),
    "inspection-new-sending": Row("GET", ("request_id",), buyer=403, manager=403),
    "inspection-new-sending-progress": Row("GET", ("request_id",), buyer=403, manager=403),
    "inspection-import": Row("GET", buyer=403, manager=403),
    "inspection-import-template": Row("GET", buyer=403, manager=403),
    "inspection-import-batch": Row("GET", ("batch_id",), buyer=403, manager=403),
    "inspection-import-send": Row("POST", ("batch_id",), 302, 403, 403),
    "inspection-import-progress": Row("GET", ("batch_id",), buyer=403, manager=403),
    "inspection-mark-exported": Row("POST", ("coupa_id",), 302, 403, 403),
    "inspection-reset-exported": Row("POST", ("coupa_id",), 302, 403, 403),
    "exporting-bulk-selected": Row(
        "POST", (), 200, 403, 403, data={"action": "mark-exported", "id": ["1"]}
    ),
    "exporting-bulk-filtered": Row(
        "POST", (), 200, 403, 403, data={"action": "mark-exported", "query": "status=Open"}
    ),
    "exporting-batches": Row("GET", buyer=403, manager=403),
    "exporting-batch": Row("GET", ("batch_id",), buyer=403, manager=403),
    "exporting-batch-retry": Row("POST", ("batch_id",), 302, 403, 403),
    # Assignment: engineers assign, take and unassign; whoever browses sees the assignee.
    "inspection-assignee": Row("GET", ("coupa_id",), buyer=403, manager=403),
    "inspection-assign": Row("POST", ("coupa_id",), 302, 403, 403, data={"assignee": "x"}),
    "inspection-take": Row("POST", ("coupa_id",), 302, 403, 403),
    "inspection-unassign": Row("POST", ("coupa_id",), 302, 403, 403),
    "assignment-bulk-selected": Row("POST", (), 200, 403, 403, data={"id": ["1"]}),
    "assignment-bulk-filtered": Row("POST", (), 200, 403, 403, data={"query": "status=Open"}),
    "sync-now": Row("POST", (), 302, 403, 403),
    # What an open page asks: the freshness cue for anyone signed in, the rest by role.
    "live-updates": Row("GET", outsider=200),
    # The name pickers' answers (JSON): whoever browses; suppliers and items limited to theirs.
    "names-suppliers": Row("GET"),
    "names-items": Row("GET"),
    "names-people": Row("GET"),
    "names-units": Row("GET"),
    # Saved views: whoever browses keeps their own; the world's view is the engineer's, shared.
    "saved-view-manage": Row("GET"),
    "saved-view-save": Row("POST", (), 302, 302, 302, data={"name": "Mine", "query": "overdue=1"}),
    "saved-view-open": Row("GET", ("view_id",), 302, 302, 302),
    "saved-view-rename": Row("POST", ("view_id",), 302, 403, 403, data={"name": "Renamed"}),
    "saved-view-delete": Row("POST", ("view_id",), 302, 403, 403),
    "saved-view-share": Row("POST", ("view_id",), 302, 403, 403, data={"shared": "1"}),
    # Each user's own notifications: whoever browses; the world's one is the engineer's, as
    # absent to anyone else as an id that does not exist.
    "notification-list": Row("GET"),
    "notification-bell": Row("GET"),
    "notification-open": Row("GET", ("notification_id",), 302, 404, 404),
    "notification-read": Row("POST", ("notification_id",), 302, 404, 404),
    "notification-read-all": Row("POST", (), 302, 302, 302),
    "notification-settings": Row("GET"),
    # Notes: every role writes them and finds colleagues to mention, on inspections they see.
    "note-write": Row("POST", ("coupa_id",), 302, 302, 302, limited_buyer=404, data={"text": "Hi"}),
    "note-people": Row("GET", ("coupa_id",), limited_buyer=404),
    # The inspection report: whoever browses, on inspections they see; a bulk PDF of the
    # ticked inspections (a limited buyer ticking another supplier's: none selected, 400), whose
    # job and file are its owner's alone (the world's is the engineer's).
    "inspection-report-pdf": Row("GET", ("coupa_id",), limited_buyer=404),
    "report-bulk-selected": Row("POST", (), 302, 302, 302, limited_buyer=400, data={"id": ["1"]}),
    "report-job": Row("GET", ("job_id",), buyer=404, manager=404),
    "report-job-download": Row("GET", ("job_id",), buyer=404, manager=404),
    # Each user's own list columns: whoever browses.
    "preferences-columns": Row(
        "POST", (), 302, 302, 302, data={"list": "inspections", "column": ["id", "status"]}
    ),
    # Each person's own UI language: anyone signed in, with a role or none.
    "preferences-language": Row(
        "POST", (), 302, 302, 302, outsider=302, data={"language": "de", "next": "/inspections/"}
    ),
}
# Views reachable without any role (they check nothing more than what Django's auth does).
OPEN_VIEWS = {
    name
    for name in EXPECTED
    if name.startswith(("login", "logout", "password_", "healthz", "favicon"))
    or name in {"notifications-unsubscribe", "preferences-language"}
}
ROLE_AWARE_WITHOUT_DECORATOR = {
    "overview",  # redirects buyers to their queue itself
    "live-updates",  # the cue for anyone signed in; a page's news only to its readers
}


def url_names() -> list[tuple[str, object]]:
    """(name, view) of every URL, outside Django's admin (which checks staff itself)."""
    return [(route.name, route.view) for route in every_route()]


def test_every_url_has_a_row_in_the_matrix() -> None:
    names = [name for name, _ in url_names()]
    assert None not in names, "every URL needs a name to be tested"
    assert sorted(set(names) - set(EXPECTED)) == [], "add these URLs to the role matrix"
    assert sorted(set(EXPECTED) - set(names)) == [], "these rows test URLs that no longer exist"


def test_every_view_declares_the_permission_it_needs() -> None:
    undeclared = [
        name
        for name, view in url_names()
        if name not in OPEN_VIEWS | ROLE_AWARE_WITHOUT_DECORATOR
        and not hasattr(view, "required_permission")
    ]
    assert undeclared == []


@pytest.fixture
def world(db, engineer):
    now = timezone.now()
    inspection = Inspection.objects.create(
        coupa_id=1, supplier_id=SUPPLIER, item_id=5, status="Open", due_date=now + timedelta(1)
    )
    line = Characteristic.objects.create(coupa_id=11, inspection=inspection, name="Length")
    attachment = Attachment.objects.create(
        inspection=inspection,
        file_name="coa.pdf",
        state=Attachment.State.FAILED,
        error="Coupa refused it",
        local_file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="coa.pdf"),
    )
    export = ExportBatch.objects.create(
        action=Action.MARK, scope=ExportBatch.Scope.ONE, created_at=now, created_by=engineer
    )
    imported = ImportBatch.objects.create(user=engineer, file_name="a.csv", file_format="csv")
    sending = CreationRequest.objects.create(
        external_id="QH-0123456789ab", payload="{}", form={}, user=engineer
    )
    shared_view = SavedView.objects.create(
        owner=engineer, name="Overdue", query="overdue=1", shared=True
    )
    event = Event.objects.create(
        key="rejected:1", kind="rejected", at=now, summary="Rejected", inspection_id=1,
        supplier_id=SUPPLIER,
    )  # fmt: skip
    notification = Notification.objects.create(event=event, user=engineer, created_at=now)
    return {
        "job_id": make_done_job(engineer).pk,
        "notification_id": notification.pk,
        "view_id": shared_view.pk,
        "coupa_id": inspection.coupa_id,
        "line_id": line.coupa_id,
        "pk": attachment.pk,
        "supplier_id": SUPPLIER,
        "batch_id": imported.pk,
        "request_id": sending.pk,
        "export_batch_id": export.pk,
        "uidb64": "MQ",
        "token": "set-password",
        "signed": token_for(engineer.pk),
    }


def _signed_in_client(client, who: str, engineer):
    users = {
        "engineer": lambda: engineer,
        "buyer": lambda: make_user("marco", "Buyer"),
        "manager": lambda: make_user("grace", "Manager"),
        "outsider": lambda: make_user("otto", None),
        "limited_buyer": lambda: make_user("lena", "Buyer", suppliers=[OTHER_SUPPLIER]),
    }
    if who != "anonymous":
        client.force_login(users[who]())
    return client


def _url(name: str, row: Row, world: dict) -> str:
    kwargs = {}
    for key in row.kwargs:
        value = (
            world["export_batch_id"]
            if name.startswith("exporting-") and key == "batch_id"
            else world[key]
        )
        kwargs[key] = value
    return reverse(name, kwargs=kwargs)


def _expected(row: Row, who: str) -> int | str:
    if who == "limited_buyer" and row.limited_buyer is not None:
        return row.limited_buyer
    return getattr(row, "buyer" if who == "limited_buyer" else who)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_role_matrix(client, world, engineer, name: str, who: str) -> None:
    row = EXPECTED[name]
    client = _signed_in_client(client, who, engineer)
    url = _url(name, row, world)
    headers = {"HX-Request": "true"} if row.htmx else {}
    if row.method == "GET":
        response = client.get(url, headers=headers)
    else:
        response = client.post(url, data=row.data or {}, headers=headers)
    expected = _expected(row, who)
    if expected == LOGIN:
        if row.htmx:
            assert response.status_code == 401, response
            assert response["HX-Redirect"].startswith(reverse("login"))
        else:
            assert response.status_code == 302, response
            assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected, (name, who, response)
