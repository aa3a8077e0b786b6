from __future__ import annotations


def access(request) -> dict:
    """`access` in every template: `{% if access.can.mark_exported %}`."""
    return {"access": getattr(request, "access", None)}
