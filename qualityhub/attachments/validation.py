"""What QualityHub accepts as an attachment: pure rules over a file's name and bytes.

A file passes when its name is a plain name with one allowed extension, and its first bytes are
what that extension promises (a `.pdf` starts with `%PDF-`, a `.txt` is UTF-8 without NUL bytes,
a `.docx` is a ZIP holding a Word document). Anything that could be read as HTML by a browser is
refused whatever its name. No database, no settings: callers pass the allow-list and the limit.
"""

from __future__ import annotations

import codecs
import unicodedata
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.core.exceptions import ImproperlyConfigured
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualityhub.coupa.text import without_invisible

HEAD_BYTES = 1024
MAX_NAME_LENGTH = 120
CHUNK = 64 * 1024


class Refused(ValueError):
    """Why a file is not accepted, in words for the person who chose it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Kind:
    extension: str
    content_type: str
    label: str
    magic: tuple[bytes, ...] = ()  # one of these opens the file; none for text
    text: bool = False
    zip_member: str = ""  # a member every such ZIP package holds


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PK = (b"PK\x03\x04",)
KINDS: dict[str, Kind] = {
    "pdf": Kind("pdf", "application/pdf", gettext_lazy("PDF"), (b"%PDF-",)),
    "png": Kind("png", "image/png", gettext_lazy("PNG image"), (b"\x89PNG\r\n\x1a\n",)),
    "jpg": Kind("jpg", "image/jpeg", gettext_lazy("JPEG image"), (b"\xff\xd8\xff",)),
    "jpeg": Kind("jpeg", "image/jpeg", gettext_lazy("JPEG image"), (b"\xff\xd8\xff",)),
    "gif": Kind("gif", "image/gif", gettext_lazy("GIF image"), (b"GIF87a", b"GIF89a")),
    "tif": Kind("tif", "image/tiff", gettext_lazy("TIFF image"), (b"II*\x00", b"MM\x00*")),
    "tiff": Kind("tiff", "image/tiff", gettext_lazy("TIFF image"), (b"II*\x00", b"MM\x00*")),
    "txt": Kind("txt", "text/plain", gettext_lazy("text file"), text=True),
    "csv": Kind("csv", "text/csv", gettext_lazy("CSV file"), text=True),
    "docx": Kind("docx", _DOCX, gettext_lazy("Word document"), _PK, zip_member="word/document.xml"),
    "xlsx": Kind("xlsx", _XLSX, gettext_lazy("Excel workbook"), _PK, zip_member="xl/workbook.xml"),
}
# Never acceptable as an inner extension either ("report.exe.pdf"), nor as the last one.
RISKY_EXTENSIONS = frozenset({
    "exe", "com", "bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js", "jse", "wsf", "hta", "scr",
    "cpl", "msi", "dll", "sh", "bash", "zsh", "csh", "php", "phtml", "asp", "aspx", "jsp", "cgi",
    "pl", "py", "rb", "jar", "apk", "app", "dmg", "lnk", "reg", "html", "htm", "xhtml", "shtml",
    "svg", "xml",
})  # fmt: skip
# Recognised only to say what a disguised file really is.
_SIGNATURES = (
    (b"MZ", gettext_lazy("a Windows executable")),
    (b"\x7fELF", gettext_lazy("a Linux executable")),
    (b"#!", gettext_lazy("a script")),
    (b"\xca\xfe\xba\xbe", gettext_lazy("a Java or macOS executable")),
    (b"PK\x03\x04", gettext_lazy("a ZIP archive")),
    (b"%PDF-", gettext_lazy("a PDF")),
    (b"\x89PNG", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"GIF8", gettext_lazy("a GIF image")),
)


@dataclass(frozen=True, slots=True)
class Accepted:
    name: str  # sanitised display text, never a path
    kind: Kind


def allowed_kinds(extensions: Collection[str]) -> dict[str, Kind]:
    """The configured allow-list as kinds; an extension we cannot check is a setup mistake."""
    unknown = sorted(set(extensions) - set(KINDS))
    if unknown:
        raise ImproperlyConfigured(
            f"ATTACHMENT_ALLOWED_EXTENSIONS holds {', '.join(unknown)}; "
            f"QualityHub can check only {', '.join(KINDS)}"
        )
    return {extension: KINDS[extension] for extension in extensions}


def display_name(raw: str) -> str:
    """The name as text to show: control and invisible format characters removed (so no
    right-to-left trick), whitespace collapsed, ends trimmed, at most MAX_NAME_LENGTH long with
    the extension kept. Not a path check: `check_name` refuses paths before this runs."""
    spaced = "".join(" " if c.isspace() else c for c in unicodedata.normalize("NFC", raw))
    text = " ".join(without_invisible(spaced).split()).strip(" .")
    if len(text) <= MAX_NAME_LENGTH:
        return text
    stem, dot, extension = text.rpartition(".")
    if not dot or len(extension) > 10:
        return text[:MAX_NAME_LENGTH].rstrip(" .")
    return stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .") + "." + extension


def check_name(raw: str, allowed: Collection[str]) -> tuple[str, str]:
    """(display name, lower-case extension) for an acceptable name; else `Refused`."""
    if "\x00" in raw:
        raise Refused(_("the name contains a NUL byte"))
    if "/" in raw or "\\" in raw or raw.strip() in (".", "..") or raw.lstrip().startswith(".."):
        raise Refused(_("the name contains a folder path; only a plain file name is accepted"))
    if ":" in raw:
        raise Refused(_("the name contains “:”; only a plain file name is accepted"))
    name = display_name(raw)
    stem, dot, extension = name.rpartition(".")
    extension = extension.lower()
    if not dot or not stem.strip(" ."):
        raise Refused(
            _("the name has no file type extension (allowed: %(allowed)s)")
            % {"allowed": _listing(allowed)}
        )
    if extension not in allowed:
        raise Refused(
            _("files of type .%(extension)s are not accepted (allowed: %(allowed)s)")
            % {"extension": extension, "allowed": _listing(allowed)}
        )
    inner = {part.lower().strip() for part in stem.split(".")[1:]}
    if inner & (RISKY_EXTENSIONS | set(KINDS)):
        raise Refused(_("double extensions (such as report.exe.pdf) are not accepted"))
    return name, extension


def check_size(size: int, max_bytes: int) -> None:
    if size <= 0:
        raise Refused(_("the file is empty"))
    if size > max_bytes:
        raise Refused(
            _("the file is larger than the limit of %(limit)s") % {"limit": limit_text(max_bytes)}
        )


def check_content(kind: Kind, stream: IO[bytes]) -> None:
    """Refuse content that is not what the extension promises; leaves the stream at 0."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    try:
        if not head:
            raise Refused(_("the file is empty"))
        _refuse_html(head)
        if kind.magic and not head.startswith(kind.magic):
            seen = _what_it_looks_like(head)
            raise Refused(
                _("the content is not a %(kind)s; it looks like %(seen)s")
                % {"kind": kind.label, "seen": seen}
                if seen
                else _("the content is not a %(kind)s") % {"kind": kind.label}
            )
        if kind.text:
            _check_text(head, stream)
        if kind.zip_member:
            _check_package(kind, stream)
    finally:
        stream.seek(0)


def check_file(
    raw_name: str, stream: IO[bytes], size: int, *, allowed: Collection[str], max_bytes: int
) -> Accepted:
    """Every rule, cheapest first."""
    name, extension = check_name(raw_name, allowed)
    check_size(size, max_bytes)
    kind = KINDS[extension]
    check_content(kind, stream)
    return Accepted(name, kind)


def _refuse_html(head: bytes) -> None:
    opening = head.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n\x0b\x0c")
    lowered = head.lower()
    if opening.startswith(b"<") or b"<script" in lowered or b"<html" in lowered:
        raise Refused(
            _("the content looks like HTML, which browsers could run; it is not accepted")
        )


def _what_it_looks_like(head: bytes) -> str:
    return next((label for magic, label in _SIGNATURES if head.startswith(magic)), "")


def _check_text(head: bytes, stream: IO[bytes]) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = head
    try:
        while chunk:
            if b"\x00" in chunk:
                raise Refused(_("the file holds NUL bytes, so it is not plain text"))
            decoder.decode(chunk)
            chunk = stream.read(CHUNK)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise Refused(_("the file is not UTF-8 text")) from None


def _check_package(kind: Kind, stream: IO[bytes]) -> None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused(
            _("the content is not a %(kind)s (a damaged ZIP package)") % {"kind": kind.label}
        ) from None
    if kind.zip_member not in names or "[Content_Types].xml" not in names:
        raise Refused(_("the content is not a %(kind)s") % {"kind": kind.label})
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Refused(
            _("the %(kind)s contains macros, which are not accepted") % {"kind": kind.label}
        )


def _listing(allowed: Collection[str]) -> str:
    return ", ".join(sorted(allowed))


def limit_text(size: int) -> str:
    """A byte limit as people read it: 25 MB, 1.5 MB, 1,000 bytes."""
    if size < 1024 * 1024:
        return _("%(size)s bytes") % {"size": number_format(size, force_grouping=True)}
    megabytes = Decimal(f"{round(size / (1024 * 1024), 1):g}")
    return _("%(size)s MB") % {"size": number_format(megabytes)}
