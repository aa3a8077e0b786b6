from __future__ import annotations

import json
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qualityhub.accounts.roles import role_label
from qualityhub.ui.jinja import kit
from qualityhub.verdicts import plain_number
from qualityhub.verdicts.display import localized

register = template.Library()


@register.simple_tag
def verdict_badge(verdict: str) -> str:
    """A verdict as icon and word (the kit's macro, templates/jinja2/ui/kit.html)."""
    return kit().verdict_badge(verdict)


@register.simple_tag
def sort_header(sort, name: str, label: str, query: str) -> str:
    """A column header that sorts by `name` (the kit's macro)."""
    return kit().sort_header(sort, name, label, query)


@register.filter
def number(value, empty: str = "–") -> str:
    """A Decimal as Coupa meant it (50.000000 → 50) with the reader's decimal mark, or a dash
    when there is none."""
    if value is None or value == "":
        return empty
    return localized(plain_number(value))


@register.filter
def ago(moment: datetime | None) -> str:
    """“just now” under a minute, else “5 minutes ago”."""
    if moment is None:
        return _("never")
    if (timezone.now() - moment).total_seconds() < 60:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment)}


# The words the charts draw (static/qualityhub/charts.js, spc-chart.js), as they write them: the
# scripts look each up in the page's `{% chart_words %}` and keep the English when it is missing.
CHART_WORDS = (
    gettext_noop("Accepted"),
    gettext_noop("Rejected"),
    gettext_noop("Inspections closed"),
    gettext_noop("Median days"),
    gettext_noop("90th percentile days"),
    gettext_noop("Days in stage"),
    gettext_noop("Failures"),
    gettext_noop("Cumulative share of failures"),
    gettext_noop("Characteristic"),
    gettext_noop("Cumulative share"),
    gettext_noop("Cumulative share: %(share)s"),
    gettext_noop("Failures: %(count)s"),
    gettext_noop("Beyond a control limit"),
    gettext_noop("Outside the spec"),
    gettext_noop("Beyond a control limit and outside the spec"),
    gettext_noop("Recorded value"),
    gettext_noop("Moving range"),
    gettext_noop("Above the MR UCL"),
    gettext_noop("Inspection (request date · id)"),
    gettext_noop("Click to open the inspection"),
    gettext_noop("%(range)s (above the MR UCL)"),
)


@register.inclusion_tag("web/_chart_words.html")
def chart_words() -> dict[str, str]:
    """The charts' words in the reader's language, as JSON keyed by the English, in a data-
    attribute (a page's only scripts are its figures and its own files)."""
    return {"words": json.dumps({word: _(word) for word in CHART_WORDS}, ensure_ascii=False)}


@register.filter
def role_labels(names) -> list[str]:
    """The roles' names as shown (accounts.roles.role_label), in the reader's language."""
    return [role_label(name) for name in names]
