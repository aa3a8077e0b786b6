from __future__ import annotations

from django import template
from django.utils.html import format_html

from qualityhub.web.presenters import VERDICT_LABELS

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
