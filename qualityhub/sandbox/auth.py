"""OAuth2 client credentials, as Coupa does it: `/oauth2/token` and Bearer tokens in memory."""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

from .responses import Request, Response, insufficient_scope, invalid_token, json_response

READ_SCOPE = "quality_collaboration.quality_inspection.read"
WRITE_SCOPE = "quality_collaboration.quality_inspection.write"
QC_SCOPES = (READ_SCOPE, WRITE_SCOPE)
# Core API reference data: suppliers, users, units (and other set-up entities), catalogue items.
CORE_SCOPES = ("core.supplier.read", "core.user.read", "core.common.read", "core.catalog.read")
KNOWN_SCOPES = QC_SCOPES + CORE_SCOPES


@dataclass(frozen=True)
class Token:
    expires_at: float  # time.monotonic()
    scopes: frozenset[str]


class TokenStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, Token] = {}

    def issue(self, scopes: frozenset[str], ttl: int) -> str:
        value = secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[value] = Token(time.monotonic() + ttl, scopes)
        return value

    def lookup(self, value: str) -> Token | None:
        with self._lock:
            token = self._tokens.get(value)
            if token is not None and token.expires_at <= time.monotonic():
                del self._tokens[value]
                return None
            return token

    def expire_all(self) -> int:
        with self._lock:
            count = len(self._tokens)
            self._tokens.clear()
            return count


def _oauth_error(status: int, code: str, description: str, basic: bool = False) -> Response:
    headers = {"WWW-Authenticate": 'Basic realm="coupa-sandbox"'} if basic else {}
    return json_response(status, {"error": code, "error_description": description}, headers)


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ("", "")
    client_id, _, secret = decoded.partition(":")
    return unquote(client_id), unquote(secret)


def token_endpoint(
    request: Request,
    tokens: TokenStore,
    client_id: str,
    client_secret: str,
    ttl: int,
    withheld: frozenset[str] = frozenset(),
) -> Response:
    """POST /oauth2/token with grant_type=client_credentials (form fields or HTTP Basic).

    Grants the scopes asked for (the two QC scopes when none are), minus `withheld`: what an
    OAuth client configured in Coupa without those scopes gets. The answer's `scope` says which.
    """
    form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
    basic = _basic_credentials(request.header("Authorization"))
    given_id, given_secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
    if not secrets.compare_digest(f"{given_id}\0{given_secret}", f"{client_id}\0{client_secret}"):
        return _oauth_error(401, "invalid_client", "Client authentication failed", bool(basic))
    grant = form.get("grant_type", "")
    if grant != "client_credentials":
        if not grant:
            return _oauth_error(400, "invalid_request", "grant_type is required")
        return _oauth_error(400, "unsupported_grant_type", f"Unsupported grant type {grant!r}")
    requested = form.get("scope", "").split()
    unknown = [scope for scope in requested if scope not in KNOWN_SCOPES]
    if unknown:
        return _oauth_error(400, "invalid_scope", f"Unknown scope: {' '.join(unknown)}")
    wanted = [s for s in KNOWN_SCOPES if s in requested] if requested else list(QC_SCOPES)
    granted = [s for s in wanted if s not in withheld]
    value = tokens.issue(frozenset(granted), ttl)
    payload = {
        "access_token": value,
        "token_type": "bearer",
        "expires_in": ttl,
        "scope": " ".join(granted),
    }
    return json_response(200, payload, {"Cache-Control": "no-store", "Pragma": "no-cache"})


def authorize(request: Request, tokens: TokenStore, needed: str | None = None) -> Response | None:
    """None when the Bearer token is valid and carries the scope needed: `needed` when given
    (a Core resource's), else the QC scope of the method."""
    scheme, _, value = request.header("Authorization").strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return invalid_token("Missing Bearer access token")
    token = tokens.lookup(value.strip())
    if token is None:
        return invalid_token("The access token is unknown or has expired")
    if needed is None:
        needed = READ_SCOPE if request.method == "GET" else WRITE_SCOPE
    if needed not in token.scopes:
        return insufficient_scope(needed)
    return None
