"""The inspection list's table rows, written out in Python.

The list is the page people open most, and its rows were four fifths of its server time when
rendered by the template engine (about 0.2 ms a row: each of some twenty variables resolved,
escaped and localised on its own). Written here, 50 rows take well under a millisecond. Every
value from Coupa goes through `html.escape`, as the template's autoescape did.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from qualityhub.coupa.vocabulary import Status
from qualityhub.inspections.models import Inspection
from qualityhub.ui.addresses import address_for_each
from qualityhub.ui.presenters import VERDICT_LABELS
from qualityhub.verdicts import plain_number


def inspection_rows(
    inspections: Iterable[Inspection], *, can_export: bool, now: datetime
) -> SafeString:
    """`<tr>` elements of the list table, one per inspection (the columns of `list.html`)."""
    detail = address_for_each("inspection-detail")
    local = timezone.get_current_timezone()
    lines = []
    for i in inspections:
        coupa_id = int(i.coupa_id)
        overdue = i.due_date is not None and i.due_date < now and i.status != Status.CLOSED
        due = _day(i.due_date, local)
        lines.append(
            f'<tr data-inspection-id="{coupa_id}" data-verdict="{escape(i.verdict)}">'
            "<td>"
            + (
                f'<input class="form-check-input me-1" type="checkbox" name="id" '
                f'value="{coupa_id}" form="bulk" data-bulk-row '
                f'aria-label="Select inspection {coupa_id}">'
                if can_export
                else ""
            )
            + f'<a href="{detail(coupa_id)}">{coupa_id}</a>'
            + (' <span class="badge text-bg-secondary">gone</span>' if i.gone_at else "")
            + "</td>"
            f"<td>{escape(i.external_inspection_id)}</td>"
            f"<td>{escape(i.status)}</td><td>{escape(i.review_decision)}</td>"
            f"<td>{_badge(i.verdict)}"
            + (
                f' <span class="small text-muted">({int(i.failing_count)} failing)</span>'
                if i.failing_count
                else ""
            )
            + f"</td><td>{_text(i.supplier_id)}</td>"
            f"<td>{escape(i.item_name)}"
            + (f' <span class="text-muted small">#{int(i.item_id)}</span>' if i.item_id else "")
            + f"</td><td>{_joined(i.supplier_part_number, i.buyer_part_number)}</td>"
            f"<td>{_joined(i.ref_document_id, i.ref_document_item)}</td>"
            f'<td class="text-end">{_number(i.item_quantity)}</td>'
            f'<td class="text-end">{_number(i.sample_size)}</td>'
            + (
                f'<td class="overdue" data-overdue="1">{due} '
                '<span class="visually-hidden">overdue</span>⚠</td>'
                if overdue
                else f"<td>{due}</td>"
            )
            + f"<td>{_minute(i.modified_at, local)}</td>"
            f"<td>{'yes' if i.exported else 'no'}</td></tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value above is escaped or a number


def _badge_html(verdict: str) -> str:
    icon, label = VERDICT_LABELS.get(verdict, ("?", verdict or "unknown"))
    return (
        f'<span class="verdict-badge verdict-badge-{escape(verdict)}">'
        f'<span aria-hidden="true">{escape(icon)}</span> {escape(label)}</span>'
    )


_BADGES = {verdict: _badge_html(verdict) for verdict in VERDICT_LABELS}


def _badge(verdict: str) -> str:
    return _BADGES.get(verdict) or _badge_html(verdict)


def _text(value: object) -> str:
    return "" if value is None else escape(str(value))


def _joined(first: str, second: str) -> str:
    return escape(first) + (f" / {escape(second)}" if second else "")


def _number(value) -> str:
    return "" if value is None or value == "" else escape(plain_number(value))


def _day(moment: datetime | None, zone) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(zone) if timezone.is_aware(moment) else moment
    return f"{local.year:04}-{local.month:02}-{local.day:02}"


def _minute(moment: datetime | None, zone) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(zone) if timezone.is_aware(moment) else moment
    return f"{local.year:04}-{local.month:02}-{local.day:02} {local.hour:02}:{local.minute:02}"
