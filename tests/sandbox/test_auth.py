"""OAuth2 api credentials and Bearer checks."""

from __future__ import annotations

import time

from .helpers import READ, SEED, WRITE, Client


def test_form_credentials_grant_both_scopes_by_default(api: Client) -> None:
    reply = api.token_reply()
    assert reply.status == 200
    body = reply.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 86399
    assert body["scope"].split() == [READ, WRITE]
    assert len(body["access_token"]) >= 32
    assert api.get(f"{SEED}/1", body["access_token"]).status == 200


def test_basic_credentials(api: Client) -> None:
    reply = api.token_reply(READ, basic=True)
    assert reply.status == 200
    assert reply.json()["scope"] == READ


def test_bad_secret_is_invalid_client(api: Client) -> None:
    for basic in (False, True):
        reply = api.token_reply(secret="wrong", basic=basic)
        assert reply.status == 401
        assert reply.json()["error"] == "invalid_client"


def test_unknown_scope_and_grant(api: Client) -> None:
    reply = api.token_reply(f"{READ} core.accounting.read")
    assert (reply.status, reply.json()["error"]) == (400, "invalid_scope")
    reply = api.token_reply(grant_type="authorization_code")
    assert (reply.status, reply.json()["error"]) == (400, "unsupported_grant_type")


def test_token_endpoint_needs_post(api: Client) -> None:
    assert api.request("GET", "/oauth2/token").status == 405


def test_missing_and_unknown_tokens(api: Client) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        reply = api.request("GET", f"{SEED}/1", headers=headers)
        assert reply.status == 401
        assert reply.json()["error"] == "invalid_token"
        assert reply.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_bearer_scheme_is_case_insensitive(api: Client) -> None:
    token = api.token()
    reply = api.request("GET", f"{SEED}/1", headers={"Authorization": f"bearer {token}"})
    assert reply.status == 200


def test_scopes_are_enforced(api: Client) -> None:
    read_only = api.token(READ)
    assert api.get(SEED, read_only).status == 200
    reply = api.post(f"{SEED}/2/exported", token=read_only)
    assert (reply.status, reply.json()["error"]) == (403, "insufficient_scope")
    assert api.delete(f"{SEED}/1/attachments/1", read_only).status == 403
    write_only = api.token(WRITE)
    assert api.get(f"{SEED}/1", write_only).status == 403


def test_token_expiry(api: Client) -> None:
    api.configure(token_ttl=1)
    reply = api.token_reply()
    assert reply.json()["expires_in"] == 1
    token = reply.json()["access_token"]
    assert api.get(f"{SEED}/1", token).status == 200
    time.sleep(1.1)
    assert api.get(f"{SEED}/1", token).status == 401


def test_expire_tokens_endpoint(api: Client) -> None:
    token = api.token()
    assert api.control("POST", "expire-tokens").status == 200
    assert api.get(f"{SEED}/1", token).status == 401
