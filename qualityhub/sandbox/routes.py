"""The API's routes in both path families, quirks included.

Seed family: the docs.coupa.com paths, exactly as the spec writes them (`/api/quality_inspections`,
create under `/api/v1/quality_inspections`, header upload under the hyphenated
`/api/quality-inspections/...`, characteristic upload under `/api/v1/...`).
v1 family: the same operations under `/qualitycollaboration/api/v1/quality-inspections`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEED = "/api/quality_inspections"
V1 = "/qualitycollaboration/api/v1/quality-inspections"
FAMILIES = {"seed": SEED, "v1": V1}

_ID = "(?P<{}>[0-9]+)"
MAX_ID = 2**63 - 1  # what SQLite's INTEGER holds; a larger id names nothing
_PARTS = {
    "{id}": _ID.format("id"),
    "{cid}": _ID.format("cid"),
    "{aid}": _ID.format("aid"),
}

# operation -> (method, path under the family base); `None` base entries are listed separately.
OPERATIONS: tuple[tuple[str, str, str], ...] = (
    ("list", "GET", ""),
    ("get", "GET", "/{id}"),
    ("create", "POST", ""),
    ("exported", "POST", "/{id}/exported"),
    ("reset_exported", "POST", "/{id}/reset-exported"),
    ("list_attachments", "GET", "/{id}/attachments"),
    ("upload_attachment", "POST", "/{id}/attachments"),
    ("get_attachment", "GET", "/{id}/attachments/{aid}"),
    ("delete_attachment", "DELETE", "/{id}/attachments/{aid}"),
    ("download_attachment", "GET", "/{id}/attachments/{aid}/content"),
    ("list_characteristic_attachments", "GET", "/{id}/characteristics/{cid}/attachments"),
    ("upload_characteristic_attachment", "POST", "/{id}/characteristics/{cid}/attachments"),
    ("get_characteristic_attachment", "GET", "/{id}/characteristics/{cid}/attachments/{aid}"),
    ("delete_characteristic_attachment", "DELETE", "/{id}/characteristics/{cid}/attachments/{aid}"),
    ("download_characteristic_attachment", "GET",
     "/{id}/characteristics/{cid}/attachments/{aid}/content"),
)  # fmt: skip

# Where the seed family's documented path differs from `SEED + suffix`.
SEED_OVERRIDES = {
    "create": ("/api/v1/quality_inspections", SEED),
    "upload_attachment": ("/api/quality-inspections/{id}/attachments",),
    "upload_characteristic_attachment": (
        "/api/v1/quality_inspections/{id}/characteristics/{cid}/attachments",
    ),
}


@dataclass(frozen=True)
class Route:
    operation: str
    method: str
    family: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Match:
    route: Route
    params: dict[str, int]


def _compile(template: str) -> re.Pattern[str]:
    pattern = re.escape(template)
    for placeholder, group in _PARTS.items():
        pattern = pattern.replace(re.escape(placeholder), group)
    return re.compile(pattern + r"\Z")


def _build() -> tuple[Route, ...]:
    routes = []
    for operation, method, suffix in OPERATIONS:
        for template in SEED_OVERRIDES.get(operation, (SEED + suffix,)):
            routes.append(Route(operation, method, "seed", _compile(template)))
        routes.append(Route(operation, method, "v1", _compile(V1 + suffix)))
    return tuple(routes)


ROUTES = _build()
# The spec's uploads exist only at their quirky paths; the regular-looking POSTs are not routes
# at all (404, not 405), which is what a client using the wrong path would meet on Coupa.
NOT_ROUTES = (
    ("POST", _compile(SEED + "/{id}/attachments")),
    ("POST", _compile(SEED + "/{id}/characteristics/{cid}/attachments")),
)


def normalise(path: str) -> str:
    return path.rstrip("/") or "/"


def match(method: str, path: str) -> Match | list[str] | None:
    """The matching route; else the methods allowed on this path (405); else None (404)."""
    path = normalise(path)
    if any(method == m and pattern.match(path) for m, pattern in NOT_ROUTES):
        return None
    allowed: list[str] = []
    for route in ROUTES:
        found = route.pattern.match(path)
        if found is None:
            continue
        if any(len(v.lstrip("0")) > 19 or int(v) > MAX_ID for v in found.groupdict().values()):
            return None
        if route.method == method:
            return Match(route, {k: int(v) for k, v in found.groupdict().items()})
        if route.method not in allowed:
            allowed.append(route.method)
    return allowed or None


def content_path(family: str, inspection_id: int, characteristic_id: int | None, aid: int) -> str:
    """The download path of an attachment, in the family the request came through."""
    base = f"{FAMILIES[family]}/{inspection_id}"
    if characteristic_id is not None:
        base += f"/characteristics/{characteristic_id}"
    return f"{base}/attachments/{aid}/content"
