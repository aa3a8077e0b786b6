"""Drop a user's cached access when anything it was computed from changes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from qualityhub.accounts.access import forget
from qualityhub.accounts.models import SupplierAssignment

User = get_user_model()


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def _user_changed(sender, instance, **kwargs) -> None:
    forget([instance.pk])


@receiver(post_save, sender=SupplierAssignment)
@receiver(post_delete, sender=SupplierAssignment)
def _assignment_changed(sender, instance, **kwargs) -> None:
    forget([instance.user_id])


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def _memberships_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:  # user.groups.add(...): instance is the user
        forget([instance.pk])
    elif action == "post_clear" or pk_set is None:  # group.user_set.clear(): unknown users
        forget(User.objects.values_list("pk", flat=True))
    else:  # group.user_set.add(...): pk_set holds the users
        forget(pk_set)


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
    forget(users)
