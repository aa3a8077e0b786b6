from django.apps import AppConfig


class PreferencesConfig(AppConfig):
    name = "qualityhub.preferences"
    verbose_name = "Preferences"
