"""Secrets come only from the environment or a `NAME_FILE`; with DEBUG off nothing falls back to
a default. Each case loads the real settings module in a fresh interpreter with a clean
environment, as a server would start.

(Sign-in throttling and `next` staying on the site are tested in tests/accounts/test_sign_in.py.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sandbox_process import PROJECT_ROOT

REAL_COUPA = "https://acme.coupahost.com"
# Prints the secret-bearing settings as JSON; a refusal ends the process with its message.
SHOW = """
import json, django
from django.conf import settings
mail = settings.MAILERS["default"].get("OPTIONS", {})
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "COUPA_CLIENT_ID": settings.COUPA_CLIENT_ID,
    "COUPA_CLIENT_SECRET": settings.COUPA_CLIENT_SECRET,
    "EMAIL_HOST_PASSWORD": mail.get("password"),
    "DATABASE_PASSWORD": settings.DATABASES["default"].get("PASSWORD"),
    "CACHE_URL": settings.CACHE_URL,
    "SENTRY_DSN": settings.SENTRY_DSN,
}))
"""


def start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "qualityhub.settings",
        "QUALITYHUB_VAR_DIR": str(tmp_path / "var"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=PROJECT_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def shown(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def refusal(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr, result.stderr[-2000:]
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("debug", [None, "0", "false", "off"])
def test_without_secret_key_the_settings_refuse_to_start_when_debug_is_off(tmp_path, debug):
    env = {} if debug is None else {"DEBUG": debug}
    assert "SECRET_KEY must be set" in refusal(start(tmp_path, **env))


def test_an_empty_secret_key_is_no_key(tmp_path) -> None:
    assert "SECRET_KEY must be set" in refusal(start(tmp_path, SECRET_KEY=""))


def test_only_debug_gets_the_development_key(tmp_path) -> None:
    settings = shown(start(tmp_path, DEBUG="1"))
    assert settings["SECRET_KEY"].startswith("django-insecure-")


@pytest.mark.parametrize(
    ("name", "setting"),
    [
        ("SECRET_KEY", "SECRET_KEY"),
        ("COUPA_CLIENT_SECRET", "COUPA_CLIENT_SECRET"),
        ("EMAIL_HOST_PASSWORD", "EMAIL_HOST_PASSWORD"),
    ],
)
def test_a_secret_may_come_from_a_file_named_by_name_file(tmp_path, name, setting) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-the-mounted-file-4f1c9a\n")  # a trailing newline is not part
    env = {
        "SECRET_KEY": "from-the-environment",
        f"{name}_FILE": str(secret_file),
        "EMAIL_HOST": "smtp.example.com",
        "COUPA_BASE_URL": REAL_COUPA,
        "COUPA_CLIENT_ID": "qualityhub",
        "COUPA_CLIENT_SECRET": "from-the-environment",
    }
    assert shown(start(tmp_path, **env))[setting] == "from-the-mounted-file-4f1c9a"


def test_an_unreadable_secret_file_is_refused_not_ignored(tmp_path) -> None:
    missing = tmp_path / "not-mounted"
    message = refusal(start(tmp_path, SECRET_KEY_FILE=str(missing)))
    assert "SECRET_KEY_FILE" in message and "cannot be read" in message


def test_no_secret_has_a_default_when_debug_is_off(tmp_path) -> None:
    """With DEBUG off every secret-bearing setting holds what the environment gave, or nothing."""
    settings = shown(
        start(
            tmp_path,
            SECRET_KEY="k" * 50,
            COUPA_BASE_URL=REAL_COUPA,
            COUPA_CLIENT_ID="qualityhub",
            COUPA_CLIENT_SECRET="s" * 40,
            EMAIL_HOST="smtp.example.com",
        )
    )
    assert settings["DEBUG"] is False
    assert (settings["SECRET_KEY"], settings["COUPA_CLIENT_SECRET"]) == ("k" * 50, "s" * 40)
    assert settings["EMAIL_HOST_PASSWORD"] is None
    assert not settings["DATABASE_PASSWORD"] and not settings["CACHE_URL"]
    assert not settings["SENTRY_DSN"]


@pytest.mark.parametrize("missing", ["COUPA_CLIENT_SECRET", "COUPA_CLIENT_ID"])
def test_a_real_coupa_never_gets_the_sandboxs_credentials(tmp_path, missing) -> None:
    """The sandbox's published client id and secret are defaults only for a sandbox on this
    machine; a deployment that forgets its own must not start."""
    env = {
        "SECRET_KEY": "k" * 50,
        "COUPA_BASE_URL": REAL_COUPA,
        "COUPA_CLIENT_ID": "qualityhub",
        "COUPA_CLIENT_SECRET": "s" * 40,
    }
    del env[missing]
    assert missing in refusal(start(tmp_path, **env))


def test_the_sandbox_on_this_machine_keeps_its_published_credentials(tmp_path) -> None:
    settings = shown(start(tmp_path, SECRET_KEY="k" * 50))
    assert (settings["COUPA_CLIENT_ID"], settings["COUPA_CLIENT_SECRET"]) == (
        "sandbox",
        "sandbox-secret",
    )
