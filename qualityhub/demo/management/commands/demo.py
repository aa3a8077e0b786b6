"""Run the whole product on one machine: sandbox Coupa, web app, Celery worker and beat.

Everything runs as child processes of this command; Ctrl-C stops them all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from qualityhub.accounts.demo_users import DEMO_USERS
from qualityhub.directory.tasks import refresh_names_full
from qualityhub.notifications.audience import listeners
from qualityhub.notifications.inbox import save_choices
from qualityhub.notifications.kinds import Delivery
from qualityhub.sync.tasks import sync_full


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _mail_the_engineer_at_once() -> None:
    """A daily digest would wait for 07:00: the demo's engineer, until they choose otherwise,
    gets their role's notifications one mail each, at once, so that var/mail/ shows them."""
    for person in listeners():
        if person.username == "engineer" and not person.choices.stored:
            save_choices(person.user_id, replace(person.choices, delivery=Delivery.IMMEDIATE))


def sandbox_request_log(var_dir: Path) -> Path:
    """Where the demo's sandbox writes its line per API request, away from the console."""
    return Path(var_dir) / "sandbox-requests.log"


def sandbox_command(port: int, inspections: int, advance_every: float, var_dir: Path) -> list[str]:
    """How the demo starts the Coupa sandbox."""
    return (
        [sys.executable, "-m", "qualityhub.sandbox"]
        + ["--port", str(port), "--inspections", str(inspections)]
        + ["--db", str(Path(var_dir) / "sandbox.sqlite3")]
        + ["--advance-every", str(advance_every)]
        + ["--request-log", str(sandbox_request_log(var_dir))]
    )


class Command(BaseCommand):
    help = "Start the demo: Coupa sandbox, web app, Celery worker with beat."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="web app port")
        parser.add_argument("--sandbox-port", type=int, default=8001)
        parser.add_argument("--inspections", type=int, default=300)
        parser.add_argument(
            "--advance-every",
            type=float,
            default=15,
            help="seconds between collaboration steps in the sandbox (0: never)",
        )

    def handle(self, *args, **options):
        # SIGTERM (a service manager, `kill`) stops the children like Ctrl-C does.
        signal.signal(signal.SIGTERM, _interrupt)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("create_demo_users", force=True, stdout=StringIO())
        _mail_the_engineer_at_once()
        credentials = DEMO_USERS
        sandbox_url = f"http://127.0.0.1:{options['sandbox_port']}"
        env = {**os.environ, "COUPA_BASE_URL": sandbox_url, "DEBUG": os.environ.get("DEBUG", "1")}
        children: list[subprocess.Popen] = []
        try:
            children.append(self._start_sandbox(options, env))
            self._wait_for(f"{sandbox_url}/_sandbox/health", "the Coupa sandbox")
            children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "celery", "-A", "qualityhub", "worker", "--beat"]
                    + ["--loglevel", "INFO", "--concurrency", "2"]
                    + ["--schedule", str(Path(settings.VAR_DIR) / "celerybeat-schedule")],
                    env=env,
                )
            )
            children.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "runserver", f"127.0.0.1:{options['port']}"],
                    env=env,
                    cwd=settings.BASE_DIR,
                )
            )
            self._wait_for(f"http://127.0.0.1:{options['port']}/admin/login/", "the web app")
            # Beat's first incremental sync is an interval away; fill the cache now, and the
            # names beside it (the worker runs two tasks at once): the sync resolves the ids it
            # meets, the full refresh brings every supplier, person and unit the sandbox has.
            refresh_names_full.delay()
            sync_full.delay()
            self._announce(
                options["port"], sandbox_url, credentials, sandbox_request_log(settings.VAR_DIR)
            )
            self._watch(children)
        except KeyboardInterrupt:
            self.stdout.write("\nStopping…")
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()

    def _start_sandbox(self, options, env) -> subprocess.Popen:
        command = sandbox_command(
            options["sandbox_port"],
            options["inspections"],
            options["advance_every"],
            Path(settings.VAR_DIR),
        )
        return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)

    def _wait_for(self, url: str, what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise CommandError(f"{what} did not start within {timeout:.0f} s ({url})")

    def _announce(self, port: int, sandbox_url: str, credentials, request_log: Path):
        self.stdout.write(self.style.SUCCESS(f"\nQualityHub is running: http://127.0.0.1:{port}/"))
        self.stdout.write(f"Coupa sandbox: {sandbox_url} (its requests logged to {request_log})")
        for user in credentials:
            self.stdout.write(
                f"  sign in as {user.role.lower()}: {user.username} / {user.password}"
            )
        mail_folder = Path(settings.VAR_DIR) / "mail"
        self.stdout.write(f"Mail is not sent: it is written to files in {mail_folder}/")
        self.stdout.write("Press Ctrl-C to stop.\n")

    def _watch(self, children: list[subprocess.Popen]) -> None:
        while True:
            for child in children:
                if child.poll() is not None:
                    raise CommandError(f"{child.args[2]} exited with {child.returncode}")
            time.sleep(1)
