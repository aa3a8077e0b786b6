"""A session ends on every web process: signing out, a password change, a removed role and a
deactivated user are refused at once by both workers of a production gunicorn.

gunicorn runs the production settings (DEBUG off) with two workers on the tests' own database,
once per documented cache choice. The changes a test makes itself (role, password, active
flag) are made here through the ORM, as an administrator's process would make them.
"""

from __future__ import annotations

import itertools
import os
import secrets
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

import pytest
import redis
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.db import connection

from qualityhub.accounts.roles import QUALITY_ENGINEER
from tests.conftest import make_user
from tests.faults.conftest import free_port
from tests.sandbox_process import PROJECT_ROOT, stop_process, wait_until_healthy

PASSWORD = "a-long-and-uncommon-password"
HTTPS = {"X-Forwarded-Proto": "https"}
# The documented cache choices: none (each process's memory), and a shared Redis.
CACHE_CHOICES = {"no CACHE_URL": "", "CACHE_URL=redis": "redis://127.0.0.1:6379/5"}
# After the change, 10 GETs and 10 htmx POSTs, each on a new connection (more until both
# workers have answered); before it, enough to put the session in both workers' memory.
PAIRS_AFTER = 10
PAIRS_BEFORE = 3
MAX_PAIRS = 100
_probes = itertools.count()


class Answer(NamedTuple):
    kind: str  # GET or POST
    status: int
    location: str


@dataclass(frozen=True)
class Web:
    url: str
    cache_url: str
    access_log: Path
    server_log: Path

    @property
    def origin(self) -> str:
        return self.url.replace("http://", "https://")


def _test_database_url() -> str:
    """The URL of the database the tests created, for gunicorn's DATABASE_URL."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    credentials = quote(config["USER"] or "", safe="")
    if config["PASSWORD"]:
        credentials += ":" + quote(config["PASSWORD"], safe="")
    return f"postgres://{credentials}@{config['HOST']}:{config['PORT'] or 5432}/{config['NAME']}"


def _redis_is_up(url: str) -> bool:
    try:
        redis.Redis.from_url(url, socket_timeout=2).flushdb()
    except redis.ConnectionError:
        return False
    return True


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory) -> Iterator[dict[str, Web]]:
    """One gunicorn per cache choice, started together (each takes seconds to boot)."""
    started = {
        choice: _start_gunicorn(cache_url, tmp_path_factory.mktemp("sessions"))
        for choice, cache_url in CACHE_CHOICES.items()
    }
    try:
        for web, _server in started.values():
            wait_until_healthy(web.url, web.server_log)
        yield {choice: web for choice, (web, _server) in started.items()}
    finally:
        for _web, server in started.values():
            stop_process(server, timeout=20)


@pytest.fixture(params=list(CACHE_CHOICES))
def web(request, servers) -> Web:
    web = servers[request.param]
    if web.cache_url and not _redis_is_up(web.cache_url):
        pytest.skip(f"no Redis at {web.cache_url}")
    return web


def _start_gunicorn(cache_url: str, root: Path) -> tuple[Web, subprocess.Popen]:
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "STATIC_", "DJANGO_SETTINGS", "QUALITYHUB_", "CACHE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="qualityhub.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_PROXY_SSL_HEADER="1",
        STATIC_MANIFEST="0",  # no collectstatic: the pages' static links are not under test
        QUALITYHUB_VAR_DIR=str(root / "var"),
        STATIC_ROOT=str(root / "static"),
        DATABASE_URL=_test_database_url(),
        CELERY_BROKER_URL="filesystem://",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        LOG_LEVEL="WARNING",
    )
    if cache_url:
        env["CACHE_URL"] = cache_url
    web = Web(f"http://127.0.0.1:{port}", cache_url, root / "access.log", root / "gunicorn.log")
    # Each answer's worker (pid) and probe header, to prove that both workers refused.
    logging_options = ["--access-logfile", str(web.access_log), "--access-logformat"]
    logging_options.append("%(p)s %({x-probe}i)s %(s)s")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:qualityhub.gunicorn", *logging_options]
        + ["qualityhub.wsgi"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=web.server_log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return web, server


@pytest.fixture
def admin_cache(web, settings) -> None:
    """This process changes users as an administrator's would: on the cache the web shares."""
    if web.cache_url:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": web.cache_url,
            }
        }


@cache
def _production_password_hash() -> str:
    # The production settings know no MD5 (the tests' fast hasher): hash once, the real way.
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(PASSWORD, hasher.salt())


@pytest.fixture
def ines(transactional_db, admin_cache):
    """A quality engineer who may read the sync page and start a sync (an htmx POST)."""
    user = make_user(f"ines-{secrets.token_hex(4)}", QUALITY_ENGINEER)
    user.password = _production_password_hash()
    user.save(update_fields=["password"])
    return user


def _sign_in(web: Web, username: str) -> dict[str, str]:
    """The cookies of a real sign-in through the form."""
    form = requests.get(f"{web.url}/accounts/login/", headers=HTTPS, timeout=10)
    csrf = form.cookies["csrftoken"]
    response = requests.post(
        f"{web.url}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf},
        cookies={"csrftoken": csrf},
        headers={**HTTPS, "Origin": web.origin},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text
    return {"csrftoken": csrf, **response.cookies.get_dict()}


def _get_page(web: Web, cookies: dict[str, str], probe: str) -> requests.Response:
    headers = {**HTTPS, "X-Probe": probe}
    return requests.get(
        f"{web.url}/sync/", cookies=cookies, headers=headers, allow_redirects=False, timeout=10
    )


def _send_htmx_post(web: Web, cookies: dict[str, str], probe: str) -> requests.Response:
    headers = {
        **HTTPS,
        "X-Probe": probe,
        "Origin": web.origin,
        "HX-Request": "true",
        "X-CSRFToken": cookies["csrftoken"],
    }
    return requests.post(
        f"{web.url}/sync/run/", cookies=cookies, headers=headers, allow_redirects=False, timeout=10
    )


def _answers(web: Web, cookies: dict[str, str], pairs: int) -> dict[str, list[Answer]]:
    """Worker pid -> its answers to `pairs` GETs and as many htmx POSTs (each on a new
    connection, a few at a time as a browser sends them), and more until both workers answered."""
    sent: dict[str, Answer] = {}
    with ThreadPoolExecutor(max_workers=4) as browser:
        while len(sent) < 2 * MAX_PAIRS:
            probes = [f"probe-{next(_probes)}" for _ in range(2 * pairs)]
            kinds = [("GET", _get_page), ("POST", _send_htmx_post)] * pairs
            answers = browser.map(
                lambda probe, kind: _ask(web, cookies, probe, *kind), probes, kinds
            )
            sent.update(zip(probes, answers, strict=True))
            by_worker = _by_worker(web, sent)
            if len(by_worker) == 2:
                return by_worker
            pairs = 2
    return by_worker


def _ask(web: Web, cookies: dict[str, str], probe: str, kind: str, send) -> Answer:
    response = send(web, cookies, probe)
    return Answer(kind, response.status_code, response.headers.get("Location", ""))


def _by_worker(web: Web, sent: dict[str, Answer]) -> dict[str, list[Answer]]:
    # gunicorn writes an access line just after its answer: wait a moment for the last ones.
    deadline = time.monotonic() + 5
    while True:
        workers = {}
        for line in web.access_log.read_text().splitlines():
            pid, probe, _status = line.split(" ")
            if probe in sent:
                workers[probe] = pid
        if len(workers) == len(sent) or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert len(workers) == len(sent), "every answer is in the access log"
    by_worker: dict[str, list[Answer]] = defaultdict(list)
    for probe, answer in sent.items():
        by_worker[workers[probe]].append(answer)
    return by_worker


def _assert_accepted_everywhere(web: Web, cookies: dict[str, str]) -> None:
    answers = _answers(web, cookies, PAIRS_BEFORE)
    assert len(answers) == 2, "both workers answered"
    for worker, seen in answers.items():
        for kind, status, _location in seen:
            assert status == (200 if kind == "GET" else 302), (worker, seen)


def _assert_signed_out_everywhere(web: Web, cookies: dict[str, str]) -> None:
    answers = _answers(web, cookies, PAIRS_AFTER)
    assert len(answers) == 2, "both workers answered"
    for worker, seen in answers.items():
        for kind, status, location in seen:
            if kind == "GET":
                assert status == 302 and location.startswith("/accounts/login/"), (worker, seen)
            else:
                assert status == 401, (worker, seen)


def test_signing_out_ends_the_session_in_every_worker(web, ines) -> None:
    cookies = _sign_in(web, ines.username)
    _assert_accepted_everywhere(web, cookies)
    signed_out = requests.post(
        f"{web.url}/accounts/logout/",
        data={"csrfmiddlewaretoken": cookies["csrftoken"]},
        cookies=cookies,
        headers={**HTTPS, "Origin": web.origin},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_out.status_code == 302
    _assert_signed_out_everywhere(web, cookies)


def test_a_password_change_ends_the_session_in_every_worker(web, ines) -> None:
    cookies = _sign_in(web, ines.username)
    _assert_accepted_everywhere(web, cookies)
    ines.set_password("another-quite-long-password")
    ines.save()
    _assert_signed_out_everywhere(web, cookies)


def test_a_deactivated_user_is_refused_by_every_worker(web, ines) -> None:
    cookies = _sign_in(web, ines.username)
    _assert_accepted_everywhere(web, cookies)
    ines.is_active = False
    ines.save()
    _assert_signed_out_everywhere(web, cookies)


def test_a_removed_role_is_refused_by_every_worker(web, ines) -> None:
    cookies = _sign_in(web, ines.username)
    _assert_accepted_everywhere(web, cookies)
    ines.groups.remove(Group.objects.get(name=QUALITY_ENGINEER))
    answers = _answers(web, cookies, PAIRS_AFTER)
    assert len(answers) == 2, "both workers answered"
    for worker, seen in answers.items():
        assert all(status == 403 for _kind, status, _location in seen), (worker, seen)
