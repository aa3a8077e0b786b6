"""The address the mails' links start with: set by QUALITYHUB_URL, else the first allowed host
over https in production, the demo's own address with DEBUG."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.sandbox_process import PROJECT_ROOT

SHOW = (
    "import django; django.setup(); from django.conf import settings;"
    " print(settings.QUALITYHUB_URL)"
)


def address(tmp_path, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=PROJECT_ROOT,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "qualityhub.settings",
            "QUALITYHUB_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "tests-only",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "1"}, "http://127.0.0.1:8000"),
        ({"ALLOWED_HOSTS": "qualityhub.acme.com,qh"}, "https://qualityhub.acme.com"),
        ({"ALLOWED_HOSTS": ".acme.com,qh.acme.com"}, "https://qh.acme.com"),
        (
            {"ALLOWED_HOSTS": "qh.acme.com", "QUALITYHUB_URL": "https://q.acme.com/"},
            "https://q.acme.com",
        ),
    ],
)
def test_the_mails_links_start_at_the_sites_address(tmp_path, env, expected) -> None:
    assert address(tmp_path, **env) == expected
