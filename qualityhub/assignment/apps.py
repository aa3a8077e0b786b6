from django.apps import AppConfig


class AssignmentConfig(AppConfig):
    name = "qualityhub.assignment"
    verbose_name = "Assignment"
