from django.urls import path

from qualityhub.sync import views

urlpatterns = [
    path("sync/", views.sync_status, name="sync-status"),
    path("sync/run/", views.sync_now, name="sync-now"),
    path("live/", views.live_updates, name="live-updates"),
]
