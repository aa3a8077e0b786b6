"""The three roles as groups holding this app's permissions (as they stood at this migration)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Quality engineer": (
        "browse_inspections",
        "refresh_inspections",
        "manage_attachments",
        "create_inspections",
        "mark_exported",
        "control_sync",
        "view_insight",
    ),
    "Buyer": ("browse_inspections", "refresh_inspections", "manage_attachments"),
    "Manager": ("browse_inspections", "view_insight"),
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations (post_migrate); the groups need them now.
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
