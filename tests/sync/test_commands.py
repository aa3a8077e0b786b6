"""`coupa_sync` and `coupa_show` as an operator runs them."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from qualityhub.sync.models import SyncRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced_settings(make_sandbox, settings):
    server = make_sandbox(inspections=60)
    settings.COUPA_BASE_URL = server.url
    settings.COUPA_TOKEN_URL = server.url + "/oauth2/token"
    return server


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_coupa_sync_prints_a_summary(synced_settings) -> None:
    output = _run("coupa_sync", "--full")
    assert "Full sync succeeded" in output
    assert "created 60" in output


def test_coupa_sync_reports_skipped_records_without_failing(synced_settings) -> None:
    synced_settings.configure(malformed_rate=0.2)
    bad = synced_settings.control("GET", "malformed")["ids"]
    output = _run("coupa_sync", "--full", "--skip-attachments")
    assert f"skipped {len(bad)}" in output
    assert f"skipped inspection {bad[0]}:" in output


def test_coupa_sync_fails_loudly_when_coupa_is_down(synced_settings) -> None:
    synced_settings.configure(error_rate=1.0)
    with pytest.raises(CommandError, match="Sync failed"):
        _run("coupa_sync")
    assert SyncRun.objects.get().outcome == "failed"


def test_coupa_sync_refreshes_one_inspection(synced_settings) -> None:
    output = _run("coupa_sync", "--inspection", "1")
    assert "single inspection sync succeeded" in output.lower()


def test_coupa_show_prints_the_characteristics_table(synced_settings) -> None:
    _run("coupa_sync", "--inspection", "1")
    output = _run("coupa_show", "1")
    assert "Inspection 1" in output and "verdict fail" in output
    assert "Non-volatile residue" in output
    assert "> 0 and < 0.1" in output or "> 0.00 and < 0.10" in output
    assert "marginal" in output


def test_coupa_show_json_has_exact_decimal_strings(synced_settings) -> None:
    _run("coupa_sync", "--inspection", "1")
    shown = json.loads(_run("coupa_show", "1", "--json"))
    assert (shown["id"], shown["status"], shown["verdict"]) == (1, "Closed", "fail")
    by_name = {line["name"]: line for line in shown["characteristics"]}
    assert by_name["Color"] | {"reason": ""} == {
        "id": 1,
        "lineNum": 1,
        "name": "Color",
        "recorded": "1",
        "verdict": "fail",
        "reason": "",
    }
    assert by_name["Non-volatile residue"]["recorded"] == "0.05"
    assert by_name["Reducing substances"]["verdict"] == "marginal"


def test_coupa_show_exits_1_for_an_id_not_in_the_cache(db) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run("coupa_show", "424242")
    assert exit_info.value.code == 1
