from django.urls import path

from qualityhub.audit.views import inspection_timeline
from qualityhub.web import converters  # noqa: F401  (registers <id:...>)
from qualityhub.web.views import inspections, results, sync

urlpatterns = [
    path("inspections/", inspections.inspection_list, name="inspection-list"),
    path("inspections/export.csv", inspections.inspection_export, name="inspection-export"),
    path("inspections/<id:coupa_id>/", inspections.inspection_detail, name="inspection-detail"),
    path(
        "inspections/<id:coupa_id>/refresh/",
        inspections.inspection_refresh,
        name="inspection-refresh",
    ),
    path(
        "inspections/<id:coupa_id>/refresh/status/",
        inspections.inspection_refresh_status,
        name="inspection-refresh-status",
    ),
    path(
        "inspections/<id:coupa_id>/characteristics/<id:line_id>/choices/",
        inspections.characteristic_choices,
        name="characteristic-choices",
    ),
    path("inspections/<id:coupa_id>/timeline/", inspection_timeline, name="inspection-timeline"),
    path("results/", results.result_list, name="result-list"),
    path("sync/", sync.sync_status, name="sync-status"),
    path("sync/run/", sync.sync_now, name="sync-now"),
]
