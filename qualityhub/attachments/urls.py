"""Attachments written back to Coupa: validated uploads, queued pushes and deletes, downloads."""

from django.urls import path

from qualityhub.attachments import views

urlpatterns = [
    path(
        "inspections/<int:coupa_id>/attachments/",
        views.attachment_list,
        name="attachment-list",
    ),
    path(
        "inspections/<int:coupa_id>/characteristics/<int:line_id>/attachments/",
        views.attachment_list,
        name="attachment-list-line",
    ),
    path(
        "inspections/<int:coupa_id>/attachments/upload/",
        views.attachment_upload,
        name="attachment-upload",
    ),
    path(
        "inspections/<int:coupa_id>/characteristics/<int:line_id>/attachments/upload/",
        views.attachment_upload,
        name="attachment-upload-line",
    ),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment-download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment-delete"),
    path("attachments/<int:pk>/retry/", views.attachment_retry, name="attachment-retry"),
]
