"""`manage.py coupa_sync [--full] [--inspection ID]`: a sync in the foreground."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from qualityhub.coupa import CoupaError, client_from_settings
from qualityhub.inspections.models import Inspection
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import SyncInterrupted, run_sync


class Command(BaseCommand):
    help = "Sync the cache from Coupa now, showing progress; exits non-zero when the run failed."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="walk every inspection")
        parser.add_argument("--inspection", type=int, metavar="ID", help="refresh one inspection")
        parser.add_argument(
            "--skip-attachments", action="store_true", help="do not read attachment lists"
        )

    def handle(self, *args, **options):
        if options["inspection"] is not None:
            mode = SyncRun.Mode.ONE
        else:
            mode = SyncRun.Mode.FULL if options["full"] else SyncRun.Mode.INCREMENTAL
        self._expected = Inspection.objects.count() if mode == SyncRun.Mode.FULL else 0
        self._started = time.monotonic()
        try:
            run = run_sync(
                mode,
                client=client_from_settings(),
                coupa_id=options["inspection"],
                attachments="skip" if options["skip_attachments"] else "inline",
                progress=self._progress,
            )
        except (CoupaError, SyncInterrupted) as exc:
            self._end_progress()
            run = SyncRun.objects.filter(mode=mode).first()
            self._report(run)
            raise CommandError(f"Sync failed: {exc}") from exc
        self._end_progress()
        self._report(run)
        if run.outcome == SyncRun.Outcome.REFUSED:
            raise CommandError("Another sync is running; nothing was done.")

    def _progress(self, run: SyncRun) -> None:
        if not sys.stdout.isatty() and run.pages % 20:
            return
        seen = run.seen + run.skipped
        rate = seen / max(time.monotonic() - self._started, 1e-6)
        if self._expected:
            done = min(seen / self._expected, 1.0)
            bar = "#" * int(done * 30)
            line = f"[{bar:<30}] {seen}/~{self._expected} inspections, {rate:,.0f}/s"
        else:
            line = f"page {run.pages}: {seen} inspections, {rate:,.0f}/s"
        end = "\r" if sys.stdout.isatty() else "\n"
        self.stdout.write(line, ending=end)
        self.stdout.flush()

    def _end_progress(self) -> None:
        if sys.stdout.isatty():
            self.stdout.write("")

    def _report(self, run: SyncRun | None) -> None:
        if run is None:
            return
        elapsed = ((run.finished_at or run.started_at) - run.started_at).total_seconds()
        style = self.style.SUCCESS if run.succeeded else self.style.ERROR
        self.stdout.write(style(f"{run.get_mode_display()} sync {run.outcome} in {elapsed:.1f} s"))
        self.stdout.write(
            f"  pages {run.pages}, created {run.created}, updated {run.updated}, "
            f"unchanged {run.unchanged}, skipped {run.skipped}, gone {run.gone}"
        )
        for error in run.errors[:20]:
            self.stdout.write(f"  skipped inspection {error['coupa_id']}: {error['reason']}")
        if len(run.errors) > 20:
            self.stdout.write(f"  … and {run.skipped - 20} more skipped records")
        if run.message:
            self.stdout.write(f"  {run.message}")
