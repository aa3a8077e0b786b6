"""The translation catalogues are whole: every string the code marks is in each language's
catalogue, translated (none fuzzy, none empty), with the same placeholders, and the compiled
.mo files that ship beside them say the same. CI fails on any of these."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# The same sources as `make messages` (Makefile): the sandbox stays English.
IGNORED = [".venv", "var", "tests", "bench", "docs", "deploy", "qualityhub/sandbox/*"]
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{[a-z_]*\}")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    entries = [e for e in catalogue(language) if not e.obsolete]
    assert entries, f"the {language} catalogue is empty"
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    missing = [e.msgid for e in entries if not e.translated()]
    assert fuzzy == [], f"fuzzy in {language}"
    assert missing == [], f"untranslated in {language}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language: str) -> None:
    wrong = []
    for entry in catalogue(language):
        wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            named = sorted(p for p in PLACEHOLDER.findall(text))
            # A singular may say "one" in words where English writes %(count)s.
            if named != wanted and not (entry.msgid_plural and set(named) <= set(wanted)):
                wrong.append((entry.msgid, text))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_po_file_says(language: str) -> None:
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    source = catalogue(language)
    as_compiled = {key(e): (e.msgstr, dict(e.msgstr_plural)) for e in compiled if e.msgid}
    as_written = {
        key(e): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
        for e in source
        if e.translated() and not e.obsolete
    }
    assert as_compiled.keys() == as_written.keys(), "run `make messages` to compile the .mo"
    assert {k: v[0] for k, v in as_compiled.items()} == {k: v[0] for k, v in as_written.items()}


def test_the_catalogues_hold_every_marked_string(tmp_path: Path, monkeypatch) -> None:
    """makemessages over a copy of the sources: the same strings as each catalogue, no more, no
    fewer (a string marked since is missing; one no longer marked, stale). A copy, because
    makemessages writes into any `locale` folder it meets among the sources."""
    sources = tmp_path / "sources"
    skip = shutil.ignore_patterns("locale", "__pycache__", "sandbox", "assets", "migrations")
    for folder in ("qualityhub", "templates"):
        shutil.copytree(Path(settings.BASE_DIR) / folder, sources / folder, ignore=skip)
    monkeypatch.chdir(sources)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command(
            "makemessages",
            locale=["de"],
            ignore_patterns=IGNORED,
            extensions=["html", "txt", "py"],
            verbosity=0,
        )
    extracted = {key(e) for e in polib.pofile(str(tmp_path / "locale/de/LC_MESSAGES/django.po"))}
    for language in LANGUAGES:
        written = {key(e) for e in catalogue(language) if not e.obsolete}
        assert sorted(extracted - written) == [], f"not yet in {language}: run `make messages`"
        assert sorted(written - extracted) == [], f"no longer marked, still in {language}"
