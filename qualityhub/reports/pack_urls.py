from django.urls import path

from qualityhub.reports import pack_views
from qualityhub.ui import converters  # noqa: F401  (registers <id:...>)

urlpatterns = [
    path(
        "suppliers/<id:supplier_id>/review-pack/",
        pack_views.supplier_pack,
        name="supplier-pack",
    ),
    path(
        "suppliers/<id:supplier_id>/review-pack/monthly/",
        pack_views.pack_subscription,
        name="supplier-pack-subscription",
    ),
]
