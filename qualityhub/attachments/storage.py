"""Where uploaded files wait for Coupa: a private directory under VAR_DIR, never a public URL.

Files are stored under a server-generated name; the name people gave a file is only display text
on the row. Nothing serves this directory: downloads go through a view with permission checks.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage

CHUNK = 64 * 1024


class PrivateStorage(FileSystemStorage):
    def url(self, name: str | None) -> str:
        raise ValueError("uploaded attachments have no public URL; use the download view")


def upload_storage() -> PrivateStorage:
    """The storage of `Attachment.local_file` (a callable, so migrations hold no path)."""
    return PrivateStorage(
        location=settings.VAR_DIR / "uploads",
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def keep(upload: IO[bytes]) -> tuple[str, str]:
    """Store the file under a fresh random name; returns (stored name, sha256 hex)."""
    digest = hashlib.sha256()
    upload.seek(0)
    while chunk := upload.read(CHUNK):
        digest.update(chunk)
    upload.seek(0)
    token = uuid.uuid4().hex
    name = upload_storage().save(f"{token[:2]}/{token}", File(upload))
    return name, digest.hexdigest()


def drop(name: str) -> None:
    if name:
        upload_storage().delete(name)


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
