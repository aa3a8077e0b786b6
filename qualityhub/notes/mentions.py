"""`@username` mentions in a note's plain text, as pure functions over plain strings.

A mention is `@` followed by the characters Django allows in a username (letters, digits and
`. @ + - _`), where the `@` does not follow such a character (so `ana@example.com` mentions
nobody) and does not sit inside a link (`https://example.com/@ana` is a link, not a mention).
Text after a mention's name that is punctuation (`@ana,` `@ana.`) is not part of it unless a
username really ends so. Only names that are real usernames count; any other `@word` stays
plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Links as Django's `urlize` sees them (what it makes clickable), then a mention.
_TOKENS = re.compile(
    r"(?P<link>(?:https?://|www\.)\S+)|(?<![\w.@+-])@(?P<name>[\w.@+-]{1,150})",
    re.IGNORECASE,
)
_TRAILING = ".,@+-"


@dataclass(frozen=True)
class Part:
    """A piece of a note's text: plain text (links still in it), or a mention of `username`."""

    text: str
    username: str = ""

    @property
    def is_mention(self) -> bool:
        return bool(self.username)


def candidates(text: str) -> list[str]:
    """Every name that a mention in `text` may stand for, lower-cased, in order: what to look up
    among the usernames before calling `mentioned`."""
    found: dict[str, None] = {}
    for token in _names(text):
        for name in _readings(token):
            found.setdefault(name.lower())
    return list(found)


def mentioned(text: str, usernames: Iterable[str]) -> list[str]:
    """The usernames (among `usernames`, as spelled there) that `text` mentions, each once, in
    the order they first appear. Case does not matter: `@Ana` mentions `ana`."""
    found = (part.username for part in split(text, usernames) if part.is_mention)
    return list(dict.fromkeys(found))


def split(text: str, usernames: Iterable[str]) -> list[Part]:
    """`text` cut into plain parts and mentions of `usernames`, whose texts join back into
    `text` exactly (the timeline renders the parts: links in plain parts, mentions marked)."""
    known = {name.lower(): name for name in usernames}
    parts: list[Part] = []
    start = 0
    for match in _TOKENS.finditer(text):
        if match["name"] is None:
            continue
        username, length = _reading_of(match["name"], known)
        if username is None:
            continue
        parts.append(Part(text[start : match.start()]))
        end = match.start() + 1 + length
        parts.append(Part(text[match.start() : end], username))
        start = end
    parts.append(Part(text[start:]))
    return [part for part in parts if part.text]


def _names(text: str) -> list[str]:
    return [match["name"] for match in _TOKENS.finditer(text) if match["name"] is not None]


def _readings(token: str) -> list[str]:
    """The token as written, then without its trailing punctuation (`ana.` → `ana`)."""
    trimmed = token.rstrip(_TRAILING)
    return [token, trimmed] if trimmed and trimmed != token else [token]


def _reading_of(token: str, known: dict[str, str]) -> tuple[str | None, int]:
    for reading in _readings(token):
        username = known.get(reading.lower())
        if username is not None:
            return username, len(reading)
    return None, 0
