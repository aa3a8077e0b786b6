"""Renew a user's access stamp when anything their access is computed from changes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from qualityhub.accounts.access import restamp
from qualityhub.accounts.models import AccessStamp, SupplierAssignment

User = get_user_model()


@receiver(post_save, sender=User)
def _user_created(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        AccessStamp.objects.create(user=instance)


@receiver(post_save, sender=SupplierAssignment)
@receiver(post_delete, sender=SupplierAssignment)
def _assignment_changed(sender, instance, **kwargs) -> None:
    restamp([instance.user_id])


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def _memberships_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:  # user.groups.add(...): instance is the user
        restamp([instance.pk])
    elif action == "post_clear" or pk_set is None:  # group.user_set.clear(): unknown users
        restamp(User.objects.values_list("pk", flat=True))
    else:  # group.user_set.add(...): pk_set holds the users
        restamp(pk_set)


@receiver(m2m_changed, sender=Group.permissions.through)
def _group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # permission.group_set.add(...): every member of those groups
        users = User.objects.filter(groups__pk__in=pk_set or ()).values_list("pk", flat=True)
        if action == "post_clear":
            users = User.objects.values_list("pk", flat=True)
    else:
        users = instance.user_set.values_list("pk", flat=True)
    restamp(users)


# Deleting a group or a permission removes its memberships without any m2m signal.
@receiver(pre_delete, sender=Group)
def _group_deleted(sender, instance, **kwargs) -> None:
    restamp(list(instance.user_set.values_list("pk", flat=True)))


@receiver(pre_delete, sender=Permission)
def _permission_deleted(sender, instance, **kwargs) -> None:
    holders = Q(user_permissions=instance) | Q(groups__permissions=instance)
    restamp(list(User.objects.filter(holders).values_list("pk", flat=True)))
