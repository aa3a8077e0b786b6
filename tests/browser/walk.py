"""The pages people open, one representative URL each, over a cache synced from the sandbox:
walked by the accessibility, title and theme tests."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse

from qualityhub.creation.models import CreationRequest, ImportBatch
from qualityhub.exporting.models import Action, ExportBatch
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.notifications.unsubscribe import token_for
from qualityhub.savedviews.models import SavedView
from qualityhub.sync.pull import run_sync
from tests.browser.conftest import PASSWORD, TIMEOUT_MS
from tests.conftest import client_for, make_user
from tests.reports.world import make_done_job

ROLES = {"engineer": "Quality engineer", "limited buyer": "Buyer", "manager": "Manager"}
MODES = ("light", "dark")

# Every page a person opens, by URL name (one representative URL each, see `_pages`). The
# fragments that htmx loads into these pages are checked inside them.
PAGES = (
    "overview",
    "inspection-list",
    "inspection-detail",
    "result-list",
    "supplier-list",
    "supplier-detail",
    "trends",
    "sync-status",
    "inspection-new",
    "inspection-new-sending",
    "inspection-import",
    "inspection-import-batch",
    "exporting-batches",
    "exporting-batch",
    "saved-view-manage",
    "notification-list",
    "notification-settings",
    "report-job",
    "password_change",
    "password_change_done",
)
SIGNED_OUT_PAGES = (
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "notifications-unsubscribe",
)
# The URL arguments of the signed-out pages that take some.
SIGNED_OUT_KWARGS = {
    "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
    "notifications-unsubscribe": {"signed": token_for(1)},
}
# Routes that are no page of their own: fragments loaded into a page, downloads, JSON, actions.
NOT_PAGES = {
    "logout",
    "healthz",
    "favicon",
    "inspection-export",
    "inspection-xlsx",
    "result-csv",
    "result-xlsx",
    "characteristic-choices",
    "inspection-timeline",
    "inspection-refresh",
    "inspection-refresh-status",
    "attachment-list",
    "attachment-list-line",
    "attachment-upload",
    "attachment-upload-line",
    "attachment-download",
    "attachment-delete",
    "attachment-retry",
    "inspection-exported",
    "inspection-mark-exported",
    "inspection-reset-exported",
    "inspection-new-row",
    "inspection-new-row-removed",
    "inspection-new-check",
    "inspection-new-sending-progress",
    "inspection-import-template",
    "inspection-import-send",
    "inspection-import-progress",
    "exporting-bulk-selected",
    "exporting-bulk-filtered",
    "exporting-batch-retry",
    # Assignment: actions, and the colleague picker (loaded into the detail page; its page of
    # its own is the fallback without JavaScript).
    "inspection-assignee",
    "inspection-assign",
    "inspection-take",
    "inspection-unassign",
    "assignment-bulk-selected",
    "assignment-bulk-filtered",
    "sync-now",
    "live-updates",
    "preferences-columns",
    "preferences-language",
    "saved-view-save",
    "saved-view-open",
    "saved-view-rename",
    "saved-view-delete",
    "saved-view-share",
    "names-suppliers",
    "names-items",
    "names-people",
    "names-units",
    "notification-bell",
    "notification-open",
    "notification-read",
    "notification-read-all",
    "note-write",
    "note-people",
    "supplier-pack",
    "supplier-pack-subscription",
    "inspection-report-pdf",
    "report-bulk-selected",
    "report-job-download",
}


def make_world(role: str) -> dict:
    """The objects each page shows: an inspection the user may see, a supplier, batches."""
    inspection = Inspection.objects.order_by("coupa_id").first()
    supplier_id = inspection.supplier_id
    user = make_user(
        {"engineer": "priya", "limited buyer": "marco", "manager": "grace"}[role],
        ROLES[role],
        password=PASSWORD,
        suppliers=[supplier_id] if role == "limited buyer" else (),
    )
    owner = user if role == "engineer" else make_user("ines", "Quality engineer")
    line = (
        Characteristic.objects.filter(
            inspection__item_id__isnull=False, recorded_numeric__isnull=False
        )
        .select_related("inspection")
        .order_by("inspection__coupa_id")
        .first()
    )
    export = ExportBatch.objects.create(
        action=Action.MARK,
        scope=ExportBatch.Scope.ONE,
        created_at=inspection.synced_at,
        created_by=owner,
    )
    imported = ImportBatch.objects.create(user=owner, file_name="a.csv", file_format="csv")
    sending = CreationRequest.objects.create(
        external_id="QH-0123456789ab", payload="{}", form={}, user=owner
    )
    # The queue bar and the saved-views page with a view of the user's own and a shared one.
    SavedView.objects.create(owner=user, name="My overdue", query="overdue=1")
    if owner != user:
        SavedView.objects.create(
            owner=owner, name="Open, due soon", query="status=Open", shared=True
        )
    return {
        "user": user,
        "inspection-detail": {"coupa_id": inspection.coupa_id},
        "supplier-detail": {"supplier_id": supplier_id},
        "exporting-batch": {"batch_id": export.pk},
        "inspection-import-batch": {"batch_id": imported.pk},
        "inspection-new-sending": {"request_id": sending.pk},
        "report-job": {"job_id": make_done_job(user, [inspection.coupa_id]).pk},
        "trends-chart": (
            f"{reverse('trends')}?item={line.inspection.item_id}&characteristic={quote(line.name)}"
        ),
    }


def page_urls(world: dict) -> list[str]:
    urls = [reverse(name, kwargs=world.get(name)) for name in PAGES]
    urls.insert(urls.index(reverse("trends")) + 1, world["trends-chart"])
    urls.append("/no-such-page/")  # the 404 page
    return urls


def sync_cache(server) -> None:
    client = client_for(server)
    try:
        assert run_sync("full", client=client, attachments="skip").outcome == "succeeded"
    finally:
        client.close()


def new_context(browser, color_scheme: str = "light", width: int = 1280):
    """A browser context as a person's: its own storage, the system's colour scheme."""
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        color_scheme=color_scheme,
        reduced_motion="reduce",
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def sign_in_as(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    settled(page)


def settled(page) -> None:
    """The page has loaded and htmx has swapped in what it loads at once (the pages that poll
    or stream never reach Playwright's "networkidle")."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
