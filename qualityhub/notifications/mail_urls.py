from django.urls import path

from qualityhub.notifications.unsubscribe_views import unsubscribe_view

urlpatterns = [
    path(
        "notifications/unsubscribe/<str:token>/",
        unsubscribe_view,
        name="notifications-unsubscribe",
    ),
]
