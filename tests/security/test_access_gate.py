"""The access gate (`accounts.access.visible_or_404`), checked route by route from the URL resolver.

Every captured URL kwarg must be classified below: either it names a row the gate guards
(`ROW_KWARGS`) or it names none (`NOT_ROWS`, with why). Every route naming a row is then requested
with every HTTP method its view allows, as a user who holds every permission but is limited to
another supplier, with ids of rows that exist but are not theirs: each answer must be 404, as for an
id that does not exist. So a new route with a new id fails until classified, and a new route that
reads its row without the gate fails outright (`test_the_check_catches_a_route_that_skips_the_gate`
shows both on a throwaway URL conf).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import include, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from qualityhub.accounts.access import access_for, requires, visible_or_404
from qualityhub.attachments.models import Attachment
from qualityhub.creation.models import CreationRequest, ImportBatch
from qualityhub.exporting.models import Action, ExportBatch, ExportItem
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.notifications.models import Event, Notification
from qualityhub.savedviews.models import SavedView
from qualityhub.sync.models import SyncRun
from qualityhub.ui import converters  # noqa: F401  (registers <id:...> for the throwaway routes)
from tests.conftest import make_user
from tests.reports.world import make_done_job
from tests.url_walk import every_route

OWN_SUPPLIER, OTHER_SUPPLIER = 20, 10
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# A URL kwarg → the kind of row it names. "batch_id" names an export batch in exporting's routes
# and an import batch in creation's: told apart by the app of the route's view.
ROW_KWARGS: dict[str, str | dict[str, str]] = {
    "coupa_id": "inspection",
    "line_id": "characteristic",
    "pk": "attachment",
    "batch_id": {"qualityhub.exporting": "export_batch", "qualityhub.creation": "import_batch"},
    "request_id": "creation_request",
    "view_id": "saved_view",
    "notification_id": "notification",
    "job_id": "report_job",
}
# Every kind of row some route names: each must be tried, from both sides.
GATED_KINDS = {
    "inspection",
    "characteristic",
    "attachment",
    "export_batch",
    "import_batch",
    "creation_request",
    "saved_view",
    "notification",
    "report_job",
}
# URL kwargs that name no row the gate guards, and what checks them instead.
NOT_ROWS = {
    "supplier_id": "a supplier, not a row: the scorecard asks `Access.sees_supplier`",
    "uidb64": "Django's password reset: the signed token is the check",
    "token": "Django's password reset: the signed token is the check",
    "signed": "the mail's unsubscribe link: the signature, for one user, is the check",
}


@dataclass(frozen=True)
class Route:
    name: str
    app: str  # of the view: "qualityhub.exporting"
    kwargs: tuple[str, ...]

    def kind(self, kwarg: str) -> str | None:
        kind = ROW_KWARGS.get(kwarg)
        return kind.get(self.app) if isinstance(kind, dict) else kind

    @property
    def rows(self) -> dict[str, str]:
        """kwarg → kind of row, for the kwargs that name a guarded row."""
        return {kwarg: self.kind(kwarg) for kwarg in self.kwargs if self.kind(kwarg)}


def routes(urlconf: str | None = None) -> list[Route]:
    """Every named route of the URL conf with its captured kwargs (those of enclosing includes
    too), outside Django's admin."""
    found = every_route(urlconf)
    for route in found:
        assert route.name, f"{route.path} needs a name to be checked"
    return [Route(route.name, route.app, route.kwargs) for route in found]


def unclassified(found: list[Route]) -> list[str]:
    """Kwargs the lists above do not know: a new id must be said to name a row (or not)."""
    return [
        f"{route.name}: {kwarg}"
        for route in found
        for kwarg in route.kwargs
        if kwarg not in NOT_ROWS and route.kind(kwarg) is None
    ]


def leaks(client, found: list[Route], ids: dict[str, dict[str, int]]) -> list[str]:
    """Each route naming a row, requested with every allowed method and others' rows in each
    place in turn (then in all): every answer that is not 404. Routes allowing no method count."""
    problems = []
    for route in found:
        for url in _urls_with_others_rows(route, ids):
            allowed = 0
            for method in METHODS:
                status = client.generic(method, url).status_code
                if status == 405:
                    continue
                allowed += 1
                if status != 404:
                    problems.append(f"{route.name}: {method} {url} answered {status}, not 404")
            if not allowed:
                problems.append(f"{route.name}: {url} allows no method")
    return problems


def _urls_with_others_rows(route: Route, ids: dict[str, dict[str, int]]) -> list[str]:
    rows = route.rows
    own = {kwarg: ids["own"][kind] for kwarg, kind in rows.items()}
    others = {kwarg: ids["other"][kind] for kwarg, kind in rows.items()}
    # Each kwarg naming another supplier's row, the rest the user's own; then all of them.
    mixes = [own | {kwarg: others[kwarg]} for kwarg in rows] if len(rows) > 1 else []
    return [reverse(route.name, kwargs=kwargs) for kwargs in chain(mixes, [others])]


def _world(owner, someone_else) -> dict[str, dict[str, int]]:
    """An inspection with a line, an attachment, an export batch over it and an import, for each
    of two suppliers; the user's import (and private saved view) is theirs, the other one someone
    else's."""
    now = timezone.now()
    ids = {}
    for side, supplier, coupa_id, importer in (
        ("own", OWN_SUPPLIER, 2, owner),
        ("other", OTHER_SUPPLIER, 1, someone_else),
    ):
        inspection = Inspection.objects.create(
            coupa_id=coupa_id, supplier_id=supplier, item_id=5, status="Open", due_date=now
        )
        line = Characteristic.objects.create(
            coupa_id=coupa_id * 10 + 1, inspection=inspection, name="Length"
        )
        attachment = Attachment.objects.create(
            inspection=inspection,
            characteristic=line,
            file_name="coa.pdf",
            state=Attachment.State.FAILED,
            local_file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="coa.pdf"),
        )
        export = ExportBatch.objects.create(
            action=Action.MARK, scope=ExportBatch.Scope.ONE, created_at=now, created_by=importer
        )
        ExportItem.objects.create(
            batch=export, inspection_id=coupa_id, outcome="failed", updated_at=now
        )
        imported = ImportBatch.objects.create(user=importer, file_name="a.csv", file_format="csv")
        sent = CreationRequest.objects.create(
            external_id=f"QH-GATE-{side}", payload="{}", form={}, user=importer
        )
        ids[side] = {
            "inspection": inspection.coupa_id,
            "characteristic": line.coupa_id,
            "attachment": attachment.pk,
            "export_batch": export.pk,
            "import_batch": imported.pk,
            "creation_request": sent.pk,
            "saved_view": SavedView.objects.create(owner=importer, name=f"{side} view").pk,
            "notification": _notification(importer, inspection).pk,
            "report_job": make_done_job(importer, [coupa_id]).pk,
        }
    return ids


def _notification(user, inspection: Inspection) -> Notification:
    event = Event.objects.create(
        key=f"rejected:{inspection.coupa_id}",
        kind="rejected",
        at=timezone.now(),
        summary="Rejected",
        inspection_id=inspection.coupa_id,
        supplier_id=inspection.supplier_id,
    )
    return Notification.objects.create(event=event, user=user, created_at=timezone.now())


@pytest.fixture
def limited(client, engineer):
    """A buyer limited to one supplier, also given every other permission (as an administrator
    may), so that no route stops them with a 403 before the gate is reached."""
    user = make_user("lena", "Buyer", suppliers=[OWN_SUPPLIER])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="accounts"))
    access = access_for(user)
    assert access.is_limited and access.supplier_ids == {OWN_SUPPLIER}
    client.force_login(user)
    return client, _world(owner=user, someone_else=engineer)


def test_every_url_kwarg_is_classified() -> None:
    assert unclassified(routes()) == [], "say in ROW_KWARGS or NOT_ROWS what these kwargs name"


def test_others_rows_are_404_on_every_route_that_names_a_row(limited) -> None:
    client, ids = limited
    gated = [route for route in routes() if route.rows]
    kinds = {kind for route in gated for kind in route.rows.values()}
    assert kinds == GATED_KINDS
    assert len(gated) >= 20
    assert leaks(client, gated, ids) == []


def test_the_same_user_reaches_their_own_rows(limited) -> None:
    """The world is right: with their own supplier's rows (and their own import), the GET routes
    answer (so the 404s above are the gate's, not a missing row or permission)."""
    client, ids = limited
    answers = {}
    for route in routes():
        if route.rows:
            kwargs = {kwarg: ids["own"][kind] for kwarg, kind in route.rows.items()}
            answers[route.name] = client.get(reverse(route.name, kwargs=kwargs)).status_code
    reached = {name: status for name, status in answers.items() if status != 405}
    found = {route.name: route for route in routes()}
    kinds = {kind for name in reached for kind in found[name].rows.values()}
    assert kinds == GATED_KINDS
    assert {name: status for name, status in reached.items() if status >= 400} == {}


# A throwaway URL conf (this module, for the test below): the real routes, plus a new route that
# reads its inspection without the gate, one that uses it, and one with an unclassified id.
@require_GET
@requires("browse_inspections")
def _ungated_view(request, coupa_id: int) -> HttpResponse:
    return HttpResponse(Inspection.objects.get(coupa_id=coupa_id).status)


@require_GET
@requires("browse_inspections")
def _gated_view(request, coupa_id: int) -> HttpResponse:
    return HttpResponse(visible_or_404(request, Inspection.objects, coupa_id=coupa_id).status)


urlpatterns = [
    path("", include("qualityhub.urls")),
    path("throwaway/<id:coupa_id>/ungated/", _ungated_view, name="throwaway-ungated"),
    path("throwaway/<id:coupa_id>/gated/", _gated_view, name="throwaway-gated"),
    path("throwaway/widgets/<id:widget_id>/", _gated_view, name="throwaway-widget"),
]


@pytest.mark.urls(__name__)
def test_the_check_catches_a_route_that_skips_the_gate(limited) -> None:
    client, ids = limited
    found = {route.name: route for route in routes()}
    assert unclassified(found.values()) == ["throwaway-widget: widget_id"]

    ungated, gated = found["throwaway-ungated"], found["throwaway-gated"]
    assert ungated.app == gated.app == "tests.security"
    other = ids["other"]["inspection"]
    assert leaks(client, [ungated, gated], ids) == [
        f"throwaway-ungated: GET /throwaway/{other}/ungated/ answered 200, not 404"
    ]


def test_the_gate_refuses_a_model_without_a_rule(db) -> None:
    request = RequestFactory().get("/")
    request.access = access_for(make_user("ada", "Quality engineer"))
    run = SyncRun.objects.create(mode="full", started_at=timezone.now())
    with pytest.raises(TypeError, match="SyncRun rows have no `seen_by` rule"):
        visible_or_404(request, SyncRun.objects, pk=run.pk)


# The name pickers name no row in their path, but answer rows of the directory: a user limited to
# some suppliers must find only those suppliers, and only the items of their inspections.
NAME_ROUTES = {
    "names-suppliers": "supplier",
    "names-items": "item",
    "names-people": "everyone's",  # people and units belong to no supplier
    "names-units": "everyone's",
}


def test_every_name_picker_is_classified() -> None:
    pickers = {route.name for route in routes() if route.name.startswith("names-")}
    assert pickers == set(NAME_ROUTES)


def test_the_name_pickers_answer_only_what_the_user_sees(limited) -> None:
    from qualityhub.directory.models import Item, Supplier

    client, _ids = limited
    now = timezone.now()
    for supplier, name in ((OWN_SUPPLIER, "Acme Own"), (OTHER_SUPPLIER, "Acme Other")):
        Supplier.objects.create(coupa_id=supplier, name=name, number=f"N{supplier}", fetched_at=now)
    Item.objects.create(coupa_id=5, name="Acme bolt", fetched_at=now)  # in both's inspections
    Item.objects.create(coupa_id=6, name="Acme nut", fetched_at=now)  # in the other's only
    Inspection.objects.create(
        coupa_id=3, supplier_id=OTHER_SUPPLIER, item_id=6, status="Open", due_date=now
    )

    def found(name: str, q: str) -> list:
        response = client.get(reverse(name), {"q": q})
        assert response.status_code == 200
        return [row["value"] for row in response.json()["results"]]

    assert found("names-suppliers", "acme") == [OWN_SUPPLIER]
    assert found("names-suppliers", str(OTHER_SUPPLIER)) == []  # not by id either
    assert found("names-suppliers", f"N{OTHER_SUPPLIER}") == []
    assert found("names-items", "acme") == [5]
    assert found("names-items", "6") == []
