"""The client against a Coupa that drips its answers or sends too much: every call ends within
its total deadline, and no answer is read past its byte cap."""

from __future__ import annotations

import time

import pytest

from qualityhub.coupa import CoupaTooLarge, CoupaUnavailable
from qualityhub.coupa.client import CoupaClient
from tests.hostile_coupa import (
    HostileCoupa,
    download,
    drip,
    drip_headers,
    json_answer,
    padded_list,
)

DEADLINE = 1.5
MARGIN = 1.0
MB = 1024 * 1024
SLOW_BODY = b"[" + b" " * 1000 + b"]"  # 500 s at a byte every half second


def _client(server: HostileCoupa, **options) -> CoupaClient:
    options = {
        "total_timeout": DEADLINE,
        "read_timeout": 5.0,
        "backoff_base": 0.01,
        "backoff_cap": 0.05,
        **options,
    }
    return CoupaClient(server.url, "id", "secret", **options)


def _fails_in_time(call, error=CoupaUnavailable, match: str = "") -> Exception:
    started = time.monotonic()
    with pytest.raises(error, match=match) as failure:
        call()
    assert time.monotonic() - started < DEADLINE + MARGIN
    return failure.value


@pytest.mark.timeout(20)
def test_an_answer_dripped_a_byte_at_a_time_fails_within_the_total_deadline(hostile) -> None:
    hostile.on("list", drip(SLOW_BODY))
    client = _client(hostile)
    _fails_in_time(client.list_page, match=r"Coupa took longer than 1\.5 s to answer GET list")


@pytest.mark.timeout(20)
def test_the_deadline_holds_across_retries(hostile) -> None:
    hostile.on("get", drip(SLOW_BODY))
    client = _client(hostile, max_attempts=4)
    _fails_in_time(lambda: client.get_inspection(1), match="took longer than")


@pytest.mark.timeout(20)
def test_headers_dripped_a_byte_at_a_time_fail_within_the_total_deadline(hostile) -> None:
    hostile.on("list", drip_headers())
    client = _client(hostile)
    _fails_in_time(client.list_page, match="took longer than")


@pytest.mark.timeout(20)
def test_a_dripping_token_endpoint_fails_within_the_total_deadline(hostile) -> None:
    hostile.on("token", drip(b'{"access_token": "x", "expires_in": 60}' + b" " * 1000))
    hostile.on("list", json_answer([]))
    client = _client(hostile)
    _fails_in_time(client.list_page, match="took longer than 1.5 s to answer")


@pytest.mark.timeout(20)
def test_a_dripping_download_fails_within_the_total_deadline(hostile) -> None:
    hostile.on("download", drip(b"%PDF-" + b"x" * 1000))
    client = _client(hostile)
    _fails_in_time(lambda: client.download_attachment(1, 2), match="took longer than")


@pytest.mark.parametrize("content_length", [True, False], ids=["declared", "undeclared"])
def test_a_list_answer_over_the_cap_is_refused_without_reading_it_all(
    hostile, content_length
) -> None:
    hostile.on("list", padded_list([], 50 * MB, content_length=content_length))
    client = _client(hostile, max_response_bytes=1 * MB, max_attempts=4)
    started = time.monotonic()
    with pytest.raises(CoupaTooLarge, match=r"more than 1 MB") as refused:
        client.list_page()
    assert time.monotonic() - started < 2.0
    assert refused.value.limit == 1 * MB
    assert hostile.requests.count("list") == 1  # not retried: it would be as large again


def test_an_answer_within_the_cap_is_read_whole(hostile) -> None:
    records = [{"id": n} for n in range(1, 51)]
    hostile.on("list", padded_list(records, MB - 100, content_length=False))
    client = _client(hostile, max_response_bytes=1 * MB)
    assert [r["id"] for r in client.list_page()] == list(range(1, 51))


@pytest.mark.parametrize(
    "declared", ["true", None, 1000], ids=["declared", "undeclared", "understated"]
)
def test_a_download_over_the_cap_is_refused(hostile, declared) -> None:
    hostile.on("download", download(3 * MB, declared=declared))
    client = _client(hostile, max_download_bytes=2 * MB)
    if declared == 1000:  # the body stops where its Content-Length says: 1000 bytes, in cap
        assert len(client.download_attachment(1, 2).content) == 1000
        return
    with pytest.raises(CoupaTooLarge, match=r"more than 2 MB"):
        client.download_attachment(1, 2)


def test_a_download_streams_in_chunks_and_closes_its_answer(hostile) -> None:
    hostile.on("download", download(5 * MB, declared=None))
    client = _client(hostile, max_download_bytes=8 * MB)
    with client.open_attachment(1, 2) as stream:
        assert stream.size is None and stream.content_type == "application/pdf"
        assert stream.file_name == "big.pdf"
        sizes = [len(chunk) for chunk in stream]
    assert sum(sizes) == 5 * MB and max(sizes) <= 64 * 1024
    assert stream.closed
