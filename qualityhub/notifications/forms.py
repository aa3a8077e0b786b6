"""The notification settings form: every field bounded and checked on the server."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualityhub.accounts.access import Access
from qualityhub.notifications.audience import Choices
from qualityhub.notifications.kinds import Delivery, Kind
from qualityhub.ui.params import whole_number_or_none

MAX_CHOSEN = 100  # suppliers, and items, one person can narrow their notifications to


@cache
def time_zones() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class IdsField(forms.Field):
    """Coupa ids chosen in a picker (a multiple select): whole numbers, at most MAX_CHOSEN."""

    widget = forms.SelectMultiple

    def to_python(self, value) -> frozenset[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if len(values) > MAX_CHOSEN:
            raise forms.ValidationError(_("Choose at most %(count)s.") % {"count": MAX_CHOSEN})
        ids = set()
        for raw in values:
            number = whole_number_or_none(str(raw)[:30], minimum=1)
            if number is None:
                raise forms.ValidationError(
                    _("“%(value)s” is not a Coupa id.") % {"value": str(raw)[:30]}
                )
            ids.add(number)
        return frozenset(ids)


class NotificationSettingsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Tell me when"),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )
    suppliers = IdsField(
        label=gettext_lazy("Only these suppliers"),
        required=False,
        help_text=gettext_lazy("Empty: all."),
    )
    items = IdsField(
        label=gettext_lazy("Only these items"),
        required=False,
        help_text=gettext_lazy("Empty: all."),
    )
    delivery = forms.ChoiceField(
        label=gettext_lazy("By mail"),
        choices=Delivery.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    digest_hour = forms.TypedChoiceField(
        label=gettext_lazy("Daily digest at"),
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("In the time zone"),
        choices=time_zones,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    weekly_summary = forms.BooleanField(
        label=gettext_lazy(
            "Send me the weekly summary (overdue, waiting for review, rejected, worst suppliers)"
        ),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, access: Access, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.access = access

    @classmethod
    def initial_from(cls, choices: Choices, access: Access) -> NotificationSettingsForm:
        return cls(
            access=access,
            initial={
                "kinds": sorted(choices.kinds, key=Kind.values.index),
                "suppliers": sorted(choices.supplier_ids),
                "items": sorted(choices.item_ids),
                "delivery": choices.delivery,
                "digest_hour": choices.digest_hour,
                "time_zone": choices.time_zone,
                "weekly_summary": choices.weekly_summary,
            },
        )

    def clean_suppliers(self) -> frozenset[int]:
        chosen = self.cleaned_data["suppliers"]
        unseen = sorted(s for s in chosen if not self.access.sees_supplier(s))
        if unseen:
            listed = ", ".join(str(s) for s in unseen)
            raise forms.ValidationError(_("You do not see supplier %(ids)s.") % {"ids": listed})
        return chosen

    def choices(self) -> Choices:
        data = self.cleaned_data
        return Choices(
            kinds=frozenset(data["kinds"]),
            supplier_ids=data["suppliers"],
            item_ids=data["items"],
            delivery=data["delivery"],
            digest_hour=data["digest_hour"],
            time_zone=data["time_zone"],
            weekly_summary=data["weekly_summary"],
            stored=True,
        )
