from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "qualityhub.notes"
    verbose_name = "Internal notes"
