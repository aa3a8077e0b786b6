"""The supplier scorecards get a permission of their own, `view_supplier_performance`, held by
all three roles: buyers follow their suppliers' performance too (issue 16). `view_insight` keeps
the overview only."""

import secrets

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAME = "view_supplier_performance"
ROLES = ("Quality engineer", "Buyer", "Manager")
INSIGHT_NAMES = {
    "before": "See the overview and the supplier scorecards",
    "after": "See the overview",
}


def give_to_roles(apps, schema_editor):
    # Permissions are normally made after all migrations (post_migrate); the groups need it now.
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="accounts", codename=CODENAME)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.add(permission)
    _rename_insight(Permission, INSIGHT_NAMES["after"])
    _restamp_everyone(apps)


def take_from_roles(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="accounts", codename=CODENAME).delete()
    _rename_insight(Permission, INSIGHT_NAMES["before"])
    _restamp_everyone(apps)


def _rename_insight(Permission, name: str) -> None:
    # create_permissions adds missing permissions but never renames existing ones.
    Permission.objects.filter(content_type__app_label="accounts", codename="view_insight").update(
        name=name
    )


def _restamp_everyone(apps) -> None:
    # A migration's models send no signals: renew every cached access by hand (accounts/access.py).
    apps.get_model("accounts", "AccessStamp").objects.update(token=secrets.token_hex(8))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_request_count"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
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
                ],
            },
        ),
        migrations.RunPython(give_to_roles, take_from_roles),
    ]
