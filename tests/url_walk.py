"""Every route of the URL conf, for the tests that must cover each one (the role matrix, the
URL-parameter declarations, the access gate), walked in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Django's admin admits staff only and checks that itself: the route tests leave it out.
SKIPPED_NAMESPACES = frozenset({"admin"})


@dataclass(frozen=True)
class Route:
    name: str | None
    path: str  # the whole route: "inspections/<id:coupa_id>/"
    kwargs: tuple[str, ...]  # captured by the route and the includes around it
    view: object

    @property
    def app(self) -> str:
        """The view's app: "qualityhub.exporting"."""
        return ".".join(self.view.__module__.split(".")[:2])


def every_route(urlconf: str | None = None) -> list[Route]:
    found: list[Route] = []

    def walk(patterns, prefix: str, captured: tuple[str, ...], namespace: str | None) -> None:
        for pattern in patterns:
            path = prefix + str(pattern.pattern)
            kwargs = captured + tuple(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner not in SKIPPED_NAMESPACES:
                    walk(pattern.url_patterns, path, kwargs, inner)
            elif isinstance(pattern, URLPattern):
                found.append(Route(pattern.name, path, kwargs, pattern.callback))

    walk(get_resolver(urlconf).url_patterns, "", (), None)
    return found
