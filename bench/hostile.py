"""Hostile-Coupa benchmark: the peak memory of a process syncing from (or downloading through)
a Coupa that sends too much or too slowly.

    .venv/bin/python bench/hostile.py [--list-mb 200] [--file-mb 300]

A hostile server (tests/hostile_coupa.py) runs in this process; each case runs in a fresh child
process (a temporary SQLite database, the cache first filled with 40 inspections) that reports
its own peak resident memory (VmHWM), so every figure is the syncing process's alone:
- baseline: a full sync of the 40 inspections again, nothing hostile;
- a list padded with whitespace to --list-mb, with and without Content-Length;
- a list page of 0.8 M numbers just under the byte cap (the JSON costing most memory per byte);
- an answer dripped a byte every 0.5 s (COUPA_TOTAL_TIMEOUT=3);
- a --file-mb attachment through the download view, over the default cap, and streamed whole
  with COUPA_MAX_DOWNLOAD_BYTES raised above it.
Target: every peak under 200 MB. The load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import load_average  # bench/ is the script's folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MB = 1024 * 1024
TARGET_MB = 200
RECORDS = 40  # one short page: the seeding sync reads the list once


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list-mb", type=int, default=200)
    parser.add_argument("--file-mb", type=int, default=300)
    parser.add_argument("--child", nargs=2, metavar=("CASE", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child, file_mb=args.file_mb)))
        return
    _parent(args)


def _parent(args) -> None:
    from tests.hostile_coupa import (
        HostileCoupa,
        download,
        drip,
        json_answer,
        padded_list,
    )

    records = _records()
    dense = b"[" + b"1.1," * (768 * 1024 - 2) + b"1.1]"  # just under the 3 MB default cap
    cases = [
        ("baseline: full sync of 40 inspections", "sync", json_answer(records)),
        (
            f"list padded to {args.list_mb} MB, no Content-Length",
            "sync",
            padded_list([], args.list_mb * MB, content_length=False),
        ),
        (
            f"list padded to {args.list_mb} MB, Content-Length declared",
            "sync",
            padded_list([], args.list_mb * MB),
        ),
        ("a 3 MB page of 0.8 M numbers", "sync", _raw_answer(dense)),
        ("an answer dripped a byte every 0.5 s", "sync-drip", drip(b"[" + b" " * 1000 + b"]")),
        (
            f"{args.file_mb} MB attachment, default cap",
            "download",
            download(args.file_mb * MB),
        ),
        (
            f"{args.file_mb} MB attachment, size not declared, cap raised above it",
            "download-whole",
            download(args.file_mb * MB, declared=None),
        ),
    ]
    server = HostileCoupa()
    print(f"hostile Coupa at {server.url}; load average {load_average()}")
    worst = 0.0
    try:
        for title, case, behaviour in cases:
            # The child's first list request fills its cache; the case answers from then on.
            server.on("list", _first_then(json_answer(records), behaviour))
            server.on("download", behaviour)
            result = _run_child(case, server.url, args.file_mb)
            worst = max(worst, result["peak_mb"])
            print(
                f"{title}: peak RSS {result['peak_mb']:.0f} MB, {result['seconds']:.1f} s, "
                f"{result['outcome']}; load average {load_average()}"
            )
    finally:
        server.stop()
    verdict = "PASS" if worst < TARGET_MB else "FAIL"
    print(f"{verdict}  worst peak {worst:.0f} MB (target < {TARGET_MB} MB)")


def _run_child(case: str, url: str, file_mb: int) -> dict:
    command = [sys.executable, __file__, "--child", case, url, "--file-mb", str(file_mb)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode:
        raise SystemExit(f"{case} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _first_then(first, then):
    calls = []

    def answer(handler) -> None:
        calls.append(1)
        (first if len(calls) == 1 else then)(handler)

    return answer


def _raw_answer(body: bytes):
    def answer(handler) -> None:
        handler.head(200, {"Content-Type": "application/json", "Content-Length": str(len(body))})
        handler.body([body])

    return answer


def _records() -> list[dict]:
    from qualityhub.coupa import wirejson

    example = wirejson.loads((ROOT / "tests/data/seed_get_response.json").read_bytes())
    # Each inspection its own line ids: a line id in two inspections is refused by the sync.
    return [
        {
            **example,
            "id": number,
            "characteristics": [
                {**line, "id": number * 1000 + position, "inspectionId": number}
                for position, line in enumerate(example["characteristics"])
            ],
        }
        for number in range(1, RECORDS + 1)
    ]


# --- the child: one case in a fresh process ----------------------------------------------------


def _child(case: str, url: str, *, file_mb: int) -> dict:
    workdir = tempfile.mkdtemp(prefix="qualityhub-hostile-")
    os.environ.update(
        SECRET_KEY="bench-only",
        QUALITYHUB_VAR_DIR=workdir,
        LOG_LEVEL="CRITICAL",
        COUPA_BASE_URL=url,
        COUPA_CLIENT_ID="bench",
        COUPA_CLIENT_SECRET="bench",
        COUPA_REQUESTS_PER_SECOND="0",
        COUPA_MAX_ATTEMPTS="1",
        SECURE_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="qualityhub.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    if case == "sync-drip":
        os.environ.update(COUPA_TOTAL_TIMEOUT="3", COUPA_CONNECT_TIMEOUT="2")
    if case == "download-whole":
        os.environ["COUPA_MAX_DOWNLOAD_BYTES"] = str((file_mb + 1) * MB)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from qualityhub.coupa import client_from_settings
    from qualityhub.sync.pull import run_sync

    seeded = run_sync("full", client=client_from_settings(), attachments="skip")
    assert seeded.created == RECORDS, seeded.message
    started = time.monotonic()
    outcome = _download() if case.startswith("download") else _sync()
    return {"peak_mb": _peak_mb(), "seconds": time.monotonic() - started, "outcome": outcome}


def _sync() -> str:
    from qualityhub.coupa import CoupaError, client_from_settings
    from qualityhub.inspections.models import Inspection
    from qualityhub.sync.pull import run_sync

    try:
        run = run_sync("full", client=client_from_settings(), attachments="skip")
        result = f"run {run.outcome}: {run.message or 'no message'}"
    except CoupaError as exc:
        result = f"run failed: {exc}"
    gone = Inspection.objects.filter(gone_at__isnull=False).count()
    return f"{result}; {gone} of {RECORDS} cached inspections marked gone"


def _download() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.test.utils import setup_test_environment

    from qualityhub.attachments.models import Attachment
    from qualityhub.inspections.models import Inspection

    setup_test_environment()
    row = Attachment.objects.create(
        inspection=Inspection.objects.first(), coupa_id=1, file_name="big.pdf"
    )
    user = get_user_model().objects.create_user("bench")
    user.groups.add(Group.objects.get(name="Quality engineer"))
    browser = Client()
    browser.force_login(user)
    response = browser.get(f"/attachments/{row.pk}/download/")
    if not response.streaming:
        return f"{response.status_code}: {response.content.decode()[:100]}"
    received = 0
    try:
        for chunk in response.streaming_content:
            received += len(chunk)
    except Exception as exc:  # noqa: BLE001 - the stream's end is the figure
        return f"{response.status_code}, cut off after {received / MB:.0f} MB: {exc}"
    finally:
        response.close()
    return f"{response.status_code}, {received / MB:.0f} MB streamed"


def _peak_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


if __name__ == "__main__":
    main()
