"""Attachments at header and characteristic level.

Coupa documents no attachment schema for Quality Collaboration, so the shape is assumed: Core's
multipart fields (`attachment[file]`, `attachment[type]`, `attachment[intent]`) in, camelCase
JSON out like the rest of the QC API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from . import multipart
from .catalogue import INTEGRATION_USER
from .responses import Request, Response, error, json_response, no_content
from .routes import content_path
from .store import Store
from .wire import format_datetime

MAX_FILE_BYTES = 10 * 1024 * 1024
BLOCKED_EXTENSIONS = (".exe", ".bat", ".cmd", ".js", ".sh")
FILE_FIELD = "attachment[file]"
TYPE_FIELD = "attachment[type]"
INTENT_FIELD = "attachment[intent]"
MAX_INTENT = 40


@dataclass(frozen=True)
class Upload:
    file_name: str
    content_type: str
    data: bytes
    intent: str


def attachment_json(record: dict[str, Any], family: str) -> dict[str, Any]:
    return {
        "id": record["id"],
        "inspectionId": record["inspection_id"],
        "characteristicId": record["characteristic_id"],
        "type": record["type"],
        "intent": record["intent"],
        "fileName": record["file_name"],
        "fileContentType": record["content_type"],
        "fileSize": record["size"],
        "fileUrl": content_path(
            family, record["inspection_id"], record["characteristic_id"], record["id"]
        ),
        "createdAt": record["created_at"],
        "updatedAt": record["updated_at"],
        "createdBy": record["created_by"],
    }


def check_owner(store: Store, inspection_id: int, characteristic_id: int | None) -> Response | None:
    """404 when the inspection, or the characteristic within it, does not exist."""
    doc = store.get_doc(inspection_id)
    if doc is None:
        return error(404, f"Quality inspection {inspection_id} not found")
    if characteristic_id is None:
        return None
    chars = doc.get("characteristics")
    ids = {c.get("id") for c in chars if isinstance(c, dict)} if isinstance(chars, list) else set()
    if characteristic_id not in ids:
        return error(
            404,
            f"Characteristic {characteristic_id} not found on quality inspection {inspection_id}",
        )
    return None


def read_upload(request: Request) -> Upload | Response:
    """The uploaded file, or the refusal (400 missing, 413 too large, 422 unacceptable)."""
    try:
        parts = multipart.parse(request.header("Content-Type"), request.body)
    except multipart.MultipartError as exc:
        return error(400, f"is missing ({exc})", FILE_FIELD)
    fields = {part.name: part for part in parts}
    file_part = fields.get(FILE_FIELD)
    if file_part is None or file_part.filename is None:
        return error(400, "is missing", FILE_FIELD)
    name = file_part.filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or "attachment"
    if len(file_part.data) > MAX_FILE_BYTES:
        return error(413, "file is too large (maximum is 10 MiB)", FILE_FIELD)
    if not file_part.data:
        return error(422, "file is empty", FILE_FIELD)
    if name.lower().endswith(BLOCKED_EXTENSIONS):
        return error(422, "file type not allowed", FILE_FIELD)
    kind = _text(fields.get(TYPE_FIELD)) or "file"
    if kind.lower() != "file":
        return error(422, "only file attachments are supported", TYPE_FIELD)
    intent = _text(fields.get(INTENT_FIELD)) or "Supplier"
    if len(intent) > MAX_INTENT:
        return error(422, f"is too long (maximum is {MAX_INTENT} characters)", INTENT_FIELD)
    return Upload(name, file_part.content_type, file_part.data, intent)


def _text(part: multipart.Part | None) -> str:
    return "" if part is None else part.data.decode("utf-8", "replace").strip()


class AttachmentOps:
    def __init__(self, store: Store) -> None:
        self.store = store

    def listing(self, family: str, inspection_id: int, characteristic_id: int | None) -> Response:
        refusal = check_owner(self.store, inspection_id, characteristic_id)
        if refusal:
            return refusal
        records = self.store.attachments(inspection_id, characteristic_id)
        return json_response(200, [attachment_json(record, family) for record in records])

    def upload(
        self, request: Request, family: str, inspection_id: int, characteristic_id: int | None
    ) -> Response:
        refusal = check_owner(self.store, inspection_id, characteristic_id)
        if refusal:
            return refusal
        upload = read_upload(request)
        if isinstance(upload, Response):
            return upload
        with self.store.transaction():
            now = format_datetime(self.store.stamp(), fraction=True)
            record = self.store.add_attachment(
                {
                    "inspection_id": inspection_id,
                    "characteristic_id": characteristic_id,
                    "type": "file",
                    "intent": upload.intent,
                    "file_name": upload.file_name,
                    "content_type": upload.content_type,
                    "created_at": now,
                    "updated_at": now,
                    "created_by": INTEGRATION_USER,
                },
                upload.data,
            )
            self.store.touch(inspection_id, INTEGRATION_USER)
        return json_response(201, attachment_json(record, family))

    def _find(
        self, inspection_id: int, characteristic_id: int | None, attachment_id: int
    ) -> dict[str, Any] | Response:
        refusal = check_owner(self.store, inspection_id, characteristic_id)
        if refusal:
            return refusal
        record = self.store.attachment(inspection_id, characteristic_id, attachment_id)
        if record is None:
            return error(404, f"Attachment {attachment_id} not found")
        return record

    def get(self, family: str, inspection_id: int, cid: int | None, aid: int) -> Response:
        record = self._find(inspection_id, cid, aid)
        if isinstance(record, Response):
            return record
        return json_response(200, attachment_json(record, family))

    def delete(self, inspection_id: int, cid: int | None, aid: int) -> Response:
        with self.store.transaction():
            record = self._find(inspection_id, cid, aid)
            if isinstance(record, Response):
                return record
            self.store.delete_attachment(aid)
            self.store.touch(inspection_id, INTEGRATION_USER)
        return no_content()

    def download(self, inspection_id: int, cid: int | None, aid: int) -> Response:
        record = self._find(inspection_id, cid, aid)
        if isinstance(record, Response):
            return record
        disposition = content_disposition(record["file_name"])
        return Response(
            200,
            self.store.attachment_content(aid),
            record["content_type"],
            {"Content-Disposition": disposition},
        )


def content_disposition(file_name: str) -> str:
    """`attachment; filename="..."`, plus an RFC 5987 `filename*` for non-ASCII names."""
    fallback = file_name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    fallback = fallback.replace("\\", "_").replace('"', "_")
    value = f'attachment; filename="{fallback}"'
    if fallback != file_name:
        value += f"; filename*=UTF-8''{quote(file_name, safe='')}"
    return value
