"""Attachments written back to Coupa: validated uploads, queued pushes and deletes, downloads."""

from django.urls import path

from qualityhub.attachments import views
from qualityhub.ui import converters  # noqa: F401  (registers <id:...>)

urlpatterns = [
    path(
        "inspections/<id:coupa_id>/attachments/",
        views.attachment_list,
        name="attachment-list",
    ),
    path(
        "inspections/<id:coupa_id>/characteristics/<id:line_id>/attachments/",
        views.attachment_list,
        name="attachment-list-line",
    ),
    path(
        "inspections/<id:coupa_id>/attachments/upload/",
        views.attachment_upload,
        name="attachment-upload",
    ),
    path(
        "inspections/<id:coupa_id>/characteristics/<id:line_id>/attachments/upload/",
        views.attachment_upload,
        name="attachment-upload-line",
    ),
    path("attachments/<id:pk>/download/", views.attachment_download, name="attachment-download"),
    path("attachments/<id:pk>/delete/", views.attachment_delete, name="attachment-delete"),
    path("attachments/<id:pk>/retry/", views.attachment_retry, name="attachment-retry"),
]
