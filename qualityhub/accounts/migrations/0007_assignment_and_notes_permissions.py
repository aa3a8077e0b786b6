"""Two permissions for the team's week (issue 17): `assign_inspections`, held by quality
engineers, and `write_notes`, held by all three roles."""

import secrets

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "assign_inspections": ("Quality engineer",),
    "write_notes": ("Quality engineer", "Buyer", "Manager"),
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations (post_migrate); the roles need them now.
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for codename, roles in GRANTS.items():
        permission = Permission.objects.get(content_type__app_label="accounts", codename=codename)
        for group in Group.objects.filter(name__in=roles):
            group.permissions.add(permission)
    # Every user's cached access was computed without them: renew their stamps (access.py).
    apps.get_model("accounts", "AccessStamp").objects.update(token=secrets.token_hex(8))


def revoke(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="accounts", codename__in=list(GRANTS)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_share_views_permission"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="supplierassignment",
            options={
                "default_permissions": (),
                "permissions": [
                    (
                        "browse_inspections",
                        "Browse and review inspections, results, trends and sync status",
                    ),
                    ("refresh_inspections", "Refresh an inspection from Coupa"),
                    ("manage_attachments", "Upload and delete attachments"),
                    ("create_inspections", "Raise and import inspection requests"),
                    ("mark_exported", "Set and clear the exported flag"),
                    ("control_sync", "Start a sync"),
                    ("view_insight", "See the overview"),
                    (
                        "view_supplier_performance",
                        "See the supplier scorecards and their worst characteristics",
                    ),
                    ("share_views", "Share a saved view of a list with everyone"),
                    ("assign_inspections", "Assign inspections to colleagues, or take them"),
                    (
                        "write_notes",
                        "Write internal notes on inspections and mention colleagues",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
