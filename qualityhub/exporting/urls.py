from django.urls import path

from qualityhub.exporting import views
from qualityhub.exporting.models import Action
from qualityhub.ui import converters  # noqa: F401  (registers <id:...>)

urlpatterns = [
    path(
        "inspections/<id:coupa_id>/exported/",
        views.inspection_exported,
        name="inspection-exported",
    ),
    path(
        "inspections/<id:coupa_id>/mark-exported/",
        views.inspection_set_exported,
        {"action": Action.MARK},
        name="inspection-mark-exported",
    ),
    path(
        "inspections/<id:coupa_id>/reset-exported/",
        views.inspection_set_exported,
        {"action": Action.RESET},
        name="inspection-reset-exported",
    ),
    path(
        "exporting/bulk/selected/",
        views.bulk_request,
        {"scope": "selected"},
        name="exporting-bulk-selected",
    ),
    path(
        "exporting/bulk/filtered/",
        views.bulk_request,
        {"scope": "filtered"},
        name="exporting-bulk-filtered",
    ),
    path("exporting/batches/", views.batch_list, name="exporting-batches"),
    path("exporting/batches/<id:batch_id>/", views.batch_detail, name="exporting-batch"),
    path("exporting/batches/<id:batch_id>/retry/", views.batch_retry, name="exporting-batch-retry"),
]
