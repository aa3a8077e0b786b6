from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "qualityhub.ops"
    label = "ops"
    verbose_name = "Operations: health, request and task logs"

    def ready(self) -> None:
        from qualityhub.ops import task_logging  # noqa: F401 (connects Celery's signals)
