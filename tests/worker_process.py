"""A real Celery worker in its own process, on the test database and the configured broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.sandbox_process import PROJECT_ROOT


class WorkerProcess:
    def __init__(
        self,
        coupa_url: str,
        *,
        concurrency: int = 1,
        extra_env: dict | None = None,
        purge: bool = False,
    ):
        self.log = Path(tempfile.mkstemp(prefix="celery-worker-", suffix=".log")[1])
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "QUALITYHUB_WORKER_OF_TESTS": "1",
            "COUPA_BASE_URL": coupa_url,
            **(extra_env or {}),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "qualityhub", "worker"]
            + ["--pool", "prefork", "--concurrency", str(concurrency)]
            + ["--loglevel", "INFO", "--without-gossip", "--without-mingle"]
            # Tasks another test queued and never ran (a transactional test's on_commit, say)
            # are not this test's: `purge` starts from an empty queue.
            + (["--purge"] if purge else [])
            + ["--hostname", f"tests-{os.getpid()}-{time.monotonic_ns()}@localhost"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_until_ready()

    def _wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.output():
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"the Celery worker exited:\n{self.output()}")
            time.sleep(0.2)
        raise RuntimeError(f"the Celery worker did not start:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def pool_children(self) -> list[int]:
        """The pids of the worker's pool processes (the children of its main process)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # "pid (name) state ppid ...": the name may hold spaces, so split after it.
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # the process ended while we looked
            if parent == self.process.pid:
                children.append(int(stat.parent.name))
        return children

    def kill_pool_child(self) -> int:
        """SIGKILL the pool process (as the OOM killer would); the main process survives and
        starts another. Returns the killed pid."""
        children = self.pool_children()
        if len(children) != 1:
            raise RuntimeError(f"expected one pool process, found {children}")
        os.kill(children[0], signal.SIGKILL)
        return children[0]

    def kill(self) -> None:
        """SIGKILL the whole worker, main process and pool alike: no warm shutdown, no goodbye
        to the broker (a crashed machine)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
