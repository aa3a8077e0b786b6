from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "qualityhub.reports"
    verbose_name = "Reports"
