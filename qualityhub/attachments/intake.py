"""Reading an upload request: the size limit enforced while the body streams in.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not cover files, so one upload handler replaces the
default pair: it counts each file's bytes as they arrive and drops a file (its temporary copy
closed and deleted) the moment it passes the limit, before anything is kept. A parser subclass
remembers each file's name as sent, because Django cuts `../../x.pdf` down to `x.pdf` before
any handler sees it, and such a name is refused rather than quietly repaired.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParser
from django.utils.translation import gettext as _

from qualityhub.attachments.validation import Refused, check_name, display_name, limit_text


@dataclass
class Refusal:
    name: str
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {self.message}" if self.name else self.message


@dataclass
class Gate:
    """One request's limits, and what was refused while reading it."""

    max_bytes: int
    max_files: int
    allowed: frozenset[str]
    refusals: list[Refusal] = field(default_factory=list)
    raw_names: list[str] = field(default_factory=list)  # each file's name as sent, in order
    accepted_count: int = 0

    def refuse(self, raw_name: str, message: str) -> None:
        name = display_name(raw_name.replace("\\", "/").rsplit("/", 1)[-1]) or _("a file")
        self.refusals.append(Refusal(name, message))


class NameKeepingParser(MultiPartParser):
    def __init__(self, META, input_data, upload_handlers, encoding=None) -> None:
        super().__init__(META, input_data, upload_handlers, encoding)
        self.gate: Gate = upload_handlers[0].gate

    def sanitize_file_name(self, file_name: str) -> str:
        self.gate.raw_names.append(file_name)
        # Django answers None for "." and ".."; a stand-in name lets the handler refuse it.
        return super().sanitize_file_name(file_name) or "refused"


class GuardedUploadHandler(FileUploadHandler):
    """Streams each file to a temporary file, refusing names and sizes on the way."""

    def __init__(self, request: HttpRequest, gate: Gate) -> None:
        super().__init__(request)
        self.gate = gate
        self.sink: TemporaryUploadedFile | None = None

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, *a):
        super().new_file(field_name, file_name, content_type, content_length, charset, *a)
        raw = self.gate.raw_names[-1] if self.gate.raw_names else file_name
        try:
            check_name(raw, self.gate.allowed)
        except Refused as refusal:
            self.gate.refuse(raw, refusal.message)
            raise SkipFile from None
        if self.gate.accepted_count >= self.gate.max_files:
            self.gate.refuse(
                raw, _("only %(count)s files can be sent at once") % {"count": self.gate.max_files}
            )
            raise SkipFile
        self.gate.accepted_count += 1
        self.sink = TemporaryUploadedFile(file_name, content_type, 0, charset)
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > self.gate.max_bytes:
            self._discard()
            self.gate.accepted_count -= 1
            limit = limit_text(self.gate.max_bytes)
            self.gate.refuse(self.file_name or "", f"the file is larger than the limit of {limit}")
            raise SkipFile
        self.sink.write(raw_data)

    def file_complete(self, file_size: int) -> TemporaryUploadedFile | None:
        sink, self.sink = self.sink, None
        if sink is None:
            return None
        sink.seek(0)
        sink.size = file_size
        return sink

    def upload_interrupted(self) -> None:
        self._discard()

    def _discard(self) -> None:
        if self.sink is not None:
            self.sink.close()  # a NamedTemporaryFile: closing deletes it
            self.sink = None


def guard(request: HttpRequest, gate: Gate) -> None:
    """Route this request's body through the gate; call before touching POST or FILES."""
    request.upload_handlers = [GuardedUploadHandler(request, gate)]
    request.multipart_parser_class = NameKeepingParser


def too_large_to_read(request: HttpRequest, gate: Gate) -> bool:
    """A body longer than every allowed file together is refused before it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > gate.max_bytes * gate.max_files + 1024 * 1024
