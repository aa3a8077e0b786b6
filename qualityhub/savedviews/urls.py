from django.urls import path

from qualityhub.savedviews import views
from qualityhub.ui import converters  # noqa: F401  (registers <id:...>)

urlpatterns = [
    path("views/", views.saved_view_manage, name="saved-view-manage"),
    path("views/save/", views.saved_view_save, name="saved-view-save"),
    path("views/<id:view_id>/", views.saved_view_open, name="saved-view-open"),
    path("views/<id:view_id>/rename/", views.saved_view_rename, name="saved-view-rename"),
    path("views/<id:view_id>/delete/", views.saved_view_delete, name="saved-view-delete"),
    path("views/<id:view_id>/share/", views.saved_view_share, name="saved-view-share"),
]
