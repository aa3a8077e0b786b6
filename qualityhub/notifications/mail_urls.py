from django.urls import path

from qualityhub.notifications.unsubscribe_views import unsubscribe_view

urlpatterns = [
    path(
        "notifications/unsubscribe/<str:signed>/",
        unsubscribe_view,
        name="notifications-unsubscribe",
    ),
]
