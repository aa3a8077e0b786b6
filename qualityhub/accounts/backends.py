"""Django's model backend, reading the user's access stamp in the same query as the user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

UserModel = get_user_model()


class StampedModelBackend(ModelBackend):
    """Every request loads its user here (`AuthenticationMiddleware`); the joined access stamp
    lets `access_for` trust a cached access without another query."""

    def get_user(self, user_id):
        try:
            user = UserModel._default_manager.select_related("access_stamp").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        try:
            user = await UserModel._default_manager.select_related("access_stamp").aget(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
