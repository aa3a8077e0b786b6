from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from qualityhub.ui.presenters import VERDICT_LABELS
from qualityhub.verdicts import plain_number

register = template.Library()


@register.simple_tag
def verdict_badge(verdict: str) -> str:
    """A verdict as icon and word, never colour alone."""
    icon, label = VERDICT_LABELS.get(verdict, ("?", verdict or "unknown"))
    return format_html(
        '<span class="verdict-badge verdict-badge-{}"><span aria-hidden="true">{}</span> {}</span>',
        verdict,
        icon,
        label,
    )


@register.simple_tag
def sort_header(sort, name: str, label: str, query: str) -> str:
    """A column header that sorts by `name`, and flips direction when already sorted by it."""
    key = sort.toggled(name)
    state = ""
    aria = "none"
    if sort.key.lstrip("-") == name:
        state = " ↓" if sort.descending else " ↑"
        aria = "descending" if sort.descending else "ascending"
    separator = "&" if query else ""
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="?{}{}sort={}" hx-get="?{}{}sort={}" '
        'hx-target="#results" hx-push-url="true">{}{}</a></th>',
        aria,
        query,
        separator,
        key,
        query,
        separator,
        key,
        label,
        state,
    )


@register.filter
def number(value, empty: str = "–") -> str:
    """A Decimal as Coupa meant it (50.000000 → 50), or a dash when there is none."""
    if value is None or value == "":
        return empty
    return plain_number(value)


@register.filter
def ago(moment: datetime | None) -> str:
    """“just now” under a minute, else “5 minutes ago”."""
    if moment is None:
        return "never"
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment)} ago"
