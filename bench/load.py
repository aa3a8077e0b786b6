"""Load benchmark: wrk against gunicorn with the production settings, as a signed-in engineer.

    .venv/bin/python bench/load.py [--database-url postgres://…/qualityhub_webbench]
        [--workers 2] [--list-duration 30] [--list-connections 2,4] [--list-url /inspections/]
        [--browse-duration 120] [--browse-connections 50] [--only list|browse]

Needs the data set of bench/seed_large.py (1,000,000 inspections in PostgreSQL, as for the
figures in bench/RESULTS.md) and Redis for the shared cache. The script:

1. sets the production environment (DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
   HTTPS as behind a TLS proxy: SECURE_PROXY_SSL_HEADER=1 and every request carries
   `X-Forwarded-Proto: https`, so the HTTPS redirect, secure cookies and HSTS stay on;
   STATIC_MANIFEST on after `collectstatic` into a temporary STATIC_ROOT; CACHE_URL on Redis, so
   sessions are read from the cache), migrates, checks the database has inspections, and makes
   sure the overview snapshot exists (the Celery task's job in production);
2. makes a benchmark user in the Quality engineer role with a new random password, starts
   gunicorn (`-c python:qualityhub.gunicorn qualityhub.wsgi`, WEB_CONCURRENCY workers, a free
   port) and signs in through the real sign-in form, keeping the cookies a browser would send
   back (session, CSRF token, time zone);
3. runs wrk with those cookies:
   (a) `/inspections/` (or --list-url) for --list-duration seconds at each --list-connections
       concurrency; targets: >= 200 requests/s, p99 <= 100 ms, no error (all 200);
   (b) 50 browsing users for 120 s: a Lua script cycles through a mix of URLs (the list with
       filters, search and next pages, some as htmx partials; detail pages of existing
       inspections and their timeline; overview; results; trend charts; static files);
       target: no error and no redirect (a redirect means the session was lost).
   Errors are wrk's socket errors (connect, read, write, timeout: --timeout, default 10 s) and
   every response that is not 2xx; each response's status is counted by the Lua script.
4. stops gunicorn (also on Ctrl-C or SIGTERM), deletes the session and prints PASS/FAIL per
   target, with the machine's load average before and after each run.

wrk runs on the same machine as gunicorn and PostgreSQL, so its threads take CPU from them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import requests
from machine import cpu_speed, load_average  # bench/ is the script's folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/qualityhub_webbench"
DEFAULT_CACHE = "redis://127.0.0.1:6379/5"
BENCH_USER = "loadbench"
LIST_RPS = 200.0
BROWSE_RPS = 150.0  # issue 16, point 10: 50 browsing users, the live polling included
BROWSE_P99_MS = 500.0
LIST_P99_MS = 100.0
TZ = "Europe/Berlin"  # the cookie app.js sets: dates are shown in the reader's zone
DETAIL_SAMPLE = 200
MIX_LENGTH = 2000  # URLs in the browsing cycle (shuffled, weighted)


@dataclass
class Result:
    name: str
    connections: int
    duration: float  # seconds, as wrk measured
    requests: int
    bytes: int
    p50: float  # ms
    p90: float
    p99: float
    max: float
    mean: float
    errors: dict[str, int]
    statuses: dict[int, int]
    to_sign_in: int
    load_before: str
    load_after: str
    polls: int = 0  # of the requests, those to /live/
    targets: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.duration if self.duration else 0.0

    @property
    def socket_errors(self) -> int:
        return sum(v for k, v in self.errors.items() if k != "status")

    @property
    def non_2xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 300)

    @property
    def redirects(self) -> int:
        return sum(n for status, n in self.statuses.items() if 300 <= status < 400)

    @property
    def passed(self) -> bool:
        return all(ok for _, ok in self.targets)


def main() -> None:
    args = parse_args()
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("wrk is not installed (apt-get install wrk)")
    workdir = Path(tempfile.mkdtemp(prefix="qualityhub-loadbench-"))
    env = production_env(args, workdir)
    os.environ.update(env)
    server: Gunicorn | None = None
    # SIGTERM ends the run like Ctrl-C, so the finally clause stops gunicorn either way.
    signal.signal(signal.SIGTERM, _interrupt)
    session_key = ""
    try:
        import django

        django.setup()
        data = prepare_database()
        password = secrets.token_urlsafe(24)
        bench_user(password)
        collect_static(env)
        print(configuration(args, env, data))
        server = Gunicorn(env, workdir / "gunicorn.log")
        base = server.url
        cookies = sign_in(base, password)
        session_key = cookies["sessionid"]
        mix = browsing_mix(base, cookies, data, random.Random(args.seed))
        polls = live_polls(base, cookies, data)
        print(f"signed in as {BENCH_USER} (Quality engineer); browsing mix of {len(mix)} URLs:")
        print(describe_mix(mix))
        print(describe_polls(args))
        if args.profile:
            print(profile(base, cookies, mix[: args.profile] + polls * 10))
        results = run_all(args, wrk, base, cookies, mix, polls, workdir)
        server.stop()
        report(results, server.log_summary())
        server = None
        sys.exit(0 if all(r.passed for r in results) else 1)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        if server is not None:
            server.stop()
        if session_key:
            forget_session(session_key)
        shutil.rmtree(workdir, ignore_errors=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--cache-url", default=DEFAULT_CACHE, help="Redis for sessions")
    parser.add_argument("--workers", type=int, default=2, help="WEB_CONCURRENCY")
    parser.add_argument(
        "--web-threads", type=int, default=4, help="WEB_THREADS per worker (1: sync workers)"
    )
    parser.add_argument("--list-duration", type=int, default=30, help="seconds")
    parser.add_argument(
        "--list-connections",
        default="2,4",
        help="comma-separated concurrencies for run (a) (default 2,4: one request per worker, "
        "and one waiting for each)",
    )
    parser.add_argument(
        "--list-url", default="/inspections/", help="the page of run (a), e.g. /sync/ for a floor"
    )
    parser.add_argument("--browse-duration", type=int, default=120, help="seconds")
    parser.add_argument("--browse-connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", type=int, default=10, help="wrk's per-request timeout (s)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of unreported warm-up")
    parser.add_argument("--only", choices=("list", "browse"), help="run only (a) or (b)")
    parser.add_argument("--seed", type=int, default=7, help="for the browsing mix")
    parser.add_argument(
        "--poll-seconds",
        type=float,
        default=30,
        help="each browsing user's open page asks /live/ this often (LIVE_POLL_SECONDS); 0: never",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=400,
        help="before wrk, time this many URLs of the mix one at a time, per kind (0: skip)",
    )
    args = parser.parse_args()
    try:
        args.list_connections = [int(c) for c in args.list_connections.split(",")]
    except ValueError:
        parser.error("--list-connections takes whole numbers separated by commas")
    if min(args.list_connections) < 1 or args.browse_connections < 1:
        parser.error("connections must be at least 1")
    if min(args.list_duration, args.browse_duration, args.timeout) < 1 or args.warmup < 0:
        parser.error("durations and timeout must be positive")
    return args


def production_env(args: argparse.Namespace, workdir: Path) -> dict[str, str]:
    """What a production web node sets; only the addresses are this machine's."""
    return {
        "DJANGO_SETTINGS_MODULE": "qualityhub.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Behind a TLS-terminating proxy: Django trusts its X-Forwarded-Proto (wrk sends it),
        # so SECURE_SSL_REDIRECT, secure cookies and HSTS stay at their production defaults.
        "SECURE_PROXY_SSL_HEADER": "1",
        "STATIC_MANIFEST": "1",
        "STATIC_ROOT": str(workdir / "static"),
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        "WEB_CONCURRENCY": str(args.workers),
        "WEB_THREADS": str(args.web_threads),
        "QUALITYHUB_VAR_DIR": str(workdir / "var"),
        "PYTHONUNBUFFERED": "1",
    }


@dataclass
class Data:
    inspections: int
    detail_ids: list[int]
    suppliers: list[int]
    items: list[int]
    pos: list[str]
    pairs: list[tuple[int, str]]  # (item id, characteristic name) for trend charts
    snapshot: str


def prepare_database() -> Data:
    """Migrate (a no-op when current), refuse an empty database, sample ids for the mix."""
    from django.core.management import call_command

    from qualityhub.analytics.overview import read_overview
    from qualityhub.inspections.models import Characteristic, Inspection

    call_command("migrate", verbosity=0)
    count = Inspection.objects.count()
    if count < 1000:
        sys.exit(
            f"the database has {count} inspections: load the benchmark data first, e.g.\n"
            "  .venv/bin/python bench/seed_large.py --inspections 1000000 "
            f"--database-url {DEFAULT_DATABASE}"
        )
    ids = sample_inspection_ids(DETAIL_SAMPLE, random.Random(20240601))
    sample = Inspection.objects.filter(coupa_id__in=ids)
    suppliers = sorted({s for s in sample.values_list("supplier_id", flat=True) if s})
    items = sorted({i for i in sample.values_list("item_id", flat=True) if i})
    pos = sorted({p for p in sample.values_list("ref_document_id", flat=True) if p})
    pairs = sorted(
        set(
            Characteristic.objects.filter(inspection_id__in=ids, recorded_numeric__isnull=False)
            .exclude(value_type="choice")
            .values_list("inspection__item_id", "name")
        )
    )
    # The overview reads a snapshot the Celery task keeps; without beat here, make one if none.
    started = time.perf_counter()
    _, computed_at = read_overview(_full_access())
    snapshot = f"computed at {computed_at:%Y-%m-%d %H:%M} UTC"
    if time.perf_counter() - started > 1:
        snapshot += f" (made now in {time.perf_counter() - started:.1f} s)"
    return Data(count, ids, suppliers, items, pos, pairs, snapshot)


def sample_inspection_ids(size: int, rng: random.Random) -> list[int]:
    """`size` live inspections (or all, when fewer) drawn evenly from the rows, in random order.

    Drawn by rank, not by id: bench/seed_large.py's ids are dense but for one far-off inspection
    (999999999), so a random id in the range would land past the dense ones nearly every time.
    One walk of the primary key numbers the rows and keeps the drawn ranks."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    from qualityhub.inspections.models import Inspection

    live = Inspection.objects.filter(gone_at__isnull=True)
    ranks = rng.sample(range(1, live.count() + 1), min(size, live.count()))
    ids = list(
        live.annotate(rank=Window(RowNumber(), order_by=F("coupa_id").asc()))
        .filter(rank__in=ranks)
        .values_list("coupa_id", flat=True)
    )
    rng.shuffle(ids)
    return ids


def _full_access():
    from qualityhub.accounts.access import Access
    from qualityhub.accounts.roles import PERMISSIONS

    return Access(frozenset(PERMISSIONS))


def bench_user(password: str) -> None:
    """The benchmark user: in the Quality engineer group only, with this run's password."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from qualityhub.accounts.roles import QUALITY_ENGINEER

    user, _ = get_user_model().objects.get_or_create(username=BENCH_USER)
    user.is_staff = user.is_superuser = False
    user.is_active = True
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=QUALITY_ENGINEER)])
    user.user_permissions.clear()
    user.supplier_assignments.all().delete()


def collect_static(env: dict[str, str]) -> None:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    print(f"collectstatic into {env['STATIC_ROOT']} in {time.perf_counter() - started:.1f} s")


def configuration(args: argparse.Namespace, env: dict[str, str], data: Data) -> str:
    import django
    from django.conf import settings
    from django.db import connection

    shown = {k: v for k, v in env.items() if k not in ("PYTHONUNBUFFERED",)}
    shown["SECRET_KEY"] = "(random, 50 bytes)"
    version = connection.pg_version if connection.vendor == "postgresql" else 0
    database = (
        f"PostgreSQL {version // 10000}.{version % 100}"
        if version
        else f"{connection.vendor} {connection.Database.sqlite_version}"
    )
    import gunicorn

    lines = [
        "configuration:",
        f"  {os.cpu_count()} CPUs ({cpu_speed()})",
        f"  Python {sys.version.split()[0]}, Django {django.get_version()},"
        f" gunicorn {gunicorn.__version__}, {wrk_version()}",
        f"  database: {database}, {data.inspections:,} inspections; overview snapshot "
        f"{data.snapshot}",
        "  environment: " + " ".join(f"{k}={v}" for k, v in sorted(shown.items())),
        f"  effective: SECURE_SSL_REDIRECT={settings.SECURE_SSL_REDIRECT} "
        f"SESSION_COOKIE_SECURE={settings.SESSION_COOKIE_SECURE} "
        f"SECURE_HSTS_SECONDS={settings.SECURE_HSTS_SECONDS} "
        f"SESSION_ENGINE={settings.SESSION_ENGINE} "
        f"DB_CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']} "
        f"LOG_LEVEL={settings.LOGGING['root']['level']} (one log line per request)",
        f"  gunicorn: -c python:qualityhub.gunicorn qualityhub.wsgi, {args.workers} workers, "
        + (
            f"{args.web_threads} threads each (gthread)"
            if args.web_threads > 1
            else "sync (one request at a time each)"
        ),
        f"  wrk: {args.threads} threads, --timeout {args.timeout}s, --latency; "
        f"warm-up {args.warmup} s (not reported)",
    ]
    return "\n".join(lines)


def wrk_version() -> str:
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    first = (out.stdout or out.stderr).splitlines()[0]
    return " ".join(first.split()[:2])


class Gunicorn:
    """gunicorn as Procfile runs it, on a free port, in its own process group."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.workers = int(env["WEB_CONCURRENCY"])
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._log_file = log.open("w")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-c",
                "python:qualityhub.gunicorn",
                "qualityhub.wsgi",
            ],
            cwd=ROOT,
            env={**os.environ, **env, "BIND": f"127.0.0.1:{self.port}"},
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in the terminal reaches us, not gunicorn
        )
        self._wait_until_up()
        print(f"gunicorn pid {self.process.pid} on {self.url}")

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._fail(f"gunicorn exited with {self.process.returncode}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/healthz", timeout=2).status_code in (200, 503):
                    return
            time.sleep(0.3)
        self._fail("gunicorn did not answer /healthz within 60 s")

    def _fail(self, message: str) -> None:
        self.stop()
        sys.exit(f"{message}; its log:\n{self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # the master stops its workers gracefully
            try:
                self.process.wait(timeout=35)  # graceful_timeout is 30 s
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()

    def log_summary(self) -> str:
        """Worker (re)starts (max_requests recycles them) and error lines in gunicorn's log."""
        lines = self.log.read_text(errors="replace").splitlines()
        boots = sum("Booting worker" in line for line in lines)
        errors = [line for line in lines if " ERROR " in line or "Traceback" in line]
        text = f"gunicorn log: {boots} worker starts (workers: {self.workers}), "
        text += f"{len(errors)} error lines"
        return text + "".join(f"\n  {line[:300]}" for line in errors[:10])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def forwarded(**headers: str) -> dict[str, str]:
    """The headers the TLS proxy would add, plus the origin the browser would send."""
    return {"X-Forwarded-Proto": "https", **headers}


def sign_in(base: str, password: str) -> dict[str, str]:
    """Sign in through the real form, keeping cookies by hand: they are Secure, and
    requests would not send them over the plain HTTP that the proxy forwards."""
    cookies: dict[str, str] = {"tz": TZ}
    origin = base.replace("http://", "https://")
    login = requests.get(base + "/accounts/login/", headers=forwarded(), timeout=10)
    login.raise_for_status()
    cookies.update(login.cookies.get_dict())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
    if not token or "csrftoken" not in cookies:
        sys.exit("the sign-in page has no CSRF token")
    answer = requests.post(
        base + "/accounts/login/",
        data={
            "username": BENCH_USER,
            "password": password,
            "csrfmiddlewaretoken": token.group(1),
        },
        headers=forwarded(
            Cookie=cookie_header(cookies),
            Origin=origin,
            Referer=origin + "/accounts/login/",
        ),
        allow_redirects=False,
        timeout=30,
    )
    cookies.update(answer.cookies.get_dict())  # the session and the rotated CSRF token
    if answer.status_code != 302 or "sessionid" not in cookies:
        sys.exit(f"signing in failed: {answer.status_code} {answer.text[:300]}")
    check = requests.get(
        base + "/inspections/",
        headers=forwarded(Cookie=cookie_header(cookies)),
        allow_redirects=False,
        timeout=30,
    )
    if check.status_code != 200 or f">{BENCH_USER}<" not in check.text:
        sys.exit(f"the session does not work: GET /inspections/ answered {check.status_code}")
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


@dataclass(frozen=True)
class Url:
    kind: str
    path: str
    # Sent as htmx sends it: "" a plain page load, "-" an htmx request into an element without
    # an id, else the id of the element the partial replaces.
    htmx_target: str = ""


def browsing_mix(base: str, cookies: dict[str, str], data: Data, rng: random.Random) -> list[Url]:
    """A weighted, shuffled cycle of what engineers do: mostly the list and detail pages."""
    headers = forwarded(Cookie=cookie_header(cookies))
    page = requests.get(base + "/inspections/", headers=headers, timeout=30).text
    static = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page)))
    overview = requests.get(base + "/", headers=headers, timeout=30).text
    static += sorted(set(re.findall(r'src="(/static/[^"]+)"', overview)) - set(static))
    if not any(re.search(r"\.[0-9a-f]{12}\.", s) for s in static):
        sys.exit(f"static URLs carry no content hash (STATIC_MANIFEST off?): {static}")
    next_pages = next_page_paths(base, headers, "/inspections/", 3)
    next_pages += next_page_paths(base, headers, "/inspections/?status=Open", 2)

    def pick(values):
        return rng.choice(values)

    def lists() -> Url:
        filters = [
            {"status": "Open"},
            {"status": "In Buyer Review"},
            {"status": ["Open", "In Progress"]},
            {"decision": "Rejected"},
            {"verdict": "fail"},
            {"supplier": pick(data.suppliers)},
            {"item": pick(data.items)},
            {"exported": "no"},
            {"overdue": "1"},
            {"q": pick(data.pos)},
            {"sort": "due_date"},
            {"status": "Closed", "verdict": "pass", "sort": "-due_date"},
        ]
        query = urlencode(pick(filters), doseq=True)
        return Url("list, filtered", f"/inspections/?{query}", pick(("", "results")))

    def detail() -> Url:
        return Url("detail", f"/inspections/{pick(data.detail_ids)}/")

    def timeline() -> Url:  # each detail page loads its timeline with htmx
        return Url("detail timeline", f"/inspections/{pick(data.detail_ids)}/timeline/", "-")

    def results() -> Url:
        query = pick(
            [
                "verdict=fail",
                "verdict=marginal",
                f"supplier={pick(data.suppliers)}&verdict=fail",
                f"item={pick(data.items)}",
            ]
        )
        return Url("results", f"/results/?{query}")

    def trend() -> Url:
        item, name = pick(data.pairs)
        return Url("trend chart", "/trends/?" + urlencode({"item": item, "characteristic": name}))

    weighted = [
        (20, lambda: Url("list", "/inspections/")),
        (20, lists),
        (5, lambda: Url("list, next page", pick(next_pages))),
        (20, detail),
        (12, timeline),
        (6, lambda: Url("overview", pick(["/", "/?weeks=52"]))),
        (6, results),
        (3, trend),
        (8, lambda: Url("static file", pick(static))),
    ]
    total = sum(weight for weight, _ in weighted)
    mix = [make() for weight, make in weighted for _ in range(MIX_LENGTH * weight // total)]
    rng.shuffle(mix)
    return mix


def next_page_paths(base: str, headers: dict[str, str], start: str, pages: int) -> list[str]:
    """Follow the list's own "Next" links, as a reader paging through does."""
    paths, path = [], start
    for _ in range(pages):
        html = requests.get(base + path, headers=headers, timeout=30).text
        found = re.search(r'rel="next" href="([^"]+)"', html)
        if not found:
            break
        path = "/inspections/" + found.group(1).replace("&amp;", "&")
        paths.append(path)
    return paths


def describe_mix(mix: list[Url]) -> str:
    counts: dict[str, int] = {}
    for url in mix:
        counts[url.kind] = counts.get(url.kind, 0) + 1
    htmx = sum(1 for url in mix if url.htmx_target)
    parts = [f"{kind} {n * 100 / len(mix):.0f}%" for kind, n in counts.items()]
    return "  " + ", ".join(parts) + f"; {htmx * 100 / len(mix):.0f}% as htmx partials"


def live_polls(base: str, cookies: dict[str, str], data: Data) -> list[Url]:
    """What an open page asks /live/ (point 3 of issue 16), with the markers a list, a detail page
    and the overview were drawn with; the cue's key is the one the last page carried (the Lua
    script keeps it current from every answer, as live.js does)."""
    headers = forwarded(Cookie=cookie_header(cookies))
    pages = {
        "list": "/inspections/",
        "detail": f"/inspections/{data.detail_ids[0]}/",
        "overview": "/",
    }
    polls = []
    for view, path in pages.items():
        html = requests.get(base + path, headers=headers, timeout=30).text
        markers = dict(re.findall(r'data-live-(\w+)="([^"]*)"', html))
        if "cue" not in markers:
            sys.exit(f"{path} carries no freshness cue key (data-live-cue)")
        query = {"view": view}
        if view == "list":
            query.update(since=markers.get("since", ""), filters="status=Open")
        elif view == "detail":
            query.update(inspection=markers.get("inspection", ""), version=markers["version"])
        else:
            query.update(figures=markers.get("figures", ""))
        polls.append(Url(f"live poll ({view})", "/live/?" + urlencode(query) + "&cue=", "-"))
    return polls


def describe_polls(args: argparse.Namespace) -> str:
    if not args.poll_seconds:
        return "  no live polling"
    rate = args.browse_connections / args.poll_seconds
    return (
        f"  plus live polling: each of the {args.browse_connections} users' open page asks /live/ "
        f"every {args.poll_seconds:g} s ({rate:.1f} requests/s in all), list, detail and "
        "overview pages in turn"
    )


def profile(base: str, cookies: dict[str, str], urls: list[Url]) -> str:
    """Each URL requested once, one at a time (no queueing): where a worker spends its time, by
    kind of URL. The share of time is what each kind costs the whole mix."""
    headers = forwarded(Cookie=cookie_header(cookies))
    session = requests.Session()
    times: dict[str, list[float]] = {}
    cue = ""
    for url in urls:
        sent = dict(headers)
        if url.htmx_target:
            sent.update({"HX-Request": "true", "HX-Current-URL": base + "/inspections/"})
            if url.htmx_target != "-":
                sent["HX-Target"] = url.htmx_target
        path = url.path + cue if url.path.endswith("&cue=") else url.path
        started = time.perf_counter()
        response = session.get(base + path, headers=sent, allow_redirects=False, timeout=60)
        times.setdefault(url.kind, []).append((time.perf_counter() - started) * 1000)
        found = re.search(r'data-live-cue="([^"]+)"', response.text)
        cue = found.group(1) if found else cue
    total = sum(sum(values) for values in times.values())
    lines = [
        f"profile: {len(urls)} requests one at a time, load {load_average()}",
        "  | kind | requests | median ms | p90 ms | mean ms | share of time |",
        "  |---|---|---|---|---|---|",
    ]
    for kind, values in sorted(times.items(), key=lambda kv: -sum(kv[1])):
        values.sort()
        lines.append(
            f"  | {kind} | {len(values)} | {values[len(values) // 2]:.1f} | "
            f"{values[int(len(values) * 0.9)]:.1f} | {sum(values) / len(values):.1f} | "
            f"{sum(values) * 100 / total:.0f}% |"
        )
    return "\n".join(lines)


LUA = r"""
-- Written by bench/load.py: cycles through its URLs, counts every response's status. Every
-- poll_every seconds a thread asks /live/ instead (its users' open pages polling), with the
-- freshness cue's key the last answer carried, as live.js does.
local paths = %(paths)s
local targets = %(targets)s
local common = %(headers)s
local polls = %(polls)s
local poll_every = %(poll_every)s
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  to_sign_in = 0
  requests_made = {}
  local n = #paths
  for k = 1, n do
    local h = {}
    for name, value in pairs(common) do h[name] = value end
    if targets[k] ~= "" then
      h["HX-Request"] = "true"
      h["HX-Current-URL"] = "https://" .. common["Host"] .. "/inspections/"
      if targets[k] ~= "-" then h["HX-Target"] = targets[k] end
    end
    requests_made[k] = wrk.format("GET", paths[k], h)
  end
  -- each thread starts at its own place in the cycle
  position = (id * 7919) %% n
  poll_headers = {}
  for name, value in pairs(common) do poll_headers[name] = value end
  poll_headers["HX-Request"] = "true"
  cue = ""
  polls_made = 0
  poll_at = os.time() + poll_every * (id + 1) / 2
end

function request()
  if poll_every > 0 and os.time() >= poll_at then
    poll_at = poll_at + poll_every
    polls_made = polls_made + 1
    return wrk.format("GET", polls[polls_made %% #polls + 1] .. cue, poll_headers)
  end
  position = position %% #requests_made + 1
  return requests_made[position]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if body then
    local found = string.match(body, 'data%%-live%%-cue="([^"]+)"')
    if found then cue = found end
  end
  if status >= 300 and status < 400 then
    local location = headers["Location"] or headers["location"] or ""
    if string.find(location, "/accounts/login", 1, true) then to_sign_in = to_sign_in + 1 end
  end
end

function done(summary, latency, requests)
  local merged, signed_out, polled = {}, 0, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + n
    end
    signed_out = signed_out + thread:get("to_sign_in")
    polled = polled + thread:get("polls_made")
  end
  local parts = {}
  for status, n in pairs(merged) do table.insert(parts, string.format('"%%d": %%d', status, n)) end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"duration_us": %%d, "requests": %%d, "bytes": %%d, "p50": %%d, "p90": %%d, ' ..
    '"p99": %%d, "max": %%d, "mean": %%f, "errors": {"connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d}, "statuses": {%%s}, "to_sign_in": %%d, ' ..
    '"polls": %%d}\n',
    summary.duration, summary.requests, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", "), signed_out,
    polled))
end
"""


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_script(
    path: Path,
    base: str,
    cookies: dict[str, str],
    urls: list[Url],
    polls: list[Url] = (),
    poll_every: float = 0,
) -> Path:
    """`poll_every`: seconds between two polls of one wrk thread (0: none)."""
    host = base.removeprefix("http://")
    headers = {
        "Host": host,
        "Cookie": cookie_header(cookies),
        "X-Forwarded-Proto": "https",
        "User-Agent": "bench/load.py (wrk)",
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
    }
    lua_headers = "{" + ", ".join(
        f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()
    )
    path.write_text(
        LUA
        % {
            "paths": "{" + ", ".join(lua_string(u.path) for u in urls) + "}",
            "targets": "{" + ", ".join(lua_string(u.htmx_target) for u in urls) + "}",
            "headers": lua_headers + "}",
            "polls": "{" + ", ".join(lua_string(u.path) for u in polls) + "}",
            "poll_every": f"{poll_every:.4f}" if polls else "0",
        }
    )
    return path


def run_wrk(
    wrk: str,
    name: str,
    base: str,
    script: Path,
    connections: int,
    duration: int,
    args: argparse.Namespace,
) -> Result:
    threads = min(args.threads, connections)
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        f"--timeout={args.timeout}s",
        "--latency",
        "-s",
        str(script),
        base + "/",
    ]
    before = load_average()
    out = subprocess.run(command, capture_output=True, text=True)
    after = load_average()
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if out.returncode != 0 or line is None:
        sys.exit(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    raw = json.loads(line.removeprefix("WRKJSON "))
    return Result(
        name=name,
        connections=connections,
        duration=raw["duration_us"] / 1e6,
        requests=raw["requests"],
        bytes=raw["bytes"],
        p50=raw["p50"] / 1000,
        p90=raw["p90"] / 1000,
        p99=raw["p99"] / 1000,
        max=raw["max"] / 1000,
        mean=raw["mean"] / 1000,
        errors=raw["errors"],
        statuses={int(k): v for k, v in raw["statuses"].items()},
        to_sign_in=raw["to_sign_in"],
        polls=raw.get("polls", 0),
        load_before=before,
        load_after=after,
    )


def run_all(
    args, wrk: str, base: str, cookies, mix: list[Url], polls: list[Url], workdir: Path
) -> list[Result]:
    list_script = write_script(workdir / "list.lua", base, cookies, [Url("list", args.list_url)])
    threads = min(args.threads, args.browse_connections)
    poll_every = args.poll_seconds * threads / args.browse_connections  # per wrk thread
    browse_script = write_script(
        workdir / "browse.lua", base, cookies, mix, polls if args.poll_seconds else [], poll_every
    )
    if args.warmup:
        # Every worker renders each kind of page once before anything is timed.
        run_wrk(wrk, "warm-up", base, browse_script, 4, args.warmup, args)
    results = []
    if args.only != "browse":
        for connections in args.list_connections:
            name = "(a) list" if args.list_url == "/inspections/" else f"(a) {args.list_url}"
            result = run_wrk(wrk, name, base, list_script, connections, args.list_duration, args)
            errors = result.socket_errors + result.non_2xx
            result.targets = [
                (f">= {LIST_RPS:.0f} requests/s", result.rps >= LIST_RPS),
                (f"p99 <= {LIST_P99_MS:.0f} ms", result.p99 <= LIST_P99_MS),
                ("no errors (all 200)", errors == 0),
            ]
            print(progress(result), flush=True)
            results.append(result)
    if args.only != "list":
        result = run_wrk(
            wrk,
            "(b) browsing",
            base,
            browse_script,
            args.browse_connections,
            args.browse_duration,
            args,
        )
        bad = result.socket_errors + result.non_2xx - result.redirects
        result.targets = [
            ("no errors (non-2xx/3xx, socket)", bad == 0),
            ("no redirect (session kept)", result.redirects == 0),
            (f">= {BROWSE_RPS:.0f} requests/s", result.rps >= BROWSE_RPS),
            (f"p99 <= {BROWSE_P99_MS:.0f} ms", result.p99 <= BROWSE_P99_MS),
        ]
        print(progress(result), flush=True)
        results.append(result)
    return results


def progress(result: Result) -> str:
    polled = f" ({result.polls:,} of them live polls)" if result.polls else ""
    return (
        f"{result.name} c={result.connections}: {result.rps:,.0f} requests/s{polled}, "
        f"p50/p90/p99 {result.p50:.1f}/{result.p90:.1f}/{result.p99:.1f} ms, "
        f"{result.socket_errors + result.non_2xx} errors, load {result.load_after}"
    )


def report(results: list[Result], server_log: str) -> None:
    print()
    print(
        "| run | connections | duration | requests | requests/s | p50 ms | p90 ms | p99 ms "
        "| max ms | socket errors | non-2xx | load avg before → after | verdict |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        errors = ", ".join(f"{k} {v}" for k, v in r.errors.items() if v and k != "status")
        non_2xx = ", ".join(f"{s}: {n}" for s, n in sorted(r.statuses.items()) if s >= 300)
        print(
            f"| {r.name} | {r.connections} | {r.duration:.0f} s | {r.requests:,}"
            f"{f' ({r.polls:,} polls)' if r.polls else ''} | "
            f"{r.rps:,.0f} | {r.p50:.1f} | {r.p90:.1f} | {r.p99:.1f} | {r.max:.0f} | "
            f"{errors or 0} | {non_2xx or 0} | {r.load_before} → {r.load_after} | "
            f"{'PASS' if r.passed else 'FAIL'} |"
        )
    print()
    for r in results:
        for target, ok in r.targets:
            print(f"{'PASS' if ok else 'FAIL'}  {r.name} c={r.connections}: {target}")
        if r.to_sign_in:
            print(f"      {r.to_sign_in} responses redirected to the sign-in page")
    statuses: dict[int, int] = {}
    for r in results:
        for status, n in r.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    print(f"statuses seen: {dict(sorted(statuses.items()))}")
    print(server_log)
    print(f"load average now: {load_average()} ({os.cpu_count()} CPUs)")


def forget_session(session_key: str) -> None:
    with contextlib.suppress(Exception):
        from django.contrib.sessions.backends.cached_db import SessionStore

        SessionStore(session_key).delete()


if __name__ == "__main__":
    main()
