from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "qualityhub.analytics"
    label = "analytics"
    verbose_name = "Overview, scorecards and trends"
