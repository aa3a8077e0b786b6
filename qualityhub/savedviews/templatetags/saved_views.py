"""`{% saved_views_bar "inspections" as bar %}`: the views a list's queue bar offers, the one on
screen marked (templates/savedviews/_bar.html; the links themselves are a Jinja2 fragment)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.http import QueryDict
from markupsafe import Markup

from qualityhub.savedviews.queries import views_offered
from qualityhub.savedviews.reading import Reading, normalise
from qualityhub.ui.addresses import address_for_each
from qualityhub.ui.jinja import fragment

register = template.Library()


@dataclass(frozen=True)
class Offered:
    view: Any  # a row of queries.BAR_COLUMNS
    query: str  # the list's querystring showing it, normalised
    active: bool  # the list on screen shows exactly this view


@dataclass(frozen=True)
class Bar:
    page: str
    links: Markup  # a link to each view offered
    current_query: str  # what the save form posts when no script updates it


@register.simple_tag(takes_context=True)
def saved_views_bar(context: template.Context, page: str) -> Bar:
    request = context["request"]
    on_screen = _query(request.GET)
    offered = []
    for view in views_offered(request.access, page):
        query = Reading(view.query, view.sort).query_with_sort
        offered.append(Offered(view, query, active=query == on_screen))
    links = fragment(
        "savedviews/bar_links.html",
        {
            "offered": offered,
            "user_id": request.access.user_id,
            "open_url": address_for_each("saved-view-open"),
        },
    )
    return Bar(page, links, request.GET.urlencode())


def _query(query: QueryDict) -> str:
    pairs = ((key, value) for key, values in query.lists() for value in values if key != "sort")
    return Reading(normalise(pairs), query.get("sort", "")).query_with_sort
