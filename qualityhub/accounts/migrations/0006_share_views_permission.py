"""The permission to share a saved view with everyone, given to the Quality engineer role."""

import secrets

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "Quality engineer"
CODENAME = "share_views"


def give_engineers_sharing(apps, schema_editor):
    # Permissions are normally made after all migrations (post_migrate); the role needs it now.
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="accounts", codename=CODENAME)
    for group in Group.objects.filter(name=ROLE):
        group.permissions.add(permission)
    # Every user's cached access was computed without it: renew their stamps (access.py).
    apps.get_model("accounts", "AccessStamp").objects.update(token=secrets.token_hex(8))


def take_sharing_back(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="accounts", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_supplier_performance"),
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
                ],
            },
        ),
        migrations.RunPython(give_engineers_sharing, take_sharing_back),
    ]
