from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qualityhub.accounts.demo_users import DEMO_BUYER_SUPPLIERS, create_demo_users

EVERY_SUPPLIER = "all"


def _supplier_ids(text: str | None) -> list[int]:
    """The ids given, the demo's own when none are (None), and no limit for "all"."""
    if text is None:
        return list(DEMO_BUYER_SUPPLIERS)
    if text.strip().lower() == EVERY_SUPPLIER:
        return []
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        ids = []
    if not ids or any(supplier_id <= 0 for supplier_id in ids):
        message = f"--buyer-suppliers takes supplier ids like 6,10 or 'all', not {text!r}"
        raise CommandError(message)
    return ids


class Command(BaseCommand):
    help = "Create (or reset) one demo user per role and print their credentials."

    def add_arguments(self, parser):
        default = ",".join(map(str, DEMO_BUYER_SUPPLIERS))
        parser.add_argument(
            "--buyer-suppliers",
            default=None,
            help="comma-separated supplier ids the demo buyer is responsible for, or 'all' for"
            f" every supplier (default: the demo's {default})",
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
        else:
            self.stdout.write("The buyer sees every supplier.")
