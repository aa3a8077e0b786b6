"""The demo's sign-ins. Passwords are fixed on purpose: the demo only listens on 127.0.0.1."""

from __future__ import annotations

from django.contrib.auth import get_user_model

DEMO_USERS = (("administrator", "demo", "demo-password"),)


def ensure_demo_users() -> list[tuple[str, str, str]]:
    User = get_user_model()
    for _role, username, password in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
    return list(DEMO_USERS)
