from django.urls import path

from qualityhub.assignment import views
from qualityhub.ui import converters  # noqa: F401  (registers <id:...>)

urlpatterns = [
    path(
        "inspections/<id:coupa_id>/assignee/",
        views.inspection_assignee,
        name="inspection-assignee",
    ),
    path("inspections/<id:coupa_id>/assign/", views.inspection_assign, name="inspection-assign"),
    path("inspections/<id:coupa_id>/take/", views.inspection_take, name="inspection-take"),
    path(
        "inspections/<id:coupa_id>/unassign/",
        views.inspection_unassign,
        name="inspection-unassign",
    ),
    path(
        "assignment/bulk/selected/",
        views.bulk_assign,
        {"scope": "selected"},
        name="assignment-bulk-selected",
    ),
    path(
        "assignment/bulk/filtered/",
        views.bulk_assign,
        {"scope": "filtered"},
        name="assignment-bulk-filtered",
    ),
]
