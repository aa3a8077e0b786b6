"""The production stack as `make prod` runs it: gunicorn, whitenoise, the production settings.

One gunicorn with 2 workers on a free port, DEBUG off, TLS terminated by a (pretend) proxy.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.sandbox_process import PROJECT_ROOT, wait_until_healthy

HTTPS = {"X-Forwarded-Proto": "https"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """(base URL, gunicorn's log file)."""
    root = tmp_path_factory.mktemp("production")
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "STATIC_", "DJANGO_SETTINGS", "QUALITYHUB_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="qualityhub.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_PROXY_SSL_HEADER="1",
        QUALITYHUB_VAR_DIR=str(root / "var"),
        STATIC_ROOT=str(root / "static"),
        DATABASE_URL=f"sqlite:///{root / 'db.sqlite3'}",
        CELERY_BROKER_URL="filesystem://",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + command, cwd=PROJECT_ROOT, env=env, check=True, timeout=120)
    log = (root / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:qualityhub.gunicorn", "qualityhub.wsgi"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, root / "gunicorn.log")
        yield url, root / "gunicorn.log"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture
def production(stack) -> str:
    return stack[0]


def test_plain_http_is_sent_to_https(production) -> None:
    response = requests.get(f"{production}/accounts/login/", allow_redirects=False, timeout=5)
    assert response.status_code == 301
    host = production.removeprefix("http://")
    assert response.headers["Location"] == f"https://{host}/accounts/login/"


def test_a_page_carries_the_security_headers(production) -> None:
    response = requests.get(f"{production}/accounts/login/", headers=HTTPS, timeout=5)
    assert response.status_code == 200
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", csp).group(1)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert all(f'nonce="{nonce}"' in tag for tag in re.findall(r"<script[^>]*>", response.text))
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    cookie = headers["Set-Cookie"]
    assert "csrftoken=" in cookie and "Secure" in cookie and "HttpOnly" in cookie


def test_static_files_come_from_whitenoise_with_hashed_names(production) -> None:
    page = requests.get(f"{production}/accounts/login/", headers=HTTPS, timeout=5).text
    css = re.search(r'href="(/static/qualityhub/app\.[0-9a-f]{12}\.css)"', page).group(1)
    response = requests.get(f"{production}{css}", headers=HTTPS, timeout=5)
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert "htmx-indicator" in response.text


def test_favicon_ico_leads_a_stranger_to_the_hashed_icon(production) -> None:
    response = requests.get(f"{production}/favicon.ico", headers=HTTPS, timeout=5)
    assert response.status_code == 200 and response.history[0].status_code == 302
    assert re.search(r"/static/qualityhub/favicon\.[0-9a-f]{12}\.svg$", response.url)
    assert response.headers["Content-Type"].startswith("image/svg+xml")


def test_healthz_answers_a_plain_http_probe_by_address(production) -> None:
    host = production.removeprefix("http://")
    response = requests.get(f"http://{host}/healthz", headers={"Host": "10.0.0.5"}, timeout=5)
    assert response.status_code == 200 and response.json()["database"]["ok"] is True


def test_requests_are_logged_once_each_with_an_id(production, stack) -> None:
    response = requests.get(f"{production}/accounts/login/?probe=1", headers=HTTPS, timeout=5)
    rid = response.headers["X-Request-ID"]
    log = stack[1].read_text()
    lines = [line for line in log.splitlines() if rid in line]
    assert len(lines) == 1, log
    assert "qualityhub.request GET /accounts/login/ 200" in lines[0]
