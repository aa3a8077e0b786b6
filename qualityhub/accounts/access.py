"""What the signed-in user may do and which suppliers they see, read once per request.

`access_for(user)` costs three queries the first time and none after: the answer is cached
under the user's access stamp (`AccessStamp`), which is read with the user on every request and
renewed whenever their groups, permissions or supplier assignments change (`signals.py`). A
revoked right therefore takes effect on the next request in every process, whatever the cache:
a process's own memory only ever holds answers under stamps that are no longer current.

Views ask `requires(permission)` of the user, and `visible_or_404` of every row a URL names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cached_property, wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Manager, OuterRef, Q, QuerySet
from django.http import Http404

from qualityhub.accounts.models import AccessStamp, SupplierAssignment, new_stamp
from qualityhub.accounts.roles import PERMISSIONS

CACHE_SECONDS = 300


@dataclass(frozen=True)
class Access:
    permissions: frozenset[str]
    # None: every supplier. A buyer with assigned suppliers sees only theirs.
    supplier_ids: frozenset[int] | None = None
    roles: tuple[str, ...] = ()  # the user's group names, for the navigation bar
    user_id: int | None = None  # whose access: some rows (imports) are seen by their owner only

    def allows(self, permission: str) -> bool:
        return permission in self.permissions

    @cached_property
    def can(self) -> dict[str, bool]:
        """For templates: `{% if access.can.create_inspections %}` (built once per Access: a
        list page asks it on every row)."""
        return dict.fromkeys(self.permissions, True)

    @property
    def is_limited(self) -> bool:
        return self.supplier_ids is not None

    def sees_supplier(self, supplier_id: int | None) -> bool:
        return self.supplier_ids is None or supplier_id in self.supplier_ids

    def scope(self, queryset: QuerySet, field: str = "supplier_id") -> QuerySet:
        """Only the rows of suppliers this user sees."""
        if self.supplier_ids is None:
            return queryset
        return queryset.filter(**{f"{field}__in": sorted(self.supplier_ids)})


NO_ACCESS = Access(frozenset(), frozenset())
FULL_ACCESS = Access(frozenset(PERMISSIONS), roles=("Administrator",))


def access_for(user: Any) -> Access:
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    if user.is_superuser:
        return replace(FULL_ACCESS, user_id=user.pk)
    stamp = _stamp_of(user)
    if stamp is None:  # a user made without signals (bulk_create): never cached
        return _load(user)
    key = f"access:v3:{user.pk}:{stamp}"
    access = cache.get(key)
    if access is None:
        access = _load(user)
        cache.set(key, access, CACHE_SECONDS)
    return access


def _stamp_of(user: Any) -> str | None:
    try:
        return user.access_stamp.token  # joined to the user by the auth backend
    except AccessStamp.DoesNotExist:
        return None


def _load(user: Any) -> Access:
    return accesses_of([(user.pk, False)])[user.pk]


def accesses_of(people: list[tuple[int, bool]]) -> dict[int, Access]:
    """The Access of each (user id, is superuser), read in three queries however many (for
    `access_for`, one user; for choosing whom to notify, everyone)."""
    ids = [pk for pk, _ in people]
    permissions: dict[int, set[str]] = defaultdict(set)
    codes = Permission.objects.filter(content_type__app_label="accounts")
    for user_id, codename in codes.filter(user__in=ids).values_list("user", "codename"):
        permissions[user_id].add(codename)
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role, codename, app in Group.objects.filter(user__in=ids).values_list(
        "user", "name", "permissions__codename", "permissions__content_type__app_label"
    ):
        roles[user_id].add(role)
        if app == "accounts":  # a group may hold other apps' permissions too (the admin's)
            permissions[user_id].add(codename)
    suppliers: dict[int, set[int]] = defaultdict(set)
    for user_id, supplier_id in SupplierAssignment.objects.filter(user__in=ids).values_list(
        "user", "supplier_id"
    ):
        suppliers[user_id].add(supplier_id)
    return {
        pk: replace(FULL_ACCESS, user_id=pk)
        if is_superuser
        else Access(
            frozenset(permissions[pk]) & frozenset(PERMISSIONS),
            frozenset(suppliers[pk]) or None,
            tuple(sorted(roles[pk])),
            pk,
        )
        for pk, is_superuser in people
    }


def people_who_see(supplier_id: int | None) -> QuerySet:
    """The active users who may see an inspection of `supplier_id`, in one query: `access_for`'s
    rule in SQL (superusers; else `browse_inspections`, and the supplier unless unlimited), for
    choosing colleagues to mention or assign (`tests/accounts/test_people_who_see.py` checks
    that both always agree)."""
    browse = Permission.objects.filter(
        content_type__app_label="accounts", codename="browse_inspections"
    )
    browses = Exists(browse.filter(user=OuterRef("pk"))) | Exists(
        browse.filter(group__user=OuterRef("pk"))
    )
    assignments = SupplierAssignment.objects.filter(user=OuterRef("pk"))
    sees_supplier = ~Exists(assignments) | Exists(assignments.filter(supplier_id=supplier_id))
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | (browses & sees_supplier))
    )


def restamp(user_ids: Any) -> None:
    """What these users may do has changed: every process's cached access of theirs is stale.
    Called with or after the change, so an answer computed before it is cached only under a stamp
    that no request reads again."""
    AccessStamp.objects.filter(user_id__in=user_ids).update(token=new_stamp())


class MissingPermission(PermissionDenied):
    """A 403 for want of one permission; the log line names it (`ops.logging`)."""

    def __init__(self, permission: str) -> None:
        super().__init__(f"needs {permission}")
        self.permission = permission


def requires(permission: str):
    """View decorator: 403 unless the user holds `permission` (sign-in is checked before, by
    `LoginRequiredMiddleware`). The permission is kept on the view for the role-matrix test."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.access.allows(permission):
                raise MissingPermission(permission)
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission
        return wrapped

    return decorator


def visible_or_404(request, rows: QuerySet | Manager, **lookup: Any) -> Any:
    """The one access gate for a route that names a row by its id: the row of `rows` matching
    `lookup` if this user may see it, else 404. Rows of other suppliers (or others' imports) are
    as absent as ids that do not exist, so guessing ids tells nothing.

    Who may see a row is said once per model, by its queryset's `seen_by(access)`; a model
    without one is refused outright rather than served unchecked. `rows` carries the caller's
    `only`/`select_related`, so the gate costs the one query the view needed anyway.
    (`tests/security/test_access_gate.py` requests every such route as a user limited to other
    suppliers.)"""
    seen_by = getattr(rows, "seen_by", None)
    if seen_by is None:
        raise TypeError(f"{rows.model.__name__} rows have no `seen_by` rule: the gate refuses them")
    row = seen_by(request.access).filter(**lookup).first()
    if row is None:
        raise Http404(f"No {rows.model._meta.verbose_name} {lookup} among those you may see.")
    return row
