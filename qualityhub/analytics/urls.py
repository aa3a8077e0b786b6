from django.urls import path

from qualityhub.analytics.views import overview, suppliers, trends
from qualityhub.ui import converters  # noqa: F401  (registers <id:...>)

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("suppliers/", suppliers.supplier_list, name="supplier-list"),
    path("suppliers/<id:supplier_id>/", suppliers.supplier_detail, name="supplier-detail"),
    path("trends/", trends.trend, name="trends"),
]
