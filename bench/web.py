"""Web benchmark: server time of the list, filters, work queues, search, deep page, detail,
overview, results, trends and scorecard pages, against Django admin's changelist on the same
data, in one run.

    .venv/bin/python bench/seed_large.py --inspections 1000000 --database-url postgres://...
    .venv/bin/python bench/web.py --database-url postgres://... [--repeat 30]

    .venv/bin/python bench/seed_large.py --inspections 100000 [--sqlite var/bench/web.sqlite3]
    .venv/bin/python bench/web.py [--sqlite var/bench/web.sqlite3]

Runs in-process with Django's test Client (DEBUG off, a logged-in superuser), so a figure is
the server's time for one request: middleware, queries, template, no network or WSGI server.
Each case is requested 3 times to warm up, then `--repeat` times; median and p95 are reported
with the number of queries and their database time (from one extra, captured request).

Targets: the inspection list's first page p95 <= 10 ms; every other list page (inspections and
results) p95 <= 50 ms; each list page faster (median) than the admin changelist with the
equivalent filter (where the admin can express it; it has no characteristic changelist); the page
95% deep <= 2x the first page (median); detail (50 lines) p95 <= 20 ms; the overview p95 <=
100 ms with its snapshot present (refreshed once before the cases, and that refresh's time and
queries printed: it is the Celery task's work, not the page's).
One item's trend chart (all suppliers, and one) p95 <= 50 ms at any size (issue 16: it read
the whole item before). Scorecards and the detail page's timeline are measured without a
target. For a page that misses its target, the slowest query and its plan (EXPLAIN ANALYZE on
PostgreSQL, EXPLAIN QUERY PLAN on SQLite) are printed; `--explain all` prints them for every
case.

The figures depend on how fast the machine's CPU is at the time: the header prints how long a
fixed pure-Python loop took, to compare runs. Requests per second under HTTP load, through
gunicorn: bench/load.py.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from machine import cpu_speed, load_average  # bench/ is the script's folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SQLITE = ROOT / "var" / "bench" / "web.sqlite3"
APP_SQLITE = ROOT / "var" / "qualityhub.sqlite3"
DETAIL_ID = 999_999_999  # seeded by bench/seed_large.py with 50 characteristics
BENCH_USER = "webbench"
FIRST_PAGE_P95_MS = 10.0  # the inspection list as opened, the page people open most
LIST_P95_MS = 50.0
DETAIL_P95_MS = 20.0
OVERVIEW_P95_MS = 100.0
TREND_P95_MS = 50.0
DEEP_FACTOR = 2.0


@dataclass
class Timing:
    url: str
    samples: list[float]  # seconds
    queries: list[dict] = field(default_factory=list)
    rows: int | None = None
    size: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)] * 1000  # nearest rank

    @property
    def db_ms(self) -> float:
        return sum(float(q["time"]) for q in self.queries) * 1000


@dataclass
class Case:
    name: str
    kind: str  # list | deep | detail | overview | page (no target)
    ours: str
    admin: str | None
    ours_timing: Timing | None = None
    admin_timing: Timing | None = None
    error: str = ""  # the page failed: no figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL; default: SQLite")
    parser.add_argument("--sqlite", type=Path, default=DEFAULT_SQLITE, help="SQLite file")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--explain",
        choices=("slow", "all", "none"),
        default="slow",
        help="print the slowest query's plan for cases missing their target (default), all, none",
    )
    parser.add_argument(
        "--case", action="append", default=[], help="only cases whose name contains this"
    )
    parser.add_argument("--skip-admin", action="store_true", help="measure our pages only")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    configure_django(args.database_url, args.sqlite)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from qualityhub.inspections.models import Inspection

    call_command("migrate", verbosity=0)  # models added since the seed get their tables
    if not Inspection.objects.exists() or not Inspection.objects.filter(pk=DETAIL_ID).exists():
        sys.exit("No benchmark data in this database: run bench/seed_large.py first.")
    client = Client()
    client.force_login(bench_user())
    print(header(connection))
    cases = build_cases()
    if args.case:
        first = cases[0]  # the deep-page target is relative to the first page: keep it
        cases = [c for c in cases if c is first or any(n in c.name for n in args.case)]
    if any(c.kind == "overview" for c in cases):
        print(refresh_overview(connection))
    if args.skip_admin:
        for case in cases:
            case.admin = None
    for case in cases:
        try:
            case.ours_timing = measure(client, case.ours, args.warmup, args.repeat)
            if case.admin:
                case.admin_timing = measure(client, case.admin, args.warmup, args.repeat)
        except Exception as error:  # a broken page is reported, the others still measured
            case.error = f"{type(error).__name__}: {error}"
        print(f"  {progress(case)}", file=sys.stderr, flush=True)
    print()
    print(table(cases))
    print()
    failures = verdict(cases)
    print(
        "VERDICT: PASS — every target met"
        if not failures
        else "VERDICT: FAIL — " + "; ".join(failures)
    )
    print(
        f"(targets: first page p95 <= {FIRST_PAGE_P95_MS:.0f} ms, other lists p95 <= "
        f"{LIST_P95_MS:.0f} ms, each median faster than admin; deep page "
        f"median <= {DEEP_FACTOR:.0f}x first page; detail p95 <= {DETAIL_P95_MS:.0f} ms; "
        f"overview p95 <= {OVERVIEW_P95_MS:.0f} ms; trend chart p95 <= {TREND_P95_MS:.0f} ms)"
    )
    print(f"load average after the run: {load_average()} (1, 5, 15 min; {os.cpu_count()} CPUs)")
    explain(connection, cases, args.explain)


def configure_django(database_url: str, sqlite: Path) -> None:
    """Production-like settings from the environment, a throwaway VAR_DIR, DEBUG off."""
    os.environ.update(
        DEBUG="0",
        ALLOWED_HOSTS="testserver,localhost",
        SECRET_KEY="bench-only-not-secret-" + "x" * 40,
        QUALITYHUB_VAR_DIR=tempfile.mkdtemp(prefix="qualityhub-webbench-"),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="qualityhub.settings",
        SECURE_SSL_REDIRECT="0",  # the test Client speaks plain HTTP; production redirects
        STATIC_MANIFEST="0",  # no collectstatic in the throwaway VAR_DIR: plain static names
    )
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        return
    os.environ.pop("DATABASE_URL", None)
    path = sqlite.resolve()
    if path == APP_SQLITE.resolve():
        sys.exit(f"refusing to use the app's own database {path}; pick another --sqlite file")
    if not path.exists():
        sys.exit(f"{path} does not exist: run bench/seed_large.py --sqlite {sqlite} first.")
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = path  # before any connection is made


def refresh_overview(connection) -> str:
    """Compute and store the overview snapshot, as the Celery task does; say what it cost."""
    from qualityhub.analytics.overview import refresh_overview_snapshot

    recorder = QueryRecorder(connection)
    started = time.perf_counter()
    with connection.execute_wrapper(recorder):
        refresh_overview_snapshot()
    elapsed = time.perf_counter() - started
    times = ", ".join(f"{q['time'] * 1000:.0f}" for q in recorder.queries)
    return (
        f"overview snapshot refreshed in {elapsed * 1000:.0f} ms "
        f"({len(recorder.queries)} queries: {times} ms)"
    )


def supplier_name_part() -> str:
    """Part of a directory supplier's name, as someone would type it: the longest word of the
    first supplier's name without its first letter, in lower case ("olymers")."""
    from qualityhub.directory.models import Supplier

    supplier = Supplier.objects.order_by("coupa_id").first()
    if supplier is None:
        sys.exit("No supplier names in this database: run bench/seed_large.py --names-only.")
    return max(supplier.label.split(), key=len)[1:].lower()


def bench_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username=BENCH_USER, defaults={"is_staff": True, "is_superuser": True}
    )
    if not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save()
    return user


def header(connection) -> str:
    import django

    from qualityhub.analytics.models import StageStay
    from qualityhub.inspections.models import Characteristic, Inspection

    if connection.vendor == "postgresql":
        database = f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 100}"
    else:
        database = f"SQLite {connection.Database.sqlite_version}"
    database += f" ({connection.settings_dict['NAME']})"
    return (
        f"database: {database}: {Inspection.objects.count():,} inspections, "
        f"{Characteristic.objects.count():,} characteristics, "
        f"{StageStay.objects.count():,} stage stays\n"
        f"Django {django.get_version()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; in-process test Client, DEBUG off, times in ms\n"
        f"load average before the run: {load_average()}; {cpu_speed()}"
    )


def build_cases() -> list[Case]:
    from django.contrib import admin
    from django.utils import timezone

    from qualityhub.inspections.admin import InspectionAdmin
    from qualityhub.inspections.models import Inspection
    from qualityhub.inspections.views.inspections import SORTS
    from qualityhub.ui.paging import Sort, encode_cursor
    from qualityhub.ui.params import start_of_day

    now = timezone.now()
    today = timezone.localdate()
    after, before = today - timedelta(days=7), today + timedelta(days=7)
    changelist = "/admin/inspections/inspection/"

    def admin_query(**params: str) -> str:
        return changelist + "?" + urlencode(params)

    # A PO number that exists (the seed numbers them PO-10000 upwards).
    po = "PO-12345"
    if not Inspection.objects.filter(ref_document_id=po).exists():
        po = Inspection.objects.order_by("pk").values_list("ref_document_id", flat=True).first()

    # The row 95% deep in the list's default order, found once with OFFSET (not timed).
    total = Inspection.objects.count()
    offset = int(total * 0.95)
    ordering = Sort.parse("-modified", SORTS, "-modified").ordering("pk")
    modified, pk = Inspection.objects.order_by(*ordering).values_list("modified_at", "pk")[offset]
    per_page = admin.site.get_model_admin(Inspection).list_per_page
    admin_page = offset // per_page + 1

    not_closed = "Open,In Progress,In Buyer Review"
    due_date_column = 1 + InspectionAdmin.list_display.index("due_date")  # admin's ?o=
    in_a_week = (now + timedelta(days=7)).isoformat(timespec="seconds")
    item, characteristic, supplier = trend_pair()
    name_part = supplier_name_part()
    return [
        Case("list (first page)", "list", "/inspections/", changelist),
        Case("status=Open", "list", "/inspections/?status=Open", admin_query(status__exact="Open")),
        Case(
            "decision=Rejected",
            "list",
            "/inspections/?decision=Rejected",
            admin_query(review_decision__exact="Rejected"),
        ),
        Case(
            "verdict=fail", "list", "/inspections/?verdict=fail", admin_query(verdict__exact="fail")
        ),
        Case("supplier=3", "list", "/inspections/?supplier=3", admin_query(supplier_id__exact="3")),
        Case("item=5", "list", "/inspections/?item=5", admin_query(item_id__exact="5")),
        Case("exported=no", "list", "/inspections/?exported=no", admin_query(exported__exact="0")),
        Case(
            "overdue=1",
            "list",
            "/inspections/?overdue=1",
            admin_query(status__in=not_closed, due_date__lt=now.isoformat(timespec="seconds")),
        ),
        Case(
            "due ±7 days",
            "list",
            f"/inspections/?due_after={after}&due_before={before}",
            admin_query(
                due_date__gte=start_of_day(after).isoformat(),
                due_date__lt=start_of_day(before + timedelta(days=1)).isoformat(),
            ),
        ),
        Case(
            "disagreement=1",
            "list",
            "/inspections/?disagreement=1",
            admin_query(disagreement__exact="1"),
        ),
        Case("gone=yes", "list", "/inspections/?gone=yes", admin_query(gone_at__isnull="False")),
        # The work queues above the list (PRESETS), as a click sends them.
        Case(
            "queue: open, due this week",
            "list",
            "/inspections/?status=Open&due_within=7",
            admin_query(status__exact="Open", due_date__lt=in_a_week),
        ),
        Case(
            "queue: buyer review by due",
            "list",
            "/inspections/?status=In+Buyer+Review&sort=due_date",
            admin_query(status__exact="In Buyer Review", o=str(due_date_column)),
        ),
        Case(
            "queue: closed, not exported",
            "list",
            "/inspections/?status=Closed&exported=no",
            admin_query(status__exact="Closed", exported__exact="0"),
        ),
        Case(
            "queue: accepted, failing",
            "list",
            "/inspections/?queue=accepted-failing",
            admin_query(
                status__exact="Closed", review_decision__exact="Accepted", verdict__exact="fail"
            ),
        ),
        Case(  # reviewed OR modified this month: not expressible in the admin's URL
            "queue: rejected this month",
            "list",
            "/inspections/?decision=Rejected&reviewed_this_month=1",
            None,
        ),
        # Assignment (issue 17): QualityHub's own, so the admin has no comparison.
        Case("queue: assigned to me", "list", "/inspections/?assignee=me", None),
        Case(
            "queue: unassigned, needing review",
            "list",
            "/inspections/?status=In+Buyer+Review&assignee=nobody&sort=due_date",
            None,
        ),
        Case(f"search q={po}", "list", f"/inspections/?q={po}", admin_query(q=po)),
        # Names (issue 15): part of a supplier's name typed in the search, the list sorted by
        # supplier name (the row's supplier_name), several suppliers chosen in the picker. The
        # admin has no supplier names: no comparison for the first two.
        Case(f"name search q={name_part}", "list", f"/inspections/?q={name_part}", None),
        Case("name sort", "list", "/inspections/?sort=supplier", None),
        Case("name sort, descending", "list", "/inspections/?sort=-supplier", None),
        Case(
            "suppliers 3+8",
            "list",
            "/inspections/?supplier=3&supplier=8",
            admin_query(supplier_id__in="3,8"),
        ),
        Case(
            "page 95% deep",
            "deep",
            "/inspections/?" + urlencode({"after": encode_cursor(modified, pk)}),
            admin_query(p=str(admin_page)),
        ),
        Case(
            f"detail {DETAIL_ID} (50 lines)",
            "detail",
            f"/inspections/{DETAIL_ID}/",
            f"{changelist}{DETAIL_ID}/change/",
        ),
        Case("detail timeline (htmx)", "page", f"/inspections/{DETAIL_ID}/timeline/", None),
        Case("overview /", "overview", "/", None),
        Case("overview weeks=52", "overview", "/?weeks=52", None),
        # Results list characteristics; the admin has no changelist for them.
        Case("results (first page)", "list", "/results/", None),
        Case("results verdict=fail", "list", "/results/?verdict=fail", None),
        Case("results supplier=3 fail", "list", "/results/?supplier=3&verdict=fail", None),
        Case("results item=5", "list", "/results/?item=5", None),
        Case("results name=Inner", "list", "/results/?name=Inner", None),
        Case("trends (most measured)", "page", "/trends/", None),
        Case(
            "trend chart (one item)",
            "trend",
            "/trends/?" + urlencode({"item": item, "characteristic": characteristic}),
            None,
        ),
        Case(
            "trend chart (one item, one supplier)",
            "trend",
            "/trends/?"
            + urlencode({"item": item, "characteristic": characteristic, "supplier": supplier}),
            None,
        ),
        Case("suppliers (scorecards)", "page", "/suppliers/", None),
        Case("supplier 3 scorecard", "page", "/suppliers/3/", None),
    ]


def trend_pair() -> tuple[int, str, int]:
    """A numeric characteristic of item 5 (or of the first item that has one), for a chart, and
    the supplier of its first inspection."""
    from qualityhub.inspections.models import Characteristic, Inspection

    first = Inspection.objects.filter(item_id=5).order_by("pk").first()
    first = first or Inspection.objects.exclude(item_id=None).order_by("pk").first()
    line = (
        Characteristic.objects.filter(inspection=first, recorded_numeric__isnull=False)
        .exclude(value_type="choice")
        .order_by("line_num")
        .first()
    )
    return (first.item_id, line.name if line else "", first.supplier_id)


ROW_MARKERS = (
    re.compile(rb"data-characteristic-id="),  # detail page lines, results list
    re.compile(rb"data-inspection-id="),  # our inspection list
    re.compile(rb'name="_selected_action"'),  # admin changelist
    re.compile(rb"<tr[ >]"),  # anything else with a table
)


class QueryRecorder:
    """An execute wrapper: every query's SQL as run (parameters inlined) and its time.

    Django's own capture (connection.queries) rounds times to whole milliseconds.
    """

    def __init__(self, connection) -> None:
        self.connection = connection
        self.queries: list[dict] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            raw = context["cursor"].cursor
            try:
                text = self.connection.ops.last_executed_query(raw, sql, params)
            except Exception:  # only for display
                text = sql
            self.queries.append({"sql": text, "time": elapsed})


def measure(client, url: str, warmup: int, repeat: int) -> Timing:
    from django.db import connection

    for _ in range(warmup):
        check(url, client.get(url))
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        check(url, response)
    recorder = QueryRecorder(connection)
    with connection.execute_wrapper(recorder):
        response = client.get(url)
    check(url, response)
    content = response.content
    rows = None
    for marker in ROW_MARKERS:
        found = len(marker.findall(content))
        if found:
            rows = found
            break
    return Timing(url, samples, recorder.queries, rows, len(content))


class PageError(Exception):
    pass


def check(url: str, response) -> None:
    if response.status_code != 200:
        location = response.get("Location", "")
        raise PageError(f"GET {url} answered {response.status_code} {location}".rstrip())
    if b"errornote" in response.content:  # admin's "wrong lookup" page
        raise PageError(f"GET {url}: the admin reported an error in the query")


def progress(case: Case) -> str:
    if case.error:
        return f"{case.name}: ERROR {case.error[:200]}"
    text = f"{case.name}: ours {case.ours_timing.median:.1f}/{case.ours_timing.p95:.1f} ms"
    if case.admin_timing:
        text += f", admin {case.admin_timing.median:.1f}/{case.admin_timing.p95:.1f} ms"
    return text


def table(cases: list[Case]) -> str:
    head = (
        f"{'case':<30} {'ours med':>8} {'p95':>7} {'q':>3} {'db':>7} {'rows':>5}"
        f" | {'admin med':>9} {'p95':>7} {'q':>3} {'db':>7} {'rows':>5} | {'admin/ours':>10}"
    )
    lines = [head, "-" * len(head)]
    for case in cases:
        ours = case.ours_timing
        if case.error:
            lines.append(f"{case.name:<30} ERROR {case.error[:160]}")
            continue
        line = (
            f"{case.name:<30} {ours.median:>8.1f} {ours.p95:>7.1f} {len(ours.queries):>3}"
            f" {ours.db_ms:>7.1f} {_rows(ours):>5}"
        )
        admin = case.admin_timing
        if admin:
            line += (
                f" | {admin.median:>9.1f} {admin.p95:>7.1f} {len(admin.queries):>3}"
                f" {admin.db_ms:>7.1f} {_rows(admin):>5} | {admin.median / ours.median:>9.1f}x"
            )
        else:
            line += f" | {'—':>9} {'':>7} {'':>3} {'':>7} {'':>5} | {'(no admin)':>10}"
        lines.append(line)
    lines.append(
        "med/p95: ms per request; q: queries; db: their database time in ms (one captured "
        "request); rows: table rows on the page"
    )
    return "\n".join(lines)


def _rows(timing: Timing) -> str:
    return "" if timing.rows is None else str(timing.rows)


def verdict(cases: list[Case]) -> list[str]:
    failures = [f"{c.name} failed" for c in cases if c.error]
    first = next(c for c in cases if c.ours == "/inspections/").ours_timing
    for case in cases:
        ours = case.ours_timing
        if case.error or first is None:
            continue
        if case.kind in ("list", "deep") and ours.p95 > list_target(case):
            failures.append(f"{case.name} p95 {ours.p95:.0f} ms > {list_target(case):.0f}")
        admin = case.admin_timing
        if case.kind in ("list", "deep") and admin and ours.median >= admin.median:
            failures.append(
                f"{case.name} not faster than admin ({ours.median:.1f} vs {admin.median:.1f} ms)"
            )
        if case.kind == "deep" and ours.median > DEEP_FACTOR * first.median:
            failures.append(
                f"{case.name} median {ours.median:.1f} ms > {DEEP_FACTOR:.0f}x first page"
                f" ({first.median:.1f} ms)"
            )
        if case.kind == "detail" and ours.p95 > DETAIL_P95_MS:
            failures.append(f"{case.name} p95 {ours.p95:.0f} ms > {DETAIL_P95_MS:.0f}")
        if case.kind == "overview" and ours.p95 > OVERVIEW_P95_MS:
            failures.append(f"{case.name} p95 {ours.p95:.0f} ms > {OVERVIEW_P95_MS:.0f}")
        if case.kind == "trend" and ours.p95 > TREND_P95_MS:
            failures.append(f"{case.name} p95 {ours.p95:.0f} ms > {TREND_P95_MS:.0f}")
    return failures


def missed_target(case: Case, first_median: float) -> bool:
    ours = case.ours_timing
    if ours is None:
        return False
    if case.kind == "detail":
        return ours.p95 > DETAIL_P95_MS
    if case.kind == "overview":
        return ours.p95 > OVERVIEW_P95_MS
    if case.kind == "trend":
        return ours.p95 > TREND_P95_MS
    if case.kind == "deep" and ours.median > DEEP_FACTOR * first_median:
        return True
    if case.kind in ("list", "deep"):
        slower = case.admin_timing is not None and ours.median >= case.admin_timing.median
        return ours.p95 > list_target(case) or slower
    return False


def list_target(case: Case) -> float:
    return FIRST_PAGE_P95_MS if case.ours == "/inspections/" else LIST_P95_MS


def explain(connection, cases: list[Case], which: str) -> None:
    if which == "none":
        return
    first = next(c for c in cases if c.ours == "/inspections/").ours_timing
    first_median = first.median if first else 0.0
    chosen = [
        c for c in cases if c.ours_timing and (which == "all" or missed_target(c, first_median))
    ]
    for case in chosen:
        queries = case.ours_timing.queries
        if not queries:
            continue
        slowest = max(queries, key=lambda q: float(q["time"]))
        sql = slowest["sql"]
        print()
        print(
            f"--- {case.name}: {case.ours_timing.url}\n"
            f"slowest of {len(queries)} queries ({float(slowest['time']) * 1000:.1f} ms):\n"
            f"{sql if len(sql) < 2000 else sql[:2000] + ' …'}"
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = cursor.fetchall()
        for row in plan:
            print("  " + "  ".join(str(value) for value in row[-1:]))


if __name__ == "__main__":
    main()
