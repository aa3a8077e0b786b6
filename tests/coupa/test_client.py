"""The Coupa client against the sandbox over real HTTP, in both path families."""

from __future__ import annotations

import io
import time
from dataclasses import asdict
from decimal import Decimal
from typing import Any

import pytest

from qualityhub.coupa import (
    CoupaAuthError,
    CoupaNotFound,
    CoupaParseError,
    CoupaUnavailable,
    CoupaValidationError,
)
from qualityhub.coupa.client import READ_SCOPE, CoupaClient
from qualityhub.coupa.schemas import parse_inspection
from tests.conftest import client_for, load_example

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _operations(server) -> dict[str, int]:
    return server.request_count()["by_operation"]


def _without_ids_and_times(value: Any) -> Any:
    volatile = {"id", "inspection_id", "created_at", "modified_at"}
    if isinstance(value, dict):
        return {k: _without_ids_and_times(v) for k, v in value.items() if k not in volatile}
    if isinstance(value, list | tuple):
        return [_without_ids_and_times(v) for v in value]
    return value


# --- every operation, both path styles ----------------------------------------------------


def test_it_lists_inspections_in_id_order(coupa_client: CoupaClient) -> None:
    client = coupa_client
    page = client.list_page(limit=10)
    assert [record["id"] for record in page] == list(range(1, 11))


def test_it_gets_the_spec_example_inspection_with_exact_decimals(coupa_client: CoupaClient) -> None:
    client = coupa_client
    inspection = client.get_inspection(1)
    residue = inspection.characteristics[1]
    assert residue.name == "Non-volatile residue"
    assert str(residue.expected.numeric_value) == "0.320000000"
    assert residue.expected.value_precision == 2
    assert [str(limit.value) for limit in residue.limits] == ["0.000000", "0.100000"]
    assert residue.recorded.numeric_value == Decimal("0.05")
    assert str(inspection.item_quantity) == "50.000000"
    assert inspection.status == "Closed"
    assert inspection.characteristics[0].recorded.code == "1"


def test_the_spec_example_request_creates_the_spec_example_response(
    coupa_client: CoupaClient,
) -> None:
    client = coupa_client
    created = client.create_inspection(load_example("seed_create_request.json"))
    expected = parse_inspection(load_example("seed_create_response.json"))
    assert created.id != 606
    assert _without_ids_and_times(asdict(created)) == _without_ids_and_times(asdict(expected))
    assert client.get_inspection(created.id).external_inspection_id == "EXT_QI_004"


def test_a_created_inspection_can_be_found_by_its_external_id(coupa_client: CoupaClient) -> None:
    client = coupa_client
    request = load_example("seed_create_request.json")
    request["externalInspectionId"] = f"EXT-{client.api_style}-{time.monotonic_ns()}"
    created = client.create_inspection(request)
    found = client.find_by_external_id(request["externalInspectionId"])
    assert found is not None and found.id == created.id
    assert client.find_by_external_id("no-such-external-id") is None


def test_it_marks_and_resets_the_exported_flag(coupa_client: CoupaClient) -> None:
    client = coupa_client
    marked = client.mark_exported(2)
    assert marked is not None and marked.exported is True
    assert client.get_inspection(2).exported is True
    reset = client.reset_exported(2)
    assert reset is not None and reset.exported is False
    assert client.get_inspection(2).exported is False


def test_it_uploads_lists_downloads_and_deletes_header_attachments(
    coupa_client: CoupaClient,
) -> None:
    client = coupa_client
    uploaded = client.upload_attachment(
        3, io.BytesIO(PDF_BYTES), "CoA lot 7.pdf", "application/pdf"
    )
    assert uploaded.file_name == "CoA lot 7.pdf"
    assert uploaded.size == len(PDF_BYTES)
    assert uploaded.characteristic_id is None
    assert uploaded.id in [a.id for a in client.list_attachments(3)]
    assert client.get_attachment(3, uploaded.id).file_name == "CoA lot 7.pdf"
    downloaded = client.download_attachment(3, uploaded.id)
    assert downloaded.content == PDF_BYTES
    assert downloaded.content_type == "application/pdf"
    client.delete_attachment(3, uploaded.id)
    assert uploaded.id not in [a.id for a in client.list_attachments(3)]
    with pytest.raises(CoupaNotFound):
        client.get_attachment(3, uploaded.id)


def test_it_uploads_lists_downloads_and_deletes_line_attachments(coupa_client: CoupaClient) -> None:
    client = coupa_client
    line = client.get_inspection(4).characteristics[0]
    uploaded = client.upload_attachment(
        4, io.BytesIO(b"\x89PNG\r\n\x1a\nrest"), "photo.png", "image/png", characteristic_id=line.id
    )
    assert uploaded.characteristic_id == line.id
    listed = client.list_attachments(4, characteristic_id=line.id)
    assert [a.id for a in listed] == [uploaded.id]
    assert uploaded.id not in [a.id for a in client.list_attachments(4)]
    fetched = client.get_attachment(4, uploaded.id, characteristic_id=line.id)
    assert fetched.content_type == "image/png"
    assert client.download_attachment(4, uploaded.id, line.id).content.startswith(b"\x89PNG")
    client.delete_attachment(4, uploaded.id, characteristic_id=line.id)
    assert client.list_attachments(4, characteristic_id=line.id) == []


def test_an_unknown_inspection_is_not_found(coupa_client: CoupaClient) -> None:
    client = coupa_client
    with pytest.raises(CoupaNotFound, match="999999"):
        client.get_inspection(999999)


def test_a_refused_upload_says_why(coupa_client: CoupaClient) -> None:
    client = coupa_client
    with pytest.raises(CoupaValidationError) as refused:
        client.upload_attachment(3, io.BytesIO(b""), "empty.pdf", "application/pdf")
    assert "empty" in str(refused.value)
    assert refused.value.status == 422


def test_validation_errors_name_every_missing_field(coupa_client: CoupaClient) -> None:
    client = coupa_client
    with pytest.raises(CoupaValidationError) as refused:
        client.create_inspection({"type": "inspection", "characteristics": []})
    assert {"dueDate", "supplierId", "itemQuantity", "uom", "requestedBy"} <= set(
        refused.value.field_errors
    )


# --- paging --------------------------------------------------------------------------------


def test_the_page_iterator_walks_every_record_once(coupa) -> None:
    client = client_for(coupa)
    ids = [record["id"] for page in client.iter_pages() for record in page]
    assert len(ids) >= 300
    assert ids == sorted(set(ids))
    # 300 seeded records plus any the other tests created, 50 at a time, ending on a short page.
    assert _operations(coupa)["list"] == len(ids) // 50 + 1


def test_the_page_iterator_passes_filters(coupa) -> None:
    client = client_for(coupa)
    records = [r for page in client.iter_pages({"status": "Closed"}) for r in page]
    assert len(records) > 0
    assert {r["status"] for r in records} == {"Closed"}


def test_the_page_iterator_stops_when_the_server_ignores_offset(coupa) -> None:
    coupa.configure(ignore_offset=True)
    client = client_for(coupa)
    walk = client.iter_pages()
    assert len(list(walk)) == 1
    assert walk.truncated is True
    assert _operations(coupa)["list"] == 2


def test_the_page_iterator_reads_an_envelope(coupa) -> None:
    coupa.configure(list_envelope=True)
    client = client_for(coupa)
    ids = [record["id"] for page in client.iter_pages() for record in page]
    assert len(ids) >= 300 and ids[:3] == [1, 2, 3]


def test_malformed_records_raise_a_parse_error_naming_the_record(coupa) -> None:
    coupa.configure(malformed_rate=0.2)
    bad_ids = set(coupa.control("GET", "malformed")["ids"])
    client = client_for(coupa)
    failures: dict[int, str] = {}
    for page in client.iter_pages():
        for record in page:
            try:
                parse_inspection(record)
            except CoupaParseError as error:
                failures[error.record_id] = str(error)
    assert set(failures) == bad_ids
    assert all(f"inspection {record_id}:" in message for record_id, message in failures.items())


# --- auth ----------------------------------------------------------------------------------


def test_wrong_credentials_are_an_auth_error(coupa) -> None:
    client = CoupaClient(coupa.url, "sandbox", "wrong-secret")
    with pytest.raises(CoupaAuthError, match="refused the client credentials"):
        client.get_inspection(1)


def test_a_token_without_the_write_scope_cannot_write(coupa) -> None:
    client = client_for(coupa, scopes=(READ_SCOPE,))
    assert client.get_inspection(1).id == 1
    with pytest.raises(CoupaAuthError) as refused:
        client.mark_exported(1)
    assert refused.value.status == 403


def test_the_token_is_fetched_once_and_reused(coupa) -> None:
    client = client_for(coupa)
    for inspection_id in (1, 2, 3):
        client.get_inspection(inspection_id)
    assert _operations(coupa)["token"] == 1


def test_an_expired_token_is_renewed_once_on_401(coupa) -> None:
    client = client_for(coupa)
    client.get_inspection(1)
    coupa.control("POST", "expire-tokens", {})
    assert client.get_inspection(2).id == 2
    operations = _operations(coupa)
    assert operations["token"] == 2
    assert operations["get"] == 3  # the refused one and its retry with the new token


def test_a_token_is_renewed_before_it_expires(coupa) -> None:
    coupa.configure(token_ttl=1)
    client = client_for(coupa)
    client.get_inspection(1)
    time.sleep(1.0)
    client.get_inspection(2)
    operations = _operations(coupa)
    assert operations["token"] == 2
    assert operations["get"] == 2  # renewed ahead of time: no request was refused


# --- retries -------------------------------------------------------------------------------


class RecordingSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        time.sleep(seconds)


def test_a_429_with_retry_after_is_waited_out(coupa) -> None:
    sleep = RecordingSleep()
    client = client_for(coupa, sleep=sleep)
    client.get_inspection(1)
    coupa.configure(fail_next=[[429, 2]])
    started = time.monotonic()
    assert client.get_inspection(1).id == 1
    assert time.monotonic() - started >= 2
    assert sleep.waits == [2.0]


def test_a_burst_of_503_is_retried_until_it_passes(coupa) -> None:
    client = client_for(coupa)
    client.get_inspection(1)
    coupa.reset_request_count()
    coupa.configure(fail_next=[503, 503])
    assert client.get_inspection(1).id == 1
    assert _operations(coupa)["get"] == 3


def test_a_long_outage_gives_up_with_unavailable(coupa) -> None:
    client = client_for(coupa, max_attempts=3)
    client.get_inspection(1)
    coupa.reset_request_count()
    coupa.configure(fail_next=[502, 503, 504, 500])
    with pytest.raises(CoupaUnavailable) as outage:
        client.get_inspection(1)
    assert outage.value.status == 504
    assert _operations(coupa)["get"] == 3


def test_a_create_is_not_resent_after_a_server_error(coupa) -> None:
    client = client_for(coupa)
    client.get_inspection(1)
    coupa.reset_request_count()
    coupa.configure(fail_next=[500])
    with pytest.raises(CoupaUnavailable) as failure:
        client.create_inspection(load_example("seed_create_request.json"))
    assert failure.value.maybe_applied is True
    assert _operations(coupa)["create"] == 1


def test_a_create_turned_away_with_503_is_sent_again(coupa) -> None:
    client = client_for(coupa)
    coupa.configure(fail_next=[503])
    created = client.create_inspection(load_example("seed_create_request.json"))
    assert created.status == "Open"
    assert _operations(coupa)["create"] == 2


def test_a_hung_server_fails_within_the_read_timeout(coupa) -> None:
    client = client_for(coupa, read_timeout=0.5, max_attempts=1)
    client.get_inspection(1)
    coupa.configure(hang_next_seconds=3)
    started = time.monotonic()
    with pytest.raises(CoupaUnavailable, match="read timeout"):
        client.get_inspection(1)
    assert time.monotonic() - started < 1.5


def test_an_unreachable_coupa_is_unavailable(coupa) -> None:
    client = CoupaClient("http://127.0.0.1:9", "x", "y", max_attempts=2, backoff_base=0.01)
    with pytest.raises(CoupaUnavailable):
        client.get_inspection(1)


def test_the_client_paces_itself_below_coupas_rate_limit(coupa) -> None:
    client = client_for(coupa, requests_per_second=10)
    client.get_inspection(1)  # the token and the first call go at once
    started = time.monotonic()
    for _ in range(5):
        client.get_inspection(1)
    assert time.monotonic() - started >= 0.45
    assert _operations(coupa).get("rate_limited", 0) == 0
