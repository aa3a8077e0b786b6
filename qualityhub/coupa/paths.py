"""The two path families Coupa documents for the same 13 operations, and Core's reference data.

`seed` is written exactly as the spec we were given (underscores, a `/api/v1/` create, a hyphenated
header upload); `v1` is the `/qualitycollaboration/api/v1/quality-inspections` family. Core's
reference resources (suppliers, users, units of measure) have one path whichever family the
inspections use.
"""

from __future__ import annotations

_SEED = "/api/quality_inspections"
_V1 = "/qualitycollaboration/api/v1/quality-inspections"

# Coupa Core's reference resources: the list (`offset`, `limit`, filters) and one record.
REFERENCE_KINDS = ("suppliers", "users", "uoms")
_CORE = {
    "reference_list": "/api/{kind}",
    "reference_get": "/api/{kind}/{id}",
}

PATHS: dict[str, dict[str, str]] = {
    "seed": {
        "list": _SEED,
        "get": _SEED + "/{id}",
        "create": "/api/v1/quality_inspections",
        "exported": _SEED + "/{id}/exported",
        "reset_exported": _SEED + "/{id}/reset-exported",
        "list_attachments": _SEED + "/{id}/attachments",
        "upload_attachment": "/api/quality-inspections/{id}/attachments",
        "get_attachment": _SEED + "/{id}/attachments/{aid}",
        "delete_attachment": _SEED + "/{id}/attachments/{aid}",
        "list_line_attachments": _SEED + "/{id}/characteristics/{cid}/attachments",
        "upload_line_attachment": (
            "/api/v1/quality_inspections/{id}/characteristics/{cid}/attachments"
        ),
        "get_line_attachment": _SEED + "/{id}/characteristics/{cid}/attachments/{aid}",
        "delete_line_attachment": _SEED + "/{id}/characteristics/{cid}/attachments/{aid}",
        **_CORE,
    },
    "v1": {
        "list": _V1,
        "get": _V1 + "/{id}",
        "create": _V1,
        "exported": _V1 + "/{id}/exported",
        "reset_exported": _V1 + "/{id}/reset-exported",
        "list_attachments": _V1 + "/{id}/attachments",
        "upload_attachment": _V1 + "/{id}/attachments",
        "get_attachment": _V1 + "/{id}/attachments/{aid}",
        "delete_attachment": _V1 + "/{id}/attachments/{aid}",
        "list_line_attachments": _V1 + "/{id}/characteristics/{cid}/attachments",
        "upload_line_attachment": _V1 + "/{id}/characteristics/{cid}/attachments",
        "get_line_attachment": _V1 + "/{id}/characteristics/{cid}/attachments/{aid}",
        "delete_line_attachment": _V1 + "/{id}/characteristics/{cid}/attachments/{aid}",
        **_CORE,
    },
}

API_STYLES = tuple(PATHS)


def path_for(style: str, operation: str, **params: object) -> str:
    return PATHS[style][operation].format(**params)
