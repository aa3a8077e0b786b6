from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("qualityhub.ops.urls")),
    path("", include("qualityhub.accounts.urls")),
    path("", include("qualityhub.creation.urls")),
    path("", include("qualityhub.spreadsheets.urls")),
    path("", include("qualityhub.inspections.urls")),
    path("", include("qualityhub.sync.urls")),
    path("", include("qualityhub.analytics.urls")),
    path("", include("qualityhub.attachments.urls")),
    path("", include("qualityhub.exporting.urls")),
    path("", include("qualityhub.assignment.urls")),
    path("", include("qualityhub.directory.urls")),
    path("", include("qualityhub.savedviews.urls")),
    path("", include("qualityhub.preferences.urls")),
    path("", include("qualityhub.notifications.urls")),
    path("", include("qualityhub.notes.urls")),
    path("", include("qualityhub.reports.urls")),
    path("", include("qualityhub.notifications.mail_urls")),
    path("", include("qualityhub.reports.pack_urls")),
]
