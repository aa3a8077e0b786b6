"""A tiny HTTP client for the sandbox tests (stdlib only) and an in-process server runner."""

from __future__ import annotations

import base64
import http.client
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from qualityhub.sandbox.cli import SandboxOptions
from qualityhub.sandbox.server import SandboxServer, build_server

READ = "quality_collaboration.quality_inspection.read"
WRITE = "quality_collaboration.quality_inspection.write"
SEED = "/api/quality_inspections"
V1 = "/qualitycollaboration/api/v1/quality-inspections"
DATA = Path(__file__).resolve().parent.parent / "data"


def load_data(name: str) -> Any:
    """A spec example from tests/data, numbers as Decimal (for comparing)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"), parse_float=Decimal)


def load_request(name: str = "seed_create_request.json") -> Any:
    """A spec example as plain JSON values (for sending; `50.0` is written back as `50.0`)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body, parse_float=Decimal)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class Client:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._token: str | None = None

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=15)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            conn.close()

    # -- OAuth -------------------------------------------------------------------------------

    def token_reply(self, scope: str | None = None, *, basic: bool = False,
                    client_id: str = "sandbox", secret: str = "sandbox-secret",
                    grant_type: str = "client_credentials") -> Reply:  # fmt: skip
        form = {"grant_type": grant_type}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if basic:
            pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
            headers["Authorization"] = f"Basic {pair}"
        else:
            form |= {"client_id": client_id, "client_secret": secret}
        if scope is not None:
            form["scope"] = scope
        return self.request("POST", "/oauth2/token", urlencode(form).encode(), headers)

    def token(self, scope: str | None = None) -> str:
        reply = self.token_reply(scope)
        assert reply.status == 200, reply.text
        return reply.json()["access_token"]

    def auth(self, token: str | None = None) -> dict[str, str]:
        if token is None:
            if self._token is None:
                self._token = self.token()
            token = self._token
        return {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    # -- API ---------------------------------------------------------------------------------

    def get(self, path: str, token: str | None = None) -> Reply:
        return self.request("GET", path, headers=self.auth(token))

    def post(self, path: str, payload: Any = None, token: str | None = None) -> Reply:
        headers = self.auth(token)
        body = None
        if payload is not None:
            body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        return self.request("POST", path, body, headers)

    def delete(self, path: str, token: str | None = None) -> Reply:
        return self.request("DELETE", path, headers=self.auth(token))

    def upload(self, path: str, name: str, data: bytes, content_type: str = "application/pdf",
               fields: dict[str, str] | None = None, file_field: str = "attachment[file]",
               token: str | None = None) -> Reply:  # fmt: skip
        boundary = uuid.uuid4().hex
        chunks = []
        for key, value in (fields or {}).items():
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}";'
            f' filename="{name}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
        chunks.append(f"--{boundary}--\r\n".encode())
        headers = self.auth(token) | {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", path, b"".join(chunks), headers)

    # -- control -----------------------------------------------------------------------------

    def control(self, method: str, path: str, payload: Any = None) -> Reply:
        body = None if payload is None else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"} if body else {}
        return self.request(method, f"/_sandbox/{path}", body, headers)

    def configure(self, **settings: Any) -> dict[str, Any]:
        reply = self.control("POST", "config", settings)
        assert reply.status == 200, reply.text
        return reply.json()


@contextmanager
def running_server(db: Path, **options: Any) -> Iterator[SandboxServer]:
    """An in-process sandbox on a free port, serving from a thread."""
    server = build_server(SandboxOptions(port=0, db=str(db), quiet=True, **options))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        server.app.close()
