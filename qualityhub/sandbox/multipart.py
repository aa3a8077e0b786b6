"""A small `multipart/form-data` parser (the `cgi` module is gone from Python 3.13).

Splitting on the boundary is done on bytes, so file contents pass through untouched; only each
part's header block goes through the `email` package, which handles quoting and RFC 2231 names.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import HTTP


class MultipartError(ValueError):
    pass


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str
    data: bytes


def boundary_of(content_type: str) -> str:
    message = Message()
    message["Content-Type"] = content_type
    if message.get_content_type() != "multipart/form-data":
        raise MultipartError("expected multipart/form-data")
    boundary = message.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise MultipartError("multipart/form-data without a boundary")
    return boundary


def parse(content_type: str, body: bytes) -> list[Part]:
    delimiter = b"\r\n--" + boundary_of(content_type).encode("latin-1")
    chunks = (b"\r\n" + body).split(delimiter)
    if len(chunks) < 2:
        raise MultipartError("no parts found")
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        parts.append(_part(chunk.removeprefix(b"\r\n")))
    return parts


def _part(chunk: bytes) -> Part:
    head, separator, data = chunk.partition(b"\r\n\r\n")
    if not separator:
        head, data = (b"", chunk[2:]) if chunk.startswith(b"\r\n") else (chunk, b"")
    headers = BytesHeaderParser(policy=HTTP).parsebytes(head + b"\r\n\r\n")
    name = headers.get_param("name", header="content-disposition")
    if not isinstance(name, str):
        raise MultipartError("part without a name")
    filename = headers.get_filename()
    if filename is not None:  # raw UTF-8 names (as browsers send them) arrive surrogate-escaped
        filename = filename.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    content_type = headers.get("Content-Type") and headers.get_content_type()
    return Part(name, filename, content_type or "application/octet-stream", data)
