from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "qualityhub.notifications"
    verbose_name = "Notifications"
