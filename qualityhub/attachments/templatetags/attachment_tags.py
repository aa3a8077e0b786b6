"""Template helpers for the attachment panels (read settings once, no queries)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.conf import settings

from qualityhub.attachments.validation import KINDS, limit_text

register = template.Library()


@register.filter
def any_in_flight(attachments: Iterable) -> bool:
    """True while a task still works on one of them, so the list keeps polling."""
    return any(attachment.in_flight for attachment in attachments)


@register.simple_tag
def upload_limits() -> dict:
    allowed = [e for e in settings.ATTACHMENT_ALLOWED_EXTENSIONS if e in KINDS]
    return {
        "max_bytes": settings.ATTACHMENT_MAX_BYTES,
        "max_text": limit_text(settings.ATTACHMENT_MAX_BYTES),
        "max_files": settings.ATTACHMENT_MAX_FILES,
        "accept": ",".join(f".{extension}" for extension in allowed),
        "allowed": ", ".join(allowed),
    }
