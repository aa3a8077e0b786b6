"""One characteristic of one item across inspections: individuals chart, control limits, Cp/Cpk.

The maths is in :mod:`qualityhub.analytics.spc`; this view picks the points, the spec limits
of the latest one, and turns both into text for the page, the table and the chart script.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET

from qualityhub.accounts.access import Access, requires
from qualityhub.analytics import spc
from qualityhub.analytics.trends import (
    newest_first,
    pair_lines,
    read_most_measured,
    suppliers_of,
)
from qualityhub.directory.names import (
    Name,
    item_fallback,
    item_names,
    supplier_fallback,
    supplier_names,
)
from qualityhub.inspections.models import Characteristic, Inspection, Limit
from qualityhub.inspections.plans import serial_plans
from qualityhub.ui.addresses import address_for_each
from qualityhub.ui.jinja import fragment
from qualityhub.ui.params import whole_number_or_none
from qualityhub.verdicts import Limit as LimitInput
from qualityhub.verdicts import limit_value_text, plain_number
from qualityhub.verdicts.display import display_limits, display_value, localized, short_date
from qualityhub.verdicts.limits import ParsedLimit

MAX_POINTS = 200
BIGINT_MAX = 2**63 - 1  # larger ids would overflow the database's integer, not just miss


INPUT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}


class TrendForm(forms.Form):
    # Chosen by name with the name picker (contract 3 of issue 15); the URL keeps the ids. The
    # select carries only the chosen option, named by `name_choices`.
    item = forms.IntegerField(
        label=gettext_lazy("Item"),
        min_value=1,
        max_value=BIGINT_MAX,
        widget=forms.Select({**SELECT, "data-picker": reverse_lazy("names-items")}),
    )
    # Exact, as Coupa spells it: the detail page and the list below link with the stored name.
    characteristic = forms.CharField(
        label=gettext_lazy("Characteristic name"),
        max_length=255,
        strip=False,
        widget=forms.TextInput(INPUT),
    )
    supplier = forms.IntegerField(
        label=gettext_lazy("Supplier (optional)"),
        min_value=1,
        max_value=BIGINT_MAX,
        required=False,
        widget=forms.Select({**SELECT, "data-picker": reverse_lazy("names-suppliers")}),
    )

    def name_choices(self, access: Access) -> None:
        """The chosen item and supplier as their selects' one option, by name (a supplier this
        user does not see by its fallback); an empty option first, for "none chosen"."""
        chosen = {
            name: whole_number_or_none(self.data.get(name, "")) for name in ("item", "supplier")
        }
        items = item_names([chosen["item"]])
        visible = chosen["supplier"] if access.sees_supplier(chosen["supplier"]) else None
        suppliers = supplier_names([visible])
        for name, names, fallback in (
            ("item", items, item_fallback),
            ("supplier", suppliers, supplier_fallback),
        ):
            coupa_id = chosen[name]
            options = [("", "")]
            if coupa_id is not None:
                options.append((coupa_id, (names.get(coupa_id) or fallback(coupa_id)).text))
            self.fields[name].widget.choices = options


@dataclass(frozen=True)
class TrendRow:
    line: Line
    supplier: Name
    point: spc.ChartPoint
    at: datetime | None
    url: str
    value: str
    moving_range: str


@require_GET
@requires("browse_inspections")
def trend(request: HttpRequest) -> HttpResponse:
    asked = any(name in request.GET for name in TrendForm.base_fields)
    form = TrendForm(request.GET if asked else None)
    if not form.is_valid():
        form.name_choices(request.access)
        pairs, counted_at = _most_measured(request)
        context = {"form": form, "pairs": pairs, "counted_at": counted_at}
        context["limited"] = request.access.is_limited
        return render(request, "analytics/trends.html", context)
    item, name, supplier = (
        form.cleaned_data[key] for key in ("item", "characteristic", "supplier")
    )
    lines = pair_lines(item, name).seen_by(request.access)
    suppliers = suppliers_of(lines)
    if supplier is not None:
        lines = lines.filter(inspection__supplier_id=supplier)
    points, capped = _latest_points(lines)
    # Every supplier the page names (the select's, the points', the chosen one): one query. A
    # supplier this user does not see keeps its number: its name is not theirs to learn.
    chosen = supplier if request.access.sees_supplier(supplier) else None
    names = supplier_names([*suppliers, chosen])
    context = {"form": form, "item": item, "name": name, "supplier": supplier}
    context |= {
        "supplier_name": None if supplier is None else _supplier(names, supplier),
        "suppliers": sorted((names[i] for i in suppliers), key=by_name),
        **_chart(points, capped, names),
    }
    context["points_rows"] = fragment("analytics/trend_points.html", {"rows": context["rows"]})
    return render(request, "analytics/trends.html", context)


def by_name(name: Name) -> tuple:
    """Known names alphabetically ignoring case, then the fallbacks ("Supplier 8") by id."""
    return (not name.known, name.text.casefold() if name.known else "", name.coupa_id)


def _most_measured(request: HttpRequest) -> tuple[list[dict], datetime]:
    """The item/characteristic pairs with the most values, to start from, as counted by the
    last refresh (`analytics/trends.py`), and when that was."""
    pairs, counted_at = read_most_measured(request.access)
    for pair in pairs:
        query = urlencode({"item": pair["item_id"], "characteristic": pair["name"]})
        pair["url"] = f"{reverse('trends')}?{query}"
    return pairs, counted_at


@dataclass(frozen=True)
class Line:
    """One point's recorded line: what the chart, its table and its notes read."""

    coupa_id: int
    inspection_id: int
    supplier_id: int
    at: datetime | None
    recorded_numeric: Decimal
    precision: int | None
    limits: tuple[LimitInput, ...]


def _latest_points(lines: QuerySet[Characteristic]) -> tuple[list[Line], bool]:
    """The newest MAX_POINTS lines, oldest first, with their limits; True when more existed.

    Time is the inspection's request date, else its creation (undated ones count as oldest).
    Read as plain values, in two queries: the page draws up to 200 points and builds no model.
    """
    columns = ("coupa_id", "inspection_id", "inspection__supplier_id", "at")
    newest = newest_first(lines).values_list(*columns, "recorded_numeric", "precision")
    # The walk of the item's newest inspections, whatever the planner expects of the name.
    with serial_plans(index_probes=True):
        found = list(newest[: MAX_POINTS + 1])
    capped = len(found) > MAX_POINTS
    found = found[:MAX_POINTS][::-1]
    limits: dict[int, list[LimitInput]] = {}
    for line_id, *limit in (
        Limit.objects.filter(characteristic_id__in=[row[0] for row in found])
        .order_by("characteristic_id", "position", "pk")
        .values_list("characteristic_id", "limit_type", "operator", "value")
    ):
        limits.setdefault(line_id, []).append(LimitInput(*limit))
    return [Line(*row, limits=tuple(limits.get(row[0], ()))) for row in found], capped


def _limits(line: Line) -> list[LimitInput]:
    return list(line.limits)


def _limit_key(line: Line) -> frozenset:
    return frozenset(
        (lim.limit_type.strip().lower(), lim.operator.strip().lower(), lim.value)
        for lim in line.limits
    )


def _chart(points: list[Line], capped: bool, names: dict[int, Name]) -> dict:
    """The chart against the latest point's limits, with its texts for page and script."""
    latest = points[-1] if points else None
    limits = _limits(latest) if latest else []
    precision = latest.precision if latest else None
    values = [line.recorded_numeric for line in points]
    chart = spc.individuals_chart(values, limits)
    places = spc.stat_places(values, precision)
    detail_url = address_for_each("inspection-detail")
    rows = [
        TrendRow(
            line=line,
            supplier=_supplier(names, line.supplier_id),
            point=point,
            at=line.at,
            url=detail_url(line.inspection_id),
            value=display_value(point.value, line.precision),
            moving_range=localized(spc.stat_text(point.moving_range, places)),
        )
        for line, point in zip(points, chart.points, strict=True)
    ]
    return {
        "chart": chart,
        "rows": rows,
        "item_name": _item_name(latest),
        "limits_text": display_limits(limits, precision),
        "stats": _stats(chart, places, precision),
        "notes": _notes(chart, points, capped),
        "data": _chart_data(rows, chart, places, precision),
    }


def _item_name(latest: Line | None) -> str:
    """The item's name as the latest point's inspection has it: read apart, so that the walk
    for the points stays within its indexes."""
    if latest is None:
        return ""
    return (
        Inspection.objects.filter(pk=latest.inspection_id)
        .values_list("item_name", flat=True)
        .first()
        or ""
    )


def _supplier(names: dict[int, Name], supplier_id: int) -> Name:
    # A point whose supplier arrived between the page's two queries still has a name to show.
    return names.get(supplier_id) or supplier_fallback(supplier_id)


def _notes(chart: spc.IndividualsChart, points: list[Line], capped: bool) -> list[str]:
    notes = list(chart.notes)
    if capped:
        notes.insert(
            0,
            gettext("Only the latest %(n)s points are shown; older ones are left out.")
            % {"n": MAX_POINTS},
        )
    if points:
        latest = _limit_key(points[-1])
        differing = sum(_limit_key(line) != latest for line in points)
        if differing:
            latest_limits = display_limits(_limits(points[-1])) or gettext("none")
            notes.append(
                gettext(
                    "The limits changed over time: %(differing)s of %(n)s points had limits "
                    "other than the latest (%(latest)s). The spec lines, flags and Cp/Cpk use "
                    "the latest."
                )
                % {"differing": differing, "n": len(points), "latest": latest_limits}
            )
    return notes


def _bound_text(bound: ParsedLimit | None, precision: int | None) -> str:
    """``≥ 5.00``: the operator and the limit padded (never rounded) to the precision."""
    if bound is None:
        return ""
    return f"{bound.symbol} {limit_value_text(bound.value, precision)}"


def _stats(chart: spc.IndividualsChart, places: int, precision: int | None) -> dict[str, str]:
    control = chart.limits
    text = spc.stat_text

    def of(name: str) -> str:
        return text(getattr(control, name), places) if control else ""

    stats = {
        "mean": text(chart.mean, places),
        "mr_bar": of("mr_bar"),
        "sigma": of("sigma"),
        "ucl": of("ucl"),
        "lcl": of("lcl"),
        "mr_ucl": of("mr_ucl"),
        "lsl": _bound_text(chart.spec.lower, precision),
        "usl": _bound_text(chart.spec.upper, precision),
        "cp": spc.capability_text(chart.capability.cp),
        "cpk": spc.capability_text(chart.capability.cpk),
    }
    return {name: localized(shown) for name, shown in stats.items()}


def _chart_data(
    rows: list[TrendRow], chart: spc.IndividualsChart, places: int, precision: int | None
) -> dict:
    """What spc-chart.js draws. Numbers travel as the Decimal's text and are parsed only there."""
    control = chart.limits
    lines = []
    if control:
        for key, label, value in (
            ("centre", gettext("Centre x̄"), control.centre),
            ("ucl", "UCL", control.ucl),
            ("lcl", "LCL", control.lcl),
        ):
            shown = f"{label} {localized(spc.stat_text(value, places))}"
            lines.append({"key": key, "label": shown, "value": plain_number(value)})
    for key, bound in (("usl", chart.spec.upper), ("lsl", chart.spec.lower)):
        if bound is not None:
            shown = f"{key.upper()} {localized(_bound_text(bound, precision))}"
            lines.append({"key": key, "label": shown, "value": plain_number(bound.value)})
    zone = timezone.get_current_timezone()
    points = [
        {
            "label": _label(row, zone),
            "value": plain_number(row.point.value),
            "text": row.value,
            "url": row.url,
            "outOfControl": row.point.out_of_control,
            "outOfSpec": row.point.out_of_spec,
            "flags": ", ".join(row.point.flags),
            **_range_data(row),
        }
        for row in rows
    ]
    data = {"points": points, "lines": lines}
    if control:
        data["rangeLines"] = _range_lines(control, places)
    return data


def _range_data(row: TrendRow) -> dict:
    """The point's moving range for the MR chart (None for the first point)."""
    moving_range = row.point.moving_range
    return {
        "range": None if moving_range is None else plain_number(moving_range),
        "rangeText": row.moving_range,
        "rangeAboveUcl": row.point.range_above_ucl,
    }


def _range_lines(control: spc.ControlLimits, places: int) -> list[dict]:
    """The MR chart's centre (MR̄) and upper control limit; its lower limit is 0 (D3 = 0)."""
    return [
        {
            "key": key,
            "label": f"{label} {localized(spc.stat_text(value, places))}",
            "value": plain_number(value),
        }
        for key, label, value in (
            ("mr_bar", "MR̄", control.mr_bar),
            ("mr_ucl", "MR UCL", control.mr_ucl),
        )
    ]


def _label(row: TrendRow, zone: tzinfo) -> str:
    day = short_date(row.at, zone) if row.at else gettext("undated")
    return f"{day} · #{row.line.inspection_id}"
