"""The new-inspection form: a header and characteristic rows, checked the way Coupa checks them.

The same forms check the web form, every CSV row and every JSON record, so one set of rules
decides what may be sent. Local checks cover what the spec documents (required fields, whole
numbers, the allowed enums) plus a few that only make sense (a minimum not above its maximum, a
choice target that is one of the codes); whatever Coupa still refuses comes back as
`CoupaValidationError.field_errors`, and `form_errors` puts it on the field it names.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import BoundField, formset_factory
from django.http import QueryDict
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualityhub.coupa.outbound import (
    CharacteristicRequest,
    ChoiceRequest,
    InspectionRequest,
    LimitRequest,
)
from qualityhub.coupa.schemas import MAX_ID, MAX_MAGNITUDE, MIN_ID
from qualityhub.coupa.vocabulary import CharacteristicKind, ValueType
from qualityhub.creation.resolving import as_coupa_id
from qualityhub.directory.names import (
    Name,
    item_names,
    person_names,
    supplier_fallback,
    supplier_names,
    unit_names,
)
from qualityhub.ui.params import MomentField
from qualityhub.verdicts.display import typed_number

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access

ROWS_PREFIX = "chars"
MAX_CHARACTERISTICS = 100
OPERATORS = [
    ("", "—"),
    ("gt", gettext_lazy("> greater than")),
    ("ge", gettext_lazy("≥ at least")),
    ("eq", gettext_lazy("= equal to")),
    ("le", gettext_lazy("≤ at most")),
    ("lt", gettext_lazy("< less than")),
]
NEW_ROW = {
    "kind": CharacteristicKind.REQUIRED,
    "quantitative": True,
    "value_type": ValueType.NUMERIC,
}
# The form's name of a request field, where it differs from ours (`coupa.outbound`'s).
FORM_FIELD_OF = {
    "ref_document_id": "po_number",
    "ref_document_item": "po_line",
    "external_inspection_id": "external_id",
    "required": "kind",
    "is_quantitative": "quantitative",
}
REQUEST_FIELD_OF = {form: ours for ours, form in FORM_FIELD_OF.items()} | {
    "idempotency_key": "external_inspection_id"
}


def new_external_id() -> str:
    """The external id (and idempotency key) of a request whose user left it empty."""
    return f"QH-{uuid.uuid4().hex[:12]}"


def _number_text(value: str) -> str:
    """The number as typed (".32" stays ".32"; a German "0,32" is "0.32"), or ValidationError."""
    value = typed_number(value)
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise forms.ValidationError(_("Enter a number."), code="invalid")
    _check_magnitude(number)
    return value


def _check_magnitude(number: Decimal) -> None:
    # Coupa would store it, and our parser would then refuse the inspection on every sync.
    if abs(number) >= MAX_MAGNITUDE:
        raise forms.ValidationError(_("The number is too large."), code="max_value")


# The name pickers' searches (`directory.views`, contract 3 of issue 15).
PICKER_URLS = {
    "supplier_id": reverse_lazy("names-suppliers"),
    "item_id": reverse_lazy("names-items"),
    "uom": reverse_lazy("names-units"),
    "requested_by": reverse_lazy("names-people"),
}


class NamePicker(forms.Select):
    """A select the name picker enhances (`data-picker`: it searches that URL as the person
    types). The server renders only the chosen option, by name ("Northwind Polymers", or
    "Supplier 8" for an id the directory does not know); the value sent stays Coupa's id."""

    def __init__(self, url: str, names: Callable[[Iterable[int]], dict[int, Name]]) -> None:
        super().__init__(attrs={"data-picker": url}, choices=[("", "")])
        self.names = names

    def optgroups(self, name, value, attrs=None):
        chosen = {text: number for text in value if (number := as_coupa_id(text)) is not None}
        labels = self.names(chosen.values()) if chosen else {}
        self.choices = [("", "")] + [(text, labels[number]) for text, number in chosen.items()]
        return super().optgroups(name, value, attrs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, str(label), selected, index, subindex, attrs)
        if isinstance(label, Name) and label.detail:
            option["attrs"]["data-detail"] = label.detail
        return option


def _coupa_id(
    label: str, names: Callable[[Iterable[int]], dict[int, Name]], url: str, *, required=True
) -> forms.IntegerField:
    """An id we send Coupa, chosen by name: exactly the range our parser reads back."""
    return forms.IntegerField(
        min_value=MIN_ID,
        max_value=MAX_ID,
        required=required,
        label=label,
        widget=NamePicker(url, names),
    )


class _BootstrapField(BoundField):
    """Bootstrap's classes on every widget, and `is-invalid` on a field with errors."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        if isinstance(widget, forms.CheckboxInput):
            base = "form-check-input"
        elif isinstance(widget, forms.Select):
            base = "form-select form-select-sm"
        else:
            base = "form-control form-control-sm"
        invalid = " is-invalid" if self.form.is_bound and self.errors else ""
        attrs["class"] = f"{attrs.get('class', '')} {base}{invalid}".strip()
        return attrs


class _Placed:
    """`placed()` yields (bound field, column classes) in the order of `LAYOUT`."""

    LAYOUT: tuple[tuple[str, str], ...] = ()

    def placed(self):
        return [(self[name], column) for name, column in self.LAYOUT]


def _text(**options: Any) -> forms.CharField:
    return forms.CharField(max_length=255, required=False, **options)


class TypedDecimalField(forms.DecimalField):
    """A DecimalField that also reads the reader's decimal mark (`typed_number`)."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = typed_number(value.strip())
        return super().to_python(value)


def _decimal_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class HeaderForm(_Placed, forms.Form):
    bound_field_class = _BootstrapField
    LAYOUT = (
        ("due_date", "col-6 col-md-3 col-xl-2"),
        ("supplier_id", "col-6 col-md-3 col-xl-2"),
        ("item_id", "col-6 col-md-3 col-xl-2"),
        ("supplier_part_number", "col-6 col-md-3 col-xl-2"),
        ("buyer_part_number", "col-6 col-md-3 col-xl-2"),
        ("buyer_batch_number", "col-6 col-md-3 col-xl-2"),
        ("item_quantity", "col-6 col-md-3 col-xl-2"),
        ("sample_size", "col-6 col-md-3 col-xl-2"),
        ("uom", "col-6 col-md-3 col-xl-2"),
        ("requested_by", "col-6 col-md-3 col-xl-2"),
        ("po_number", "col-6 col-md-3 col-xl-2"),
        ("po_line", "col-6 col-md-3 col-xl-2"),
        ("external_id", "col-12 col-md-6 col-xl-4"),
    )

    due_date = MomentField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("In your time zone."),
    )
    supplier_id = _coupa_id(gettext_lazy("Supplier"), supplier_names, PICKER_URLS["supplier_id"])
    item_id = _coupa_id(gettext_lazy("Item"), item_names, PICKER_URLS["item_id"], required=False)
    supplier_part_number = _text(label=gettext_lazy("Supplier part number"))
    buyer_part_number = _text(label=gettext_lazy("Buyer part number"))
    buyer_batch_number = _text(label=gettext_lazy("Batch"))
    item_quantity = TypedDecimalField(label=gettext_lazy("Quantity"), widget=_decimal_input())
    sample_size = forms.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, label=gettext_lazy("Sample size")
    )
    uom = _coupa_id(gettext_lazy("Unit"), unit_names, PICKER_URLS["uom"])
    requested_by = _coupa_id(gettext_lazy("Requester"), person_names, PICKER_URLS["requested_by"])
    po_number = _text(label=gettext_lazy("PO number"))
    po_line = _text(label=gettext_lazy("PO line"))
    external_id = _text(
        label=gettext_lazy("External id"),
        help_text=gettext_lazy("Left empty, QualityHub makes one up (QH-…)."),
    )
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, access: Access | None = None, **kwargs: Any) -> None:
        """`access`: whose form it is; a supplier they may not see is refused (None: anyone's,
        for the form's own tests)."""
        super().__init__(*args, **kwargs)
        self.access = access
        if access is not None and access.is_limited:
            # The chosen supplier is shown by name only if it is theirs to see.
            self.fields["supplier_id"].widget.names = lambda ids: {
                i: name if access.sees_supplier(i) else supplier_fallback(i)
                for i, name in supplier_names(ids).items()
            }

    def clean_supplier_id(self) -> int:
        supplier_id = self.cleaned_data["supplier_id"]
        if self.access is not None and not self.access.sees_supplier(supplier_id):
            # By id only: the name of a supplier this person may not see is not theirs to read.
            raise forms.ValidationError(
                _("%(supplier)s is not one of your suppliers: choose one you are responsible for.")
                % {"supplier": supplier_fallback(supplier_id)},
                code="not_yours",
            )
        return supplier_id

    def clean_item_quantity(self) -> Decimal:
        quantity = self.cleaned_data["item_quantity"]
        if quantity <= 0:
            raise forms.ValidationError(_("The quantity must be above 0."))
        _check_magnitude(quantity)
        return quantity

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        quantity, sample = data.get("item_quantity"), data.get("sample_size")
        if quantity is not None and sample is not None and sample > quantity:
            self.add_error("sample_size", _("The sample can't be larger than the quantity."))
        if data.get("po_line") and not data.get("po_number"):
            self.add_error("po_number", _("Give the PO number of this line."))
        return data

    @property
    def key_generated(self) -> bool:
        return not self.cleaned_data.get("external_id")

    def to_request(self, characteristics: Sequence[CharacteristicRequest]) -> InspectionRequest:
        data = self.cleaned_data
        return InspectionRequest(
            due_date=data["due_date"],
            supplier_id=data["supplier_id"],
            item_quantity=data["item_quantity"],
            uom=data["uom"],
            requested_by=data["requested_by"],
            item_id=data["item_id"],
            supplier_part_number=data["supplier_part_number"],
            buyer_part_number=data["buyer_part_number"],
            buyer_batch_number=data["buyer_batch_number"],
            sample_size=data["sample_size"],
            ref_document_id=data["po_number"],
            ref_document_item=data["po_line"],
            external_inspection_id=data["external_id"] or data["idempotency_key"],
            characteristics=tuple(characteristics),
        )


class CharacteristicForm(_Placed, forms.Form):
    """One characteristic. Choice values are a small text, one per line `code | domain | text`;
    limits are at most one minimum and one maximum, each an operator and a value."""

    bound_field_class = _BootstrapField
    LAYOUT = (
        ("name", "col-12 col-md-4"),
        ("kind", "col-6 col-md-2"),
        ("value_type", "col-6 col-md-2"),
        ("quantitative", "col-6 col-md-2"),
        ("requirement", "col-12 col-md-6"),
        ("choices", "col-12 col-md-6"),
        ("target", "col-6 col-md-2"),
        ("precision", "col-6 col-md-2"),
        ("min_operator", "col-6 col-md-2"),
        ("min_value", "col-6 col-md-2"),
        ("max_operator", "col-6 col-md-2"),
        ("max_value", "col-6 col-md-2"),
    )
    # A row with none of these filled in was added and left empty: it is skipped, not refused.
    CONTENT_FIELDS = (
        "name", "requirement", "choices", "target", "precision", "min_value", "max_value",
    )  # fmt: skip

    name = forms.CharField(max_length=255, label=gettext_lazy("Name"))
    kind = forms.ChoiceField(choices=CharacteristicKind, label=gettext_lazy("Required or optional"))
    value_type = forms.ChoiceField(choices=ValueType, label=gettext_lazy("Value type"))
    quantitative = forms.BooleanField(required=False, label=gettext_lazy("Quantitative"))
    # Kept exactly as typed (Coupa keeps a trailing space too).
    requirement = forms.CharField(
        max_length=4000,
        required=False,
        strip=False,
        label=gettext_lazy("Requirement"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    choices = forms.CharField(
        required=False,
        label=gettext_lazy("Choice values"),
        help_text=gettext_lazy("One per line: code | domain | text"),
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": gettext_lazy("e.g. 1 | COLOR | Yellow")}
        ),
    )
    target = forms.CharField(
        max_length=40, required=False, label=gettext_lazy("Target"), widget=_decimal_input()
    )
    precision = forms.IntegerField(
        min_value=0, max_value=9, required=False, label=gettext_lazy("Decimal places")
    )
    min_operator = forms.ChoiceField(
        choices=OPERATORS, required=False, label=gettext_lazy("Minimum")
    )
    min_value = forms.CharField(
        max_length=40, required=False, label=gettext_lazy("Min value"), widget=_decimal_input()
    )
    max_operator = forms.ChoiceField(
        choices=OPERATORS, required=False, label=gettext_lazy("Maximum")
    )
    max_value = forms.CharField(
        max_length=40, required=False, label=gettext_lazy("Max value"), widget=_decimal_input()
    )

    def has_changed(self) -> bool:
        return any(str(self[name].value() or "").strip() for name in self.CONTENT_FIELDS)

    def clean_target(self) -> str:
        text = self.cleaned_data["target"].strip()
        return _number_text(text) if text else ""

    def clean_min_value(self) -> str:
        text = self.cleaned_data["min_value"].strip()
        return _number_text(text) if text else ""

    def clean_max_value(self) -> str:
        text = self.cleaned_data["max_value"].strip()
        return _number_text(text) if text else ""

    def clean_choices(self) -> tuple[ChoiceRequest, ...]:
        choices, problems, seen = [], [], set()
        for number, line in enumerate(self.cleaned_data["choices"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|", 2)]
            code = parts[0]
            domain, text = (parts[1], parts[2]) if len(parts) == 3 else ("", parts[-1])
            if not code:
                problems.append(
                    _("Line %(number)s: give a code before the first |.") % {"number": number}
                )
            elif code in seen:
                problems.append(
                    _("Line %(number)s: code %(code)s is used twice.")
                    % {"number": number, "code": code}
                )
            elif len(parts) == 1:
                problems.append(
                    _("Line %(number)s: write code | text or code | domain | text.")
                    % {"number": number}
                )
            else:
                seen.add(code)
                choices.append(ChoiceRequest(code=code, value=text, domain=domain))
        if problems:
            raise forms.ValidationError(problems)
        return tuple(choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for side in ("min", "max"):
            operator, value = data.get(f"{side}_operator"), data.get(f"{side}_value")
            if operator and not value and f"{side}_value" not in self.errors:
                self.add_error(f"{side}_value", _("Give the limit's value."))
            if value and not operator and f"{side}_operator" not in self.errors:
                self.add_error(f"{side}_operator", _("Choose how the value is compared."))
        low, high = data.get("min_value"), data.get("max_value")
        if low and high and Decimal(low) > Decimal(high):
            self.add_error("min_value", _("The minimum is above the maximum."))
        self._check_choices(data)
        return data

    def _check_choices(self, data: dict[str, Any]) -> None:
        if "choices" in self.errors:
            return
        choices, value_type = data.get("choices") or (), data.get("value_type")
        if value_type == ValueType.CHOICE and not choices:
            self.add_error("choices", _("A choice characteristic needs its values."))
        elif choices and value_type != ValueType.CHOICE:
            self.add_error("choices", _("Only a choice characteristic has values."))
        target = data.get("target")
        if (
            value_type == ValueType.CHOICE
            and choices
            and target
            and target not in {c.code for c in choices}
        ):
            self.add_error("target", _("The target of a choice is one of its codes."))

    def to_request(self) -> CharacteristicRequest:
        data = self.cleaned_data
        return CharacteristicRequest(
            name=data["name"],
            required=data["kind"] == CharacteristicKind.REQUIRED,
            is_quantitative=data["quantitative"],
            requirement=data["requirement"],
            value_type=data["value_type"],
            target=data["target"] or None,
            precision=data["precision"],
            choices=data["choices"],
            limits=self.limits(),
        )

    def limits(self) -> tuple[LimitRequest, ...]:
        """In the order they are sent: the minimum first (Coupa's errors count in this order)."""
        return tuple(
            LimitRequest(side, self.cleaned_data[f"{side}_operator"], value)
            for side in ("min", "max")
            if (value := self.cleaned_data.get(f"{side}_value"))
        )


CharacteristicFormSet = formset_factory(
    CharacteristicForm,
    extra=0,
    max_num=MAX_CHARACTERISTICS,
    absolute_max=MAX_CHARACTERISTICS,
    validate_max=True,
)


def sent_rows(rows: Sequence[CharacteristicForm]) -> list[CharacteristicForm]:
    """The valid rows that carry a characteristic, in the order they are sent."""
    return [row for row in rows if row.cleaned_data]


def compact_rows(data: QueryDict, *, drop: str = "", prefix: str = ROWS_PREFIX) -> QueryDict:
    """The posted data with characteristic rows renumbered 0..n-1.

    Rows removed in the browser leave gaps in the numbering (and `drop`, a row prefix such as
    `chars-3`, removes one more); Django's formset wants them contiguous, with TOTAL_FORMS
    counting them.
    """
    # ASCII row numbers of a sane length: `\d+` would take Unicode digits, and numbers too long
    # for int().
    row = rf"{re.escape(prefix)}-([0-9]{{1,9}})"
    pattern = re.compile(rf"^{row}-(.+)$")
    dropped = int(drop.rsplit("-", 1)[-1]) if re.fullmatch(row, drop) else None
    present = sorted({int(m[1]) for key in data if (m := pattern.match(key))} - {dropped})
    renumber = {old: new for new, old in enumerate(present)}
    compacted = QueryDict(mutable=True)
    for key, values in data.lists():
        if match := pattern.match(key):
            if int(match[1]) not in renumber:
                continue
            key = f"{prefix}-{renumber[int(match[1])]}-{match[2]}"
        compacted.setlist(key, values)
    compacted[f"{prefix}-TOTAL_FORMS"] = str(len(present))
    compacted[f"{prefix}-INITIAL_FORMS"] = "0"
    return compacted


_ROW_FIELD = re.compile(rf"({re.escape(ROWS_PREFIX)}-[0-9]{{1,4}})-([a-z_]{{1,40}})")


def checked_part(
    data: QueryDict, field_name: str, access: Access | None
) -> HeaderForm | CharacteristicForm | None:
    """The bound header or row form that holds the field `field_name` (as the page names it:
    `due_date`, `chars-3-min_value`), to check it again; None for a name the form has not."""
    if field_name in HeaderForm.base_fields:
        return HeaderForm(data, access=access)
    match = _ROW_FIELD.fullmatch(field_name)
    if match and match[2] in CharacteristicForm.base_fields:
        # As in the formset: a row left empty is skipped, not refused.
        return CharacteristicForm(
            data, prefix=match[1], empty_permitted=True, use_required_attribute=False
        )
    return None


def as_initial(form: forms.Form) -> dict[str, Any]:
    """What a bound form holds, as initial data for an unbound one (shown without errors)."""
    return {name: form[name].value() for name in form.fields}


# --- the same rules for imported records ------------------------------------------------------


@dataclass
class Checked:
    """An imported record after the form's checks: the request, or the errors by field."""

    request: InspectionRequest | None
    header_errors: dict[str, list[str]] = field(default_factory=dict)
    row_errors: list[dict[str, list[str]]] = field(default_factory=list)


def check_request(
    header_data: Mapping[str, Any],
    rows_data: Sequence[Mapping[str, Any]],
    access: Access | None = None,
) -> Checked:
    """Run the web form's rules over one imported inspection (strings in, as a form posts)."""
    header = HeaderForm(header_data, access=access)
    rows = [
        CharacteristicForm(data, empty_permitted=True, use_required_attribute=False)
        for data in rows_data
    ]
    # Every row is checked (no short cut), so every row's errors are reported.
    rows_valid = [row.is_valid() for row in rows]
    if not (header.is_valid() and all(rows_valid)):
        return Checked(
            None,
            {name: list(errors) for name, errors in header.errors.items()},
            [{name: list(errors) for name, errors in row.errors.items()} for row in rows],
        )
    characteristics = [row.to_request() for row in sent_rows(rows)]
    return Checked(header.to_request(characteristics), {}, [{} for _ in rows])
