"""HTTP client for Coupa's Quality Collaboration API.

One pooled `requests.Session`, explicit connect/read timeouts and a total deadline on every call
(retries and the token included), a byte cap on every answer (see `transport`), an OAuth2
client-credentials token fetched on first use and renewed before it expires (and once on a 401),
and a few short retries with exponential backoff and jitter. Long outages are not waited out here:
after `max_attempts` the caller gets `CoupaUnavailable` and a Celery task retries later, so no
worker blocks for minutes.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, BinaryIO

import requests

from qualityhub.coupa import wirejson
from qualityhub.coupa.errors import (
    CoupaAnsweredXml,
    CoupaAuthError,
    CoupaError,
    CoupaNotFound,
    CoupaParseError,
    CoupaScopeMissing,
    CoupaUnavailable,
    CoupaValidationError,
)
from qualityhub.coupa.outbound import InspectionRequest, request_body
from qualityhub.coupa.paths import API_STYLES, REFERENCE_KINDS, path_for
from qualityhub.coupa.reference import (
    FIELDS,
    NAME_SCOPES,
    SCOPES,
    RecordList,
    ReferenceRecord,
    Skipped,
    parse_reference,
    parse_references,
)
from qualityhub.coupa.schemas import (
    Attachment,
    Inspection,
    parse_attachment,
    parse_inspection,
)
from qualityhub.coupa.transport import (
    Deadline,
    DeadlineAdapter,
    DownloadStream,
    read_capped,
    refuse_if_declared_over,
)

logger = logging.getLogger(__name__)

READ_SCOPE = "quality_collaboration.quality_inspection.read"
WRITE_SCOPE = "quality_collaboration.quality_inspection.write"
PAGE_SIZE = 50  # Coupa's default and maximum
# A server ignoring `limit` is followed, but a page of more records than this is refused: each
# record costs work and memory well beyond its bytes (a 4 MB page of `{},` is 1.4 M records).
MAX_PAGE_RECORDS = 20 * PAGE_SIZE
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# Coupa documents no QC attachment upload; these are Core's multipart field names.
ATTACHMENT_FILE_FIELD = "attachment[file]"
ATTACHMENT_TYPE_FIELD = "attachment[type]"
ATTACHMENT_INTENT_FIELD = "attachment[intent]"
_ENVELOPE_KEYS = ("data", "items", "results", "qualityInspections", "quality_inspections")
# The list filter for records modified at or after a moment (`iter_pages({MODIFIED_SINCE: t})`).
MODIFIED_SINCE = "modifiedAt[gt_or_eq]"
# Core's filters: records changed after a moment, and records by id (at most a page of them).
UPDATED_AFTER = "updated-at[gt]"
IDS_IN = "id[in]"
# Where a person grants a missing scope in Coupa.
SCOPE_SETUP = "Setup → Integrations → OAuth2/OpenID Connect Clients"


@dataclass(frozen=True, slots=True)
class ListPage:
    records: list[Any]
    documented: bool  # an array or a known envelope, not a guess at an unknown object


@dataclass(frozen=True, slots=True)
class DownloadedFile:
    content: bytes
    content_type: str
    file_name: str | None


class CoupaClient:
    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        token_url: str | None = None,
        api_style: str = "seed",
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        total_timeout: float = 60.0,
        max_response_bytes: int = 3 * 1024 * 1024,
        max_download_bytes: int = 25 * 1024 * 1024,
        max_attempts: int = 4,
        backoff_base: float = 0.25,
        backoff_cap: float = 4.0,
        max_retry_after: float = 30.0,
        scopes: tuple[str, ...] = (READ_SCOPE, WRITE_SCOPE),
        requests_per_second: float = 0,
        names: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if api_style not in API_STYLES:
            raise ValueError(f"api_style must be one of {API_STYLES}, not {api_style!r}")
        self.base_url = base_url.rstrip("/")
        self.token_url = token_url or f"{self.base_url}/oauth2/token"
        self.api_style = api_style
        self.timeout = (connect_timeout, read_timeout)
        self.total_timeout = total_timeout
        self.max_response_bytes = max_response_bytes
        self.max_download_bytes = max_download_bytes
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self._credentials = (client_id, client_secret)
        self._scopes = scopes
        # Names (Core's suppliers, users, units) need scopes of their own, asked for only when
        # the feature is on; a token endpoint refusing them (invalid_scope) turns names off
        # until `try_names_again`, never the inspections off.
        self.names = names
        self._names_refused = False
        self._granted: frozenset[str] | None = None  # as the token answer lists them, if it does
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers["Accept"] = "application/json"
        for scheme in ("http://", "https://"):
            self._session.mount(scheme, DeadlineAdapter())
        self._token: str | None = None
        self._token_renew_at = 0.0
        self._token_lock = threading.Lock()
        self._pace = Pacer(requests_per_second, sleep)

    def close(self) -> None:
        self._session.close()

    # --- inspections ---------------------------------------------------------------------

    def list_page(self, *, offset: int = 0, limit: int = PAGE_SIZE, **filters: Any) -> list[Any]:
        """One page of raw inspection records (parse each with `parse_inspection`)."""
        return self.read_list_page(offset=offset, limit=limit, **filters).records

    def read_list_page(
        self, *, offset: int = 0, limit: int = PAGE_SIZE, **filters: Any
    ) -> ListPage:
        """`list_page`, saying whether the answer had a shape Coupa documents: only such a page
        can show that an inspection is gone."""
        params = {"offset": offset, "limit": limit} | {
            key: _query_value(value) for key, value in filters.items() if value is not None
        }
        page = _list_in(self._json(self._call("GET", "list", params=params)))
        if len(page.records) > MAX_PAGE_RECORDS:
            raise CoupaParseError(
                f"Coupa answered a list request with {len(page.records)} records, more than the "
                f"{MAX_PAGE_RECORDS} QualityHub reads in one page"
            )
        return page

    def iter_pages(
        self, filters: Mapping[str, Any] | None = None, *, page_size: int = PAGE_SIZE
    ) -> PageWalk:
        """Pages of raw records until a short page; see `PageWalk`."""
        return PageWalk(self, dict(filters or {}), page_size)

    def get_inspection(self, inspection_id: int) -> Inspection:
        return parse_inspection(self._json(self._call("GET", "get", id=inspection_id)))

    def get_inspection_raw(self, inspection_id: int) -> Any:
        return self._json(self._call("GET", "get", id=inspection_id))

    def create_inspection(self, request: InspectionRequest | Mapping[str, Any] | str) -> Inspection:
        """Create an inspection from a request, a body in Coupa's shape, or a body as
        `outbound.request_body` wrote it (sent as it is). Never re-sent blindly: on
        `CoupaUnavailable(maybe_applied=True)` look it up by its external id before trying again."""
        if isinstance(request, str):
            body = request
        elif isinstance(request, InspectionRequest):
            body = request_body(request)
        else:
            body = wirejson.dumps(dict(request))
        response = self._call(
            "POST",
            "create",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
            idempotent=False,
        )
        return parse_inspection(self._json(response))

    def find_by_external_id(self, external_id: str) -> Inspection | None:
        for record in self.list_page(limit=PAGE_SIZE, externalInspectionId=external_id):
            inspection = parse_inspection(record)
            if inspection.external_inspection_id == external_id:
                return inspection
        return None

    def mark_exported(self, inspection_id: int) -> Inspection | None:
        return self._inspection_or_none(self._call("POST", "exported", id=inspection_id))

    def reset_exported(self, inspection_id: int) -> Inspection | None:
        return self._inspection_or_none(self._call("POST", "reset_exported", id=inspection_id))

    # --- attachments ---------------------------------------------------------------------

    def list_attachments(
        self, inspection_id: int, characteristic_id: int | None = None
    ) -> list[Attachment]:
        operation = "list_line_attachments" if characteristic_id else "list_attachments"
        response = self._call("GET", operation, id=inspection_id, cid=characteristic_id)
        return [parse_attachment(item) for item in _list_in(self._json(response)).records]

    def get_attachment(
        self, inspection_id: int, attachment_id: int, characteristic_id: int | None = None
    ) -> Attachment:
        operation = "get_line_attachment" if characteristic_id else "get_attachment"
        response = self._call(
            "GET", operation, id=inspection_id, cid=characteristic_id, aid=attachment_id
        )
        return parse_attachment(self._json(response))

    def upload_attachment(
        self,
        inspection_id: int,
        file: BinaryIO,
        file_name: str,
        content_type: str,
        *,
        characteristic_id: int | None = None,
        intent: str = "Internal",
    ) -> Attachment:
        """Upload one file. Never re-sent blindly (see `create_inspection`)."""
        operation = "upload_line_attachment" if characteristic_id else "upload_attachment"
        response = self._call(
            "POST",
            operation,
            id=inspection_id,
            cid=characteristic_id,
            files={ATTACHMENT_FILE_FIELD: (file_name, file, content_type)},
            data={ATTACHMENT_TYPE_FIELD: "file", ATTACHMENT_INTENT_FIELD: intent},
            idempotent=False,
        )
        return parse_attachment(self._json(response))

    def delete_attachment(
        self, inspection_id: int, attachment_id: int, characteristic_id: int | None = None
    ) -> None:
        operation = "delete_line_attachment" if characteristic_id else "delete_attachment"
        self._call("DELETE", operation, id=inspection_id, cid=characteristic_id, aid=attachment_id)

    def download_attachment(
        self, inspection_id: int, attachment_id: int, characteristic_id: int | None = None
    ) -> DownloadedFile:
        """The whole file in memory (at most `max_download_bytes`); `open_attachment` streams."""
        with self.open_attachment(inspection_id, attachment_id, characteristic_id) as stream:
            content = b"".join(stream)
        return DownloadedFile(content, stream.content_type, stream.file_name)

    def open_attachment(
        self, inspection_id: int, attachment_id: int, characteristic_id: int | None = None
    ) -> DownloadStream:
        """The file as a stream of chunks, refused up front when its declared size is over
        `max_download_bytes` and cut off when its bytes pass it. Close it when done."""
        operation = "get_line_attachment" if characteristic_id else "get_attachment"
        deadline = Deadline(self.total_timeout, f"the download of attachment {attachment_id}")
        try:
            response = self._call(
                "GET",
                operation,
                suffix="/content",
                stream=True,
                deadline=deadline,
                id=inspection_id,
                cid=characteristic_id,
                aid=attachment_id,
            )
            refuse_if_declared_over(response, self.max_download_bytes, deadline.what)
        except BaseException:
            deadline.cancel()
            raise
        return DownloadStream(response, deadline, self.max_download_bytes, deadline.what)

    # --- Core reference data (names) ----------------------------------------------------

    @property
    def names_available(self) -> bool:
        """Whether names may be asked for: the feature on and its scopes not refused outright."""
        return self.names and not self._names_refused

    def try_names_again(self) -> None:
        """Ask for the names' scopes again with the next token (after one was refused or not
        granted: someone may have granted it in Coupa since)."""
        with self._token_lock:
            lacking = self._granted is not None and not self._granted >= set(NAME_SCOPES)
            if self.names and (self._names_refused or lacking):
                self._names_refused = False
                self._token = None

    def reference_page(
        self,
        kind: str,
        *,
        offset: int = 0,
        limit: int = PAGE_SIZE,
        updated_after: datetime | None = None,
        ids: Collection[int] | None = None,
    ) -> RecordList:
        """One page of Core's `kind` ("suppliers", "users", "uoms"): the readable records, with
        the skipped ones and how many came (`RecordList`). `updated_after`: only records changed
        after that moment; `ids`: only those (at most a page of them).

        Raises `CoupaScopeMissing` when the token lacks the kind's scope, `CoupaAnsweredXml`
        when Coupa answers XML."""
        params: dict[str, Any] = {
            "offset": offset,
            "limit": min(limit, PAGE_SIZE),
            "fields": wirejson.dumps(list(FIELDS[_reference_kind(kind)])),
        }
        if updated_after is not None:
            if updated_after.tzinfo is None:
                updated_after = updated_after.replace(tzinfo=UTC)
            # With its offset: requests sends the "+" as %2B, as Coupa needs it.
            params[UPDATED_AFTER] = updated_after.isoformat(timespec="seconds")
        if ids is not None:
            wanted = sorted(set(ids))
            if len(wanted) > PAGE_SIZE:
                raise ValueError(f"at most {PAGE_SIZE} ids a request, not {len(wanted)}")
            if not wanted:
                return RecordList()
            params[IDS_IN] = ",".join(str(i) for i in wanted)
        response = self._reference_call(kind, "reference_list", params=params)
        page = _list_in(self._json(response))
        if len(page.records) > MAX_PAGE_RECORDS:
            raise CoupaParseError(
                f"Coupa answered a list of {kind} with {len(page.records)} records, more than "
                f"the {MAX_PAGE_RECORDS} QualityHub reads in one page"
            )
        return parse_references(kind, page.records)

    def reference_record(self, kind: str, coupa_id: int) -> ReferenceRecord:
        """One record of Core's `kind` by id; `CoupaNotFound` when Coupa does not know it,
        `CoupaParseError` when it cannot be read."""
        params = {"fields": wirejson.dumps(list(FIELDS[_reference_kind(kind)]))}
        response = self._reference_call(kind, "reference_get", params=params, id=int(coupa_id))
        record = parse_reference(kind, self._json(response))
        if isinstance(record, Skipped):
            raise CoupaParseError(record.reason, record_id=coupa_id)
        return record

    def _reference_call(self, kind: str, operation: str, **options: Any) -> requests.Response:
        scope = SCOPES[_reference_kind(kind)]
        self._access_token()  # what was granted is known from the token answer
        if not self.names_available or (self._granted is not None and scope not in self._granted):
            raise _scope_missing(kind, scope, "Coupa did not grant it to QualityHub's token")
        try:
            response = self._call(
                "GET", operation, kind=kind, headers={"Accept": "application/json"}, **options
            )
        except CoupaAuthError as exc:
            if exc.status == 403:
                raise _scope_missing(kind, scope, exc.message, exc.status, exc.body) from exc
            raise
        except CoupaNotFound as exc:
            if exc.body.lstrip().startswith("<"):
                raise _answered_xml(kind) from exc
            raise
        content_type = response.headers.get("Content-Type", "").lower()
        if "xml" in content_type or response.content.lstrip()[:1] == b"<":
            raise _answered_xml(kind)
        return response

    # --- transport -----------------------------------------------------------------------

    def _call(
        self,
        method: str,
        operation: str,
        *,
        suffix: str = "",
        params: Mapping[str, Any] | None = None,
        data: Any = None,
        files: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = True,
        stream: bool = False,
        deadline: Deadline | None = None,
        **path_params: Any,
    ) -> requests.Response:
        """One call, retries and token included, within one deadline (its own unless given).
        The answer comes back read unless `stream`: then a success comes back unread, and the
        deadline given runs on until the caller cancels it."""
        own_deadline = deadline is None
        deadline = deadline or Deadline(self.total_timeout, f"{method} {operation}")
        try:
            return self._call_within(
                deadline,
                method,
                operation,
                self.base_url + path_for(self.api_style, operation, **path_params) + suffix,
                request={"params": params, "data": data, "files": files},
                headers=headers,
                idempotent=idempotent,
                stream=stream,
            )
        finally:
            if own_deadline:
                deadline.cancel()

    def _call_within(
        self,
        deadline: Deadline,
        method: str,
        operation: str,
        url: str,
        *,
        request: dict[str, Any],
        headers: Mapping[str, str] | None,
        idempotent: bool,
        stream: bool,
    ) -> requests.Response:
        renewed_after_401 = False
        attempt = 0
        while True:
            attempt += 1
            if deadline.passed():
                raise deadline.error()
            _rewind(request["files"])
            token = self._access_token(deadline)
            request_headers = {"Authorization": f"Bearer {token}", **(headers or {})}
            self._pace()
            try:
                response = self._attempt(
                    deadline, method, url, stream=stream, headers=request_headers, **request
                )
            except requests.RequestException as exc:
                sent = _maybe_sent(exc)
                if deadline.passed():
                    raise deadline.error(maybe_applied=sent and not idempotent) from exc
                if (idempotent or not sent) and attempt < self.max_attempts:
                    self._sleep(min(self._backoff(attempt), deadline.remaining()))
                    continue
                raise CoupaUnavailable(
                    f"Coupa did not answer {method} {operation}: {_describe(exc)}",
                    maybe_applied=sent and not idempotent,
                ) from exc
            logger.debug("coupa %s %s -> %s", method, response.url, response.status_code)
            if response.status_code == 401 and not renewed_after_401:
                renewed_after_401 = True
                self._forget_token(token)
                attempt -= 1  # a renewed token is not a retry
                continue
            if response.status_code in RETRYABLE_STATUSES:
                wait = self._wait_before_retry(response, attempt, idempotent)
                if wait is not None and wait < deadline.remaining():
                    self._sleep(wait)
                    continue
            if response.status_code >= 400:
                raise _error_for(response, method, operation, idempotent)
            return response

    def _attempt(
        self, deadline: Deadline, method: str, url: str, *, stream: bool = False, **kwargs: Any
    ) -> requests.Response:
        """One request; its body read within the cap, unless `stream` and it succeeded."""
        with deadline.applies():
            response = self._session.request(
                method, url, stream=True, timeout=deadline.timeouts(*self.timeout), **kwargs
            )
        if not (stream and response.status_code < 400):
            # Read here, counted, instead of by requests all at once and unbounded.
            response._content = read_capped(
                response, deadline, self.max_response_bytes, deadline.what
            )
        return response

    def _wait_before_retry(
        self, response: requests.Response, attempt: int, idempotent: bool
    ) -> float | None:
        """Seconds to wait before retrying, or None when this answer must not be retried."""
        if attempt >= self.max_attempts:
            return None
        # 429 and 503 mean the request was turned away before it ran, so even a create may go again.
        if not idempotent and response.status_code not in (429, 503):
            return None
        retry_after = _retry_after_seconds(response)
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        return self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _access_token(self, deadline: Deadline | None = None) -> str:
        if deadline is None:  # asked outside a call: a deadline of its own
            deadline = Deadline(self.total_timeout, "the token request")
            try:
                return self._access_token(deadline)
            finally:
                deadline.cancel()
        with self._token_lock:
            if self._token is None or time.monotonic() >= self._token_renew_at:
                self._token, lifetime = self._fetch_token(deadline)
                # Renew with a sixth of the lifetime left (about 20 h into Coupa's 24 h tokens).
                self._token_renew_at = time.monotonic() + lifetime * 5 / 6
            return self._token

    def _forget_token(self, refused: str) -> None:
        """Drop the token Coupa refused, unless another thread already replaced it (the sync
        reads pages ahead in a second thread: both may hold the old one when it expires)."""
        with self._token_lock:
            if self._token == refused:
                self._token = None

    def _requested_scopes(self) -> tuple[str, ...]:
        if self.names_available:
            return self._scopes + tuple(s for s in NAME_SCOPES if s not in self._scopes)
        return self._scopes

    def _fetch_token(self, deadline: Deadline) -> tuple[str, float]:
        asked_names = self.names_available
        response = self._token_answer(deadline, self._requested_scopes())
        refused = response.status_code == 400 and _oauth_error(response) == "invalid_scope"
        if asked_names and refused:
            # A Coupa whose OAuth client may not have the names' scopes: the inspections go on
            # without names, once more without them.
            logger.warning(
                "Coupa refused the Core scopes %s (%s); names stay unavailable until the next "
                "full names refresh",
                " ".join(NAME_SCOPES),
                _error_message(response),
            )
            self._names_refused = True
            response = self._token_answer(deadline, self._requested_scopes())
        if response.status_code in (400, 401, 403):
            raise CoupaAuthError(
                f"Coupa refused the client credentials: {_error_message(response)}",
                status=response.status_code,
                body=response.text,
            )
        if response.status_code >= 400:
            raise CoupaUnavailable(
                f"Coupa's token endpoint answered {response.status_code}",
                status=response.status_code,
                body=response.text,
                retry_after=_retry_after_seconds(response),
            )
        payload = self._json(response)
        token = payload.get("access_token") if isinstance(payload, Mapping) else None
        if not token:
            raise CoupaAuthError("Coupa's token answer has no access_token", body=response.text)
        granted = payload.get("scope")
        self._granted = frozenset(granted.split()) if isinstance(granted, str) else None
        return str(token), float(payload.get("expires_in") or 3600)

    def _token_answer(self, deadline: Deadline, scopes: tuple[str, ...]) -> requests.Response:
        """The token endpoint's answer to a request for `scopes`, after the short retries."""
        client_id, client_secret = self._credentials
        form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            "scope": " ".join(scopes),
        }
        for attempt in range(1, self.max_attempts + 1):
            if deadline.passed():
                raise deadline.error()
            self._pace()
            try:
                response = self._attempt(deadline, "POST", self.token_url, data=form)
            except requests.RequestException as exc:
                if deadline.passed():
                    raise deadline.error() from exc
                if attempt == self.max_attempts:
                    raise CoupaUnavailable(f"Coupa's token endpoint: {_describe(exc)}") from exc
                self._sleep(min(self._backoff(attempt), deadline.remaining()))
                continue
            if response.status_code in RETRYABLE_STATUSES and attempt < self.max_attempts:
                retry_after = _retry_after_seconds(response)
                wait = retry_after if retry_after is not None else self._backoff(attempt)
                if wait < deadline.remaining():
                    self._sleep(wait)
                    continue
            break
        return response

    @staticmethod
    def _json(response: requests.Response) -> Any:
        try:
            return wirejson.loads(response.content)
        except ValueError as exc:
            raise CoupaParseError(
                f"Coupa answered {response.request.method} {response.url} with something "
                f"that is not JSON: {response.text[:120]!r}"
            ) from exc

    def _inspection_or_none(self, response: requests.Response) -> Inspection | None:
        if not response.content.strip():
            return None
        payload = self._json(response)
        return parse_inspection(payload) if isinstance(payload, Mapping) else None


class Pacer:
    """Spaces requests to stay under Coupa's rate limit (25/s documented) instead of
    collecting 429s; 0 turns it off. Per process: workers on several machines share the limit,
    so set it to the limit divided by the number of processes that call Coupa at once."""

    def __init__(self, per_second: float, sleep: Callable[[float], None]) -> None:
        self.interval = 1 / per_second if per_second > 0 else 0.0
        self.sleep = sleep
        self.next_at = 0.0
        self.lock = threading.Lock()

    def __call__(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            wait = self.next_at - now
            self.next_at = max(now, self.next_at) + self.interval
        if wait > 0:
            self.sleep(wait)


class PageWalk:
    """Iterates the list endpoint page by page, ending on a short or empty page.

    Guards against a server that ignores `offset`: a page holding only records already seen
    ends the walk (instead of looping) and sets `truncated`, so a caller does not take the walk
    for the whole data set. A server that ignores `limit` is followed by the offset of what came.
    `doubt` says why the pages walked cannot be taken for the whole list ("" when they can).
    """

    def __init__(self, client: CoupaClient, filters: dict[str, Any], page_size: int) -> None:
        self.client = client
        self.filters = filters
        self.page_size = page_size
        self.truncated = False
        self.ended = False  # on a short or empty page, as a whole list ends
        self.undocumented = False  # a page came as an object the client had to guess at

    @property
    def doubt(self) -> str:
        if self.truncated:
            return "Coupa ignored paging offsets; only the first page could be read"
        if self.undocumented:
            return "Coupa answered a list request with an object of unknown shape"
        if not self.ended:
            return "the walk stopped before the list's end"
        return ""

    def __iter__(self) -> Iterator[list[Any]]:
        # Only the first and the previous page are remembered, so memory stays flat however
        # many records there are: a server ignoring offset repeats one of those two.
        first: set[Any] = set()
        previous: set[Any] = set()
        offset = 0
        while True:
            page = self.client.read_list_page(offset=offset, limit=self.page_size, **self.filters)
            records = page.records
            self.undocumented = self.undocumented or not page.documented
            ids = {r.get("id") if isinstance(r, Mapping) else None for r in records}
            if records and offset and (ids <= first or ids <= previous):
                logger.warning("Coupa repeated a page at offset %s: it ignores offset", offset)
                self.truncated = True
                return
            if not records:
                self.ended = True
                return
            first = first or ids
            previous = ids
            yield records
            if len(records) < self.page_size:
                self.ended = True
                return
            offset += len(records)


def client_from_settings() -> CoupaClient:
    """The process's shared client, built from Django settings (rebuilt if they change)."""
    from django.conf import settings

    key = (
        settings.COUPA_BASE_URL,
        settings.COUPA_CLIENT_ID,
        settings.COUPA_CLIENT_SECRET,
        settings.COUPA_TOKEN_URL,
        settings.COUPA_API_STYLE,
        settings.COUPA_CONNECT_TIMEOUT,
        settings.COUPA_READ_TIMEOUT,
        settings.COUPA_TOTAL_TIMEOUT,
        settings.COUPA_MAX_RESPONSE_BYTES,
        settings.COUPA_MAX_DOWNLOAD_BYTES,
        settings.COUPA_MAX_ATTEMPTS,
        settings.COUPA_REQUESTS_PER_SECOND,
        settings.COUPA_NAMES,
    )
    cached = _shared_clients.get(key)
    if cached is None:
        cached = CoupaClient(
            settings.COUPA_BASE_URL,
            settings.COUPA_CLIENT_ID,
            settings.COUPA_CLIENT_SECRET,
            token_url=settings.COUPA_TOKEN_URL,
            api_style=settings.COUPA_API_STYLE,
            connect_timeout=settings.COUPA_CONNECT_TIMEOUT,
            read_timeout=settings.COUPA_READ_TIMEOUT,
            total_timeout=settings.COUPA_TOTAL_TIMEOUT,
            max_response_bytes=settings.COUPA_MAX_RESPONSE_BYTES,
            max_download_bytes=settings.COUPA_MAX_DOWNLOAD_BYTES,
            max_attempts=settings.COUPA_MAX_ATTEMPTS,
            requests_per_second=settings.COUPA_REQUESTS_PER_SECOND,
            names=settings.COUPA_NAMES,
        )
        _shared_clients.clear()
        _shared_clients[key] = cached
    return cached


_shared_clients: dict[tuple, CoupaClient] = {}


def _list_in(payload: Any) -> ListPage:
    """A bare array, or the list inside an envelope object: documented when it is one of these,
    not when it is the one list an object of unknown shape holds."""
    if isinstance(payload, list):
        return ListPage(payload, documented=True)
    if isinstance(payload, Mapping):
        for key in _ENVELOPE_KEYS:
            if isinstance(payload.get(key), list):
                return ListPage(payload[key], documented=True)
        lists = [value for value in payload.values() if isinstance(value, list)]
        if len(lists) == 1:
            return ListPage(lists[0], documented=False)
    raise CoupaParseError(f"Coupa answered a list request with {type(payload).__name__}")


def _reference_kind(kind: str) -> str:
    if kind not in REFERENCE_KINDS:
        raise ValueError(f"kind must be one of {REFERENCE_KINDS}, not {kind!r}")
    return kind


def _scope_missing(
    kind: str, scope: str, why: str, status: int | None = None, body: str = ""
) -> CoupaScopeMissing:
    return CoupaScopeMissing(
        f"Coupa refused to show {kind} ({why}): grant QualityHub's OAuth client the {scope} "
        f"scope in Coupa ({SCOPE_SETUP})",
        scope=scope,
        status=status,
        body=body,
    )


def _answered_xml(kind: str) -> CoupaAnsweredXml:
    return CoupaAnsweredXml(
        f"Coupa answered XML to a request for {kind}; QualityHub asks for JSON "
        "(Accept: application/json) and reads nothing else. Check that COUPA_BASE_URL is "
        "Coupa's own address and that no proxy in between drops the Accept header."
    )


def _oauth_error(response: requests.Response) -> str:
    try:
        payload = wirejson.loads(response.content)
    except ValueError:
        return ""
    error = payload.get("error") if isinstance(payload, Mapping) else None
    return error if isinstance(error, str) else ""


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value


def _rewind(files: Mapping[str, Any] | None) -> None:
    for entry in (files or {}).values():
        handle = entry[1] if isinstance(entry, tuple) else entry
        if hasattr(handle, "seek"):
            handle.seek(0)


def _maybe_sent(exc: requests.RequestException) -> bool:
    """False only when the request certainly never reached Coupa (no connection was made)."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    if isinstance(exc, requests.ConnectionError):
        text = str(exc)
        return not any(
            marker in text
            for marker in ("NewConnectionError", "Connection refused", "Name or service")
        )
    return True


def _describe(exc: Exception) -> str:
    if isinstance(exc, requests.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, requests.ReadTimeout):
        return "no answer within the read timeout"
    if isinstance(exc, requests.ConnectionError):
        return "connection failed"
    return type(exc).__name__


def _retry_after_seconds(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _field_errors(payload: Any) -> dict[str, list[str]]:
    """Coupa services disagree on error bodies; read the shapes we know."""
    if not isinstance(payload, Mapping):
        return {}
    errors = payload.get("errors")
    if isinstance(errors, Mapping):
        return {
            str(field): [str(m) for m in (messages if isinstance(messages, list) else [messages])]
            for field, messages in errors.items()
        }
    if isinstance(errors, list):
        return {"base": [str(m) for m in errors]}
    causes = payload.get("error_causes")
    if isinstance(causes, list):
        return {"base": [str(c.get("error_sub_code_desc", c)) for c in causes]}
    message = payload.get("error_description") or payload.get("error_summary")
    message = message or payload.get("error") or payload.get("message")
    return {"base": [str(message)]} if message else {}


def _error_message(response: requests.Response) -> str:
    try:
        errors = _field_errors(wirejson.loads(response.content))
    except ValueError:
        errors = {}
    if errors:
        return "; ".join(
            (msg if field == "base" else f"{field}: {msg}")
            for field, messages in errors.items()
            for msg in messages
        )
    return f"HTTP {response.status_code} {response.reason or ''}".strip()


def _error_for(
    response: requests.Response, method: str, operation: str, idempotent: bool
) -> CoupaError:
    status = response.status_code
    message = _error_message(response)
    body = response.text
    if status in (401, 403):
        return CoupaAuthError(f"Coupa refused access: {message}", status=status, body=body)
    if status == 404:
        return CoupaNotFound(message, status=status, body=body)
    if status in RETRYABLE_STATUSES:
        return CoupaUnavailable(
            f"Coupa is unavailable ({status}): {message}",
            status=status,
            body=body,
            retry_after=_retry_after_seconds(response),
            maybe_applied=not idempotent and status not in (429, 503),
        )
    if 400 <= status < 500:
        try:
            field_errors = _field_errors(wirejson.loads(response.content))
        except ValueError:
            field_errors = {}
        return CoupaValidationError(message, field_errors=field_errors, status=status, body=body)
    return CoupaError(
        f"Coupa answered {status} to {method} {operation}: {message}", status=status, body=body
    )
