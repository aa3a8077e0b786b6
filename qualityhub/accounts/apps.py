from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "qualityhub.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from qualityhub.accounts import signals  # noqa: F401
        from qualityhub.accounts.roles import ensure_roles

        # After django.contrib.auth's own handler (it is earlier in INSTALLED_APPS), so the
        # permissions exist.
        post_migrate.connect(ensure_roles, sender=self)
