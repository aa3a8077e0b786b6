"""The administrator's pages for what the app keeps of its own: which suppliers a buyer is
responsible for. Suppliers are chosen by name ("Northwind Polymers (SUP-00001)") from the
directory; an id the directory has no name for (a missing scope, a young cache, an empty
directory) is typed as Coupa's id instead."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf, Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from qualityhub.accounts.models import SupplierAssignment
from qualityhub.coupa.schemas import MAX_ID, MIN_ID
from qualityhub.directory.models import Supplier
from qualityhub.directory.names import supplier_fallback, supplier_name

_LABEL = Coalesce(NullIf("display_name", Value("")), "name")


def supplier_choice_label(supplier: Supplier) -> str:
    return f"{supplier.label} ({supplier.number})" if supplier.number else supplier.label


class SupplierAssignmentForm(forms.ModelForm):
    """The supplier by name from the directory, or by Coupa's id; either way `supplier_id`."""

    supplier = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label=_lazy("Supplier")
    )
    coupa_id = forms.IntegerField(
        min_value=MIN_ID,
        max_value=MAX_ID,
        required=False,
        label=_lazy("or Coupa's supplier id"),
        help_text=_lazy("For a supplier QualityHub has no name for yet."),
    )

    class Meta:
        model = SupplierAssignment
        fields = ["user"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        rows = Supplier.objects.only("coupa_id", "name", "display_name", "number").order_by(
            Upper("name"), "coupa_id"
        )
        choices = [(row.coupa_id, supplier_choice_label(row)) for row in rows]
        current = self.instance.supplier_id if self.instance.pk else None
        if not choices:
            # An empty directory: the id is the only way to name a supplier.
            del self.fields["supplier"]
            self.fields["coupa_id"].label = _("Coupa's supplier id")
            self.fields["coupa_id"].help_text = _(
                "QualityHub knows no supplier names yet (see the sync status page)."
            )
            self.fields["coupa_id"].initial = current
            return
        if current is not None and current not in {value for value, _ in choices}:
            choices.insert(0, (current, str(supplier_fallback(current))))
        self.fields["supplier"].choices = [("", "---------"), *choices]
        self.fields["supplier"].initial = current

    def clean(self) -> dict:
        data = super().clean()
        chosen, typed = data.get("supplier"), data.get("coupa_id")
        if "coupa_id" in self.errors or "supplier" in self.errors:
            return data
        if chosen is not None and typed is not None and chosen != typed:
            raise forms.ValidationError(_("Choose a supplier by name or type its id, not both."))
        supplier_id = chosen if chosen is not None else typed
        if supplier_id is None:
            raise forms.ValidationError(_("Choose a supplier."))
        user = data.get("user")
        taken = SupplierAssignment.objects.filter(user=user, supplier_id=supplier_id)
        if user is not None and taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("%(user)s is already responsible for %(supplier)s.")
                % {"user": user, "supplier": supplier_name(supplier_id)}
            )
        self.instance.supplier_id = supplier_id
        return data


@admin.register(SupplierAssignment)
class SupplierAssignmentAdmin(admin.ModelAdmin):
    form = SupplierAssignmentForm
    fields = ["user", "supplier", "coupa_id"]
    list_display = ["user", "supplier", "supplier_id"]
    list_filter = ["user"]
    search_fields = ["user__username", "=supplier_id"]

    def get_fields(self, request, obj=None):
        if Supplier.objects.exists():
            return self.fields
        return [name for name in self.fields if name != "supplier"]  # as the form has them

    def get_queryset(self, request):
        names = Supplier.objects.filter(coupa_id=OuterRef("supplier_id"))
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .annotate(
                # What the list shows and sorts by: the display name where there is one.
                supplier_label=Subquery(names.values(label=_LABEL)[:1]),
                supplier_number=Subquery(names.values("number")[:1]),
            )
        )

    @admin.display(description="Supplier", ordering=Upper("supplier_label"))
    def supplier(self, obj: SupplierAssignment) -> str:
        label = getattr(obj, "supplier_label", "")
        if not label:
            return str(supplier_fallback(obj.supplier_id))
        number = getattr(obj, "supplier_number", "")
        return f"{label} ({number})" if number else label

    def get_search_results(self, request, queryset, search_term):
        """Also the assignments of suppliers whose name, display name or number holds the
        text."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if not term:
            return found, may_have_duplicates
        named = Supplier.objects.filter(
            Q(name__icontains=term) | Q(display_name__icontains=term) | Q(number__icontains=term)
        ).values("coupa_id")
        return found | queryset.filter(supplier_id__in=named), may_have_duplicates
