"""What can go wrong talking to Coupa, in words a person can act on."""

from __future__ import annotations

from qualityhub.coupa.text import without_invisible


class CoupaError(Exception):
    """Base of every client error. `status` is the HTTP status when there was an answer."""

    def __init__(self, message: str, *, status: int | None = None, body: str = "") -> None:
        # Coupa's words reach pages and the audit trail: without invisible characters.
        message = without_invisible(message)
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = without_invisible(body[:2000])


class CoupaAuthError(CoupaError):
    """Credentials refused (401 after a fresh token) or a scope missing (403)."""


class CoupaScopeMissing(CoupaAuthError):
    """Coupa refused a Core API read (403) or never granted its scope: `scope` is what to grant
    the OAuth client in Coupa (Setup → Integrations → OAuth2/OpenID Connect Clients)."""

    def __init__(self, message: str, *, scope: str, status: int | None = None, body: str = ""):
        super().__init__(message, status=status, body=body)
        self.scope = scope


class CoupaNotFound(CoupaError):
    """The inspection, characteristic or attachment does not exist in Coupa."""


class CoupaValidationError(CoupaError):
    """Coupa refused the request's content; `field_errors` maps a field path to its messages."""

    def __init__(
        self,
        message: str,
        *,
        field_errors: dict[str, list[str]] | None = None,
        status: int | None = None,
        body: str = "",
    ) -> None:
        super().__init__(message, status=status, body=body)
        self.field_errors = {
            without_invisible(field): [without_invisible(m) for m in messages]
            for field, messages in (field_errors or {}).items()
        }


class CoupaUnavailable(CoupaError):
    """Coupa could not be reached or answered 429/5xx after the client's short retries.

    `retry_after` is Coupa's own hint in seconds, when it gave one. `maybe_applied` is True when a
    non-idempotent request may have taken effect (the body was sent and no answer came back), so
    the caller must check before sending it again.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        body: str = "",
        retry_after: float | None = None,
        maybe_applied: bool = False,
    ) -> None:
        super().__init__(message, status=status, body=body)
        self.retry_after = retry_after
        self.maybe_applied = maybe_applied


class CoupaTooLarge(CoupaError):
    """Coupa's answer is larger than QualityHub reads (`limit` bytes); not retried, as it would
    be as large again."""

    def __init__(self, message: str, *, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class CoupaParseError(CoupaError):
    """A record from Coupa does not have the shape we can read. Names the record and the field."""

    def __init__(self, message: str, *, record_id: object = None, field: str = "") -> None:
        super().__init__(message)
        self.record_id = record_id
        self.field = field


class CoupaAnsweredXml(CoupaParseError):
    """Coupa answered XML where QualityHub asked for JSON (its Core API's default format): not
    guessed at, refused with what to check."""
