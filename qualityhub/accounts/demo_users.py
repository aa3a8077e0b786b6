"""The demo's sign-ins, one per role. The passwords are fixed and printed on purpose: the demo
only listens on 127.0.0.1, and the README lists them. `create_demo_users` refuses to run with
DEBUG off unless forced."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from qualityhub.accounts.models import SupplierAssignment
from qualityhub.accounts.roles import BUYER, MANAGER, QUALITY_ENGINEER, ensure_roles


@dataclass(frozen=True)
class DemoUser:
    role: str
    username: str
    password: str


DEMO_USERS = (
    DemoUser(QUALITY_ENGINEER, "engineer", "engineer-demo-password"),
    DemoUser(BUYER, "buyer", "buyer-demo-password"),
    DemoUser(MANAGER, "manager", "manager-demo-password"),
)

#: The suppliers the demo buyer is responsible for, so that the demo shows a buyer's world.
#: Sandbox supplier ids, each selling six catalogue items and with plenty of inspections in the
#: demo's data set (seed 42, 300 inspections: 77 of them): 6 O'Brien "Precision" (hoses, lye,
#: capacitors), 10 Chimie Lyonnaise (PCBs, granulate, stearate), 14 Brückner Lacke (paint,
#: citric acid, motors), 18 Hellenic Chemicals (ethanol 96 %, Li-ion cells, TiO2).
DEMO_BUYER_SUPPLIERS: tuple[int, ...] = (6, 10, 14, 18)


@transaction.atomic
def create_demo_users(
    buyer_suppliers: Iterable[int] = DEMO_BUYER_SUPPLIERS,
) -> tuple[DemoUser, ...]:
    """Create or reset the three demo users: password, exactly one role, and the buyer's
    suppliers (by default :data:`DEMO_BUYER_SUPPLIERS`; empty: every supplier). Safe to run
    again."""
    ensure_roles()
    User = get_user_model()
    for demo in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=demo.username)
        user.set_password(demo.password)
        # The demo writes its mails to var/mail/ (docs/notifications-mail.md): never sent.
        user.email = f"{demo.username}@qualityhub.example"
        user.is_active = True
        user.is_staff = user.is_superuser = False
        user.save()
        user.groups.set([Group.objects.get(name=demo.role)])
        if demo.role == BUYER:
            SupplierAssignment.objects.filter(user=user).delete()
            SupplierAssignment.objects.bulk_create(
                SupplierAssignment(user=user, supplier_id=supplier_id)
                for supplier_id in sorted(set(buyer_suppliers))
            )
    return DEMO_USERS
