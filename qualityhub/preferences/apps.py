from django.apps import AppConfig


class PreferencesConfig(AppConfig):
    name = "qualityhub.preferences"
    verbose_name = "Preferences"

    def ready(self) -> None:
        from qualityhub.preferences import language  # noqa: F401  (the sign-in receiver)
