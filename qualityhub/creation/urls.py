from django.urls import path

from qualityhub.creation import views
from qualityhub.ui import converters  # noqa: F401  (registers <id:...>)

urlpatterns = [
    path("inspections/new/", views.inspection_new, name="inspection-new"),
    path("inspections/new/row/", views.inspection_new_row, name="inspection-new-row"),
    path("inspections/new/check/", views.inspection_new_check, name="inspection-new-check"),
    path(
        "inspections/new/<id:request_id>/",
        views.inspection_new_sending,
        name="inspection-new-sending",
    ),
    path(
        "inspections/new/<id:request_id>/progress/",
        views.inspection_new_sending_progress,
        name="inspection-new-sending-progress",
    ),
    path(
        "inspections/new/row/removed/",
        views.inspection_new_row_removed,
        name="inspection-new-row-removed",
    ),
    path("inspections/import/", views.inspection_import, name="inspection-import"),
    path(
        "inspections/import/template.csv",
        views.inspection_import_template,
        name="inspection-import-template",
    ),
    path(
        "inspections/import/<id:batch_id>/",
        views.inspection_import_batch,
        name="inspection-import-batch",
    ),
    path(
        "inspections/import/<id:batch_id>/send/",
        views.inspection_import_send,
        name="inspection-import-send",
    ),
    path(
        "inspections/import/<id:batch_id>/progress/",
        views.inspection_import_progress,
        name="inspection-import-progress",
    ),
]
