from django.urls import path

from qualityhub.audit.views import inspection_timeline
from qualityhub.inspections.views import inspections, results
from qualityhub.ui import converters  # noqa: F401  (registers <id:...>)

urlpatterns = [
    path("inspections/", inspections.inspection_list, name="inspection-list"),
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
]
