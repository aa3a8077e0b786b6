from django.conf import settings
from django.db import models


class PackSubscription(models.Model):
    """A person asked for a supplier's review pack by mail on the 1st of each month."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pack_subscriptions"
    )
    supplier_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "supplier_id"], name="one_pack_subscription")
        ]

    def __str__(self) -> str:
        return f"review pack of supplier {self.supplier_id} for user {self.user_id}"
