"""The three roles and what each may do.

Roles are Django groups holding permissions of this app (a migration creates them); views ask for
a permission, never for a role, so an administrator can make a fourth role in the admin.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

# The group names as stored in the database: never translated (see `role_label` for display).
QUALITY_ENGINEER = "Quality engineer"
BUYER = "Buyer"
MANAGER = "Manager"

ROLE_LABELS = {
    QUALITY_ENGINEER: gettext_lazy("Quality engineer"),
    BUYER: gettext_lazy("Buyer"),
    MANAGER: gettext_lazy("Manager"),
}


def role_label(name: str) -> str:
    """A role as shown to people: one of the three in the reader's language, a role an
    administrator added by its group's name."""
    return str(ROLE_LABELS.get(name, name))


# codename -> what it lets a user do (shown in the admin's permission list).
PERMISSIONS = {
    "browse_inspections": "Browse and review inspections, results, trends and sync status",
    "refresh_inspections": "Refresh an inspection from Coupa",
    "manage_attachments": "Upload and delete attachments",
    "create_inspections": "Raise and import inspection requests",
    "mark_exported": "Set and clear the exported flag",
    "control_sync": "Start a sync",
    "view_insight": "See the overview",
    "view_supplier_performance": "See the supplier scorecards and their worst characteristics",
    "share_views": "Share a saved view of a list with everyone",
    "assign_inspections": "Assign inspections to colleagues, or take them",
    "write_notes": "Write internal notes on inspections and mention colleagues",
}

ROLE_PERMISSIONS = {
    QUALITY_ENGINEER: tuple(PERMISSIONS),
    # Buyers review what suppliers recorded; refreshing one inspection is part of reviewing it.
    # A buyer's suppliers' performance is theirs to follow (limited to their suppliers, if any).
    BUYER: (
        "browse_inspections",
        "refresh_inspections",
        "manage_attachments",
        "view_supplier_performance",
        "write_notes",
    ),
    MANAGER: ("browse_inspections", "view_insight", "view_supplier_performance", "write_notes"),
}


def ensure_roles(**_signal_kwargs) -> None:
    """Make sure the role groups exist with their permissions. Migration 0002 creates them;
    this runs after every migrate and flush too (post_migrate), so a database emptied by a test
    or by mistake gets them back."""
    from django.contrib.auth.models import Group, Permission

    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
        )
