"""What a page carries to follow the cache (`qualityhub/sync/live.py`): the freshness cue's key,
and the marker a list page is drawn with."""

from __future__ import annotations

import hashlib

from django import template
from django.conf import settings

from qualityhub.sync import live
from qualityhub.sync.freshness import Freshness
from qualityhub.ui.templatetags.qualityhub import ago

register = template.Library()


def _digest(*parts: object) -> str:
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=5).hexdigest()


def runs_key(freshness: Freshness) -> str:
    """Changes when a whole-cache sync finishes (succeeded or failed)."""
    return _digest(live.marker(freshness.last_success), live.marker(freshness.last_failure))


@register.filter
def cue_key(freshness: Freshness) -> str:
    """Changes when anything the freshness cue says changes: a sync finished ("runs") or the
    words ("just now", "3 minutes ago", stale or not). `runs.words`."""
    words = _digest(freshness.failed_last, freshness.is_stale(), ago(freshness.last_success))
    return f"{runs_key(freshness)}.{words}"


@register.simple_tag
def newest_change() -> str:
    """The marker of the newest change the cache holds (one index-only query)."""
    return live.marker(live.newest_change())


@register.simple_tag
def inspection_version(inspection) -> str:
    return live.inspection_version(inspection.content_hash, inspection.gone_at is not None)


@register.filter
def live_marker(moment) -> str:
    return live.marker(moment)


@register.simple_tag
def live_seconds() -> int:
    """How often an open page asks whether the cache changed (LIVE_POLL_SECONDS)."""
    return settings.LIVE_POLL_SECONDS
