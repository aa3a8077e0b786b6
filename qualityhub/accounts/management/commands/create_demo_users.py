from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qualityhub.accounts.demo_users import create_demo_users


def _supplier_ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        message = f"--buyer-suppliers takes supplier ids like 101,102, not {text!r}"
        raise CommandError(message) from None


class Command(BaseCommand):
    help = "Create (or reset) one demo user per role and print their credentials."

    def add_arguments(self, parser):
        parser.add_argument(
            "--buyer-suppliers",
            default="",
            help="comma-separated supplier ids the demo buyer is limited to (default: all)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even with DEBUG off (the passwords are public: never on a real server)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "The demo users have published passwords; with DEBUG off this needs --force."
            )
        suppliers = _supplier_ids(options["buyer_suppliers"])
        users = create_demo_users(suppliers)
        width = max(len(user.username) for user in users)
        self.stdout.write("Demo sign-ins:")
        for user in users:
            self.stdout.write(f"  {user.username:<{width}}  {user.password:<24}  {user.role}")
        if suppliers:
            self.stdout.write(f"The buyer sees suppliers {', '.join(map(str, suppliers))} only.")
