"""`{% review_pack_subscriptions %}`: the monthly review packs a person asked for, with a link
to each supplier's page (where the switch is), for the notification settings page."""

from __future__ import annotations

from django import template

from qualityhub.directory.names import supplier_names
from qualityhub.reports.models import PackSubscription

register = template.Library()


@register.inclusion_tag("reports/pack/subscriptions.html", takes_context=True)
def review_pack_subscriptions(context) -> dict:
    request = context["request"]
    access = request.access
    ids = list(
        PackSubscription.objects.filter(user_id=request.user.pk)
        .order_by("supplier_id")
        .values_list("supplier_id", flat=True)
    )
    names = supplier_names(ids)
    return {
        "allowed": access.allows("view_supplier_performance"),
        # A supplier no longer seen is listed by number only: its name is not theirs to learn.
        "subscriptions": [
            (supplier_id, names[supplier_id] if access.sees_supplier(supplier_id) else None)
            for supplier_id in ids
        ],
    }
