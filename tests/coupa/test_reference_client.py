"""The client's Core reference calls over real HTTP, against a Coupa that answers as each test
says: JSON asked for and only JSON read, only the fields shown asked for, filters spelled as Coupa
reads them, scopes asked for with the names and dropped when Coupa refuses them, and the same
retries, deadline and byte cap as every other call."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from qualityhub.coupa import CoupaAuthError, CoupaNotFound, CoupaParseError, CoupaTooLarge
from qualityhub.coupa.client import READ_SCOPE, CoupaClient
from qualityhub.coupa.errors import CoupaAnsweredXml, CoupaScopeMissing, CoupaUnavailable
from qualityhub.coupa.reference import SupplierRecord
from tests.hostile_coupa import HostileCoupa, drip, json_answer, padded_list, reference_lists

SUPPLIERS = [
    {"id": i, "name": f"Supplier & Sons {i}", "display-name": f"S&S {i}", "number": f"SUP-{i}",
     "status": "active", "updated-at": f"2026-12-0{1 + i % 5}T10:00:00-07:00"}
    for i in range(1, 121)
]  # fmt: skip


def _client(server: HostileCoupa, **options) -> CoupaClient:
    options = {"backoff_base": 0.01, "backoff_cap": 0.05, **options}
    return CoupaClient(server.url, "id", "secret", **options)


def _query(server: HostileCoupa, index: int = -1) -> dict[str, list[str]]:
    return parse_qs(urlsplit(server.paths[index]).query)


def _answer(body: bytes, content_type: str, status: int = 200):
    def answer(handler) -> None:
        handler.head(status, {"Content-Type": content_type, "Content-Length": str(len(body))})
        handler.body([body])

    return answer


def test_a_page_of_suppliers_asks_for_json_and_only_the_fields_shown(hostile) -> None:
    hostile.on("suppliers", reference_lists({"suppliers": SUPPLIERS})["suppliers"])
    page = _client(hostile).reference_page("suppliers", offset=50)
    assert [r.coupa_id for r in page] == list(range(51, 101))
    assert page[0] == SupplierRecord(
        51, "Supplier & Sons 51", "S&S 51", "SUP-51", "active",
        datetime(2026, 12, 2, 10, tzinfo=timezone(timedelta(hours=-7))),
    )  # fmt: skip
    query = _query(hostile)
    assert query["fields"] == ['["id","name","display-name","number","status","updated-at"]']
    assert (query["offset"], query["limit"]) == (["50"], ["50"])


def test_changes_since_a_moment_are_asked_with_its_offset_sent_as_2b(hostile) -> None:
    hostile.on("suppliers", reference_lists({"suppliers": SUPPLIERS})["suppliers"])
    since = datetime(2026, 12, 4, 17, 30, tzinfo=UTC).astimezone(timezone(timedelta(hours=2)))
    page = _client(hostile).reference_page("suppliers", updated_after=since)
    assert "updated-at%5Bgt%5D=2026-12-04T19%3A30%3A00%2B02%3A00" in hostile.paths[-1]
    assert {r.coupa_id % 5 for r in page} == {4}  # updated on the 5th only


def test_ids_are_asked_for_in_one_request_of_at_most_fifty(hostile) -> None:
    hostile.on("suppliers", reference_lists({"suppliers": SUPPLIERS})["suppliers"])
    client = _client(hostile)
    page = client.reference_page("suppliers", ids=[77, 3, 3, 999])
    assert sorted(r.coupa_id for r in page) == [3, 77]
    assert _query(hostile)["id[in]"] == ["3,77,999"]
    with pytest.raises(ValueError, match="at most 50 ids"):
        client.reference_page("suppliers", ids=range(1, 52))
    assert client.reference_page("suppliers", ids=[]) == []


def test_one_record_by_id_and_an_unknown_one(hostile) -> None:
    hostile.on(
        "users", reference_lists({"users": [{"id": 10, "fullname": "Lucie Moreau"}]})["users"]
    )
    client = _client(hostile)
    assert client.reference_record("users", 10).full_name == "Lucie Moreau"
    with pytest.raises(CoupaNotFound):
        client.reference_record("users", 11)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'<?xml version="1.0"?><suppliers type="array"><supplier/></suppliers>',
         "application/xml; charset=utf-8"),
        (b'  <suppliers type="array"></suppliers>', "application/json"),
        (b'{"id": 1}', "text/xml"),
    ],
)  # fmt: skip
def test_an_xml_answer_is_refused_with_what_to_check(hostile, body, content_type) -> None:
    hostile.on("suppliers", _answer(body, content_type))
    with pytest.raises(CoupaAnsweredXml, match="Coupa answered XML.*QualityHub asks for JSON"):
        _client(hostile).reference_page("suppliers")
    assert isinstance(CoupaAnsweredXml("x"), CoupaParseError)


def test_an_xml_not_found_is_reported_as_xml(hostile) -> None:
    body = b"<errors><error>No results match your search criteria.</error></errors>"
    hostile.on("uoms", _answer(body, "application/xml", status=404))
    with pytest.raises(CoupaAnsweredXml):
        _client(hostile).reference_page("uoms", ids=[4])


def test_a_403_names_the_scope_to_grant(hostile) -> None:
    hostile.on("users", json_answer({"error": "insufficient_scope"}, 403))
    with pytest.raises(CoupaScopeMissing) as refused:
        _client(hostile).reference_page("users")
    assert refused.value.scope == "core.user.read"
    assert isinstance(refused.value, CoupaAuthError)
    assert "grant QualityHub's OAuth client the core.user.read scope" in str(refused.value)
    assert "OAuth2/OpenID Connect Clients" in str(refused.value)


def test_the_token_asks_for_the_names_scopes_only_when_names_are_on(hostile) -> None:
    hostile.on("list", json_answer([]))
    _client(hostile).list_page()
    _client(hostile, names=False).list_page()
    with_names, without = (form["scope"][0].split() for form in hostile.token_forms)
    assert {"core.supplier.read", "core.user.read", "core.common.read"} <= set(with_names)
    assert not any(scope.startswith("core.") for scope in without)


def test_a_token_endpoint_refusing_the_names_scopes_is_asked_once_more_without_them(
    hostile,
) -> None:
    def token(handler) -> None:
        asked = handler.server.hostile.token_forms[-1]["scope"][0]
        if "core." in asked:
            json_answer({"error": "invalid_scope", "error_description": "Unknown scope"}, 400)(
                handler
            )
        else:
            json_answer({"access_token": "t", "expires_in": 3600, "scope": asked})(handler)

    hostile.on("token", token)
    hostile.on("list", json_answer([]))
    hostile.on("suppliers", json_answer([]))
    client = _client(hostile)
    assert client.list_page() == []  # the inspections are read all the same
    assert len(hostile.token_forms) == 2
    assert not client.names_available
    with pytest.raises(CoupaScopeMissing, match="core.supplier.read"):
        client.reference_page("suppliers")
    assert "suppliers" not in hostile.requests  # not asked: the token has no such scope
    client.try_names_again()
    with pytest.raises(CoupaScopeMissing):
        client.reference_page("suppliers")
    assert len(hostile.token_forms) == 4  # asked with the names once more, then without


def test_a_scope_the_token_answer_does_not_list_is_not_asked_for(hostile) -> None:
    granted = f"{READ_SCOPE} core.supplier.read core.common.read"
    hostile.on("token", json_answer({"access_token": "t", "expires_in": 3600, "scope": granted}))
    hostile.on("users", json_answer([]))
    hostile.on("uoms", json_answer([{"id": 1, "code": "KG"}]))
    client = _client(hostile)
    with pytest.raises(CoupaScopeMissing) as refused:
        client.reference_page("users")
    assert refused.value.scope == "core.user.read"
    assert "users" not in hostile.requests
    assert [u.code for u in client.reference_page("uoms")] == ["KG"]


def test_a_busy_coupa_is_retried_as_for_every_call(hostile) -> None:
    answers = iter([json_answer({"error": "busy"}, 503), json_answer([{"id": 1, "code": "KG"}])])
    hostile.on("uoms", lambda handler: next(answers)(handler))
    assert [u.code for u in _client(hostile).reference_page("uoms")] == ["KG"]
    assert hostile.requests.count("uoms") == 2


def test_an_answer_over_the_byte_cap_is_refused(hostile) -> None:
    hostile.on("suppliers", padded_list([{"id": 1, "name": "A"}], 4 * 1024 * 1024))
    with pytest.raises(CoupaTooLarge):
        _client(hostile, max_response_bytes=1024 * 1024).reference_page("suppliers")


@pytest.mark.timeout(20)
def test_a_dripped_answer_ends_within_the_total_deadline(hostile) -> None:
    hostile.on("uoms", drip(b"[" + b" " * 1000 + b"]"))
    started = time.monotonic()
    with pytest.raises(CoupaUnavailable, match="took longer than"):
        _client(hostile, total_timeout=1.5).reference_page("uoms")
    assert time.monotonic() - started < 3


def test_an_unknown_kind_is_refused_before_any_request(hostile) -> None:
    with pytest.raises(ValueError):
        _client(hostile).reference_page("invoices")
    assert hostile.requests == []
