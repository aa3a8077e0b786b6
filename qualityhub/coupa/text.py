"""Text as people may safely read it: no character that is there without being seen.

Bidi controls (U+202E shows "invoice‮fdp.exe" as "invoiceexe.pdf"), zero-width and tag
characters (hidden words, look-alike names that search cannot find) and terminal controls are
removed, not replaced by a visible marker: the same categories hold characters that only shape
legitimate text (the zero-width joiner in emoji, the non-joiner in Persian, the soft hyphen), and
a marker would litter those while removing them loses nothing a reader sees. Tabs and line breaks
stay: remarks and specifications are written on several lines.
"""

from __future__ import annotations

import unicodedata

# Controls, format characters, lone surrogates (PostgreSQL cannot store one), private use.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
_KEPT_CONTROLS = frozenset("\t\n\r")


def without_invisible(text: str) -> str:
    """`text` without invisible characters (see the module); tabs and line breaks kept."""
    if text.isprintable():
        return text  # as nearly all text is: checked in C, nothing to remove
    return "".join(
        c
        for c in text
        if c in _KEPT_CONTROLS or unicodedata.category(c) not in INVISIBLE_CATEGORIES
    )
