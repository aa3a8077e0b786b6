"""`manage.py coupa_sandbox`: the sandbox, with the options of `python -m qualityhub.sandbox`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from qualityhub.sandbox.cli import SandboxOptions, add_arguments
from qualityhub.sandbox.server import serve
from qualityhub.sandbox.store import StoreError


class Command(BaseCommand):
    help = "Run the Coupa sandbox: a stand-alone HTTP server impersonating Coupa's QC API."
    requires_system_checks: list[str] = []  # stand-alone: needs neither the database nor the apps

    def add_arguments(self, parser) -> None:
        add_arguments(parser)

    def handle(self, *args, **options) -> None:
        try:
            serve(SandboxOptions.from_mapping(options), stdout=self.stdout)
        except (OSError, StoreError) as exc:
            raise CommandError(str(exc)) from exc
