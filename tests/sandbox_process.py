"""Start the Coupa sandbox as a separate process on a free port and talk to its control API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CLIENT_ID = "sandbox"
CLIENT_SECRET = "sandbox-secret"


class SandboxProcess:
    def __init__(self, db_path: Path, **options: Any) -> None:
        self.db_path, self.options = db_path, options  # for `start_again`
        args = [sys.executable, "-m", "qualityhub.sandbox", "--port", "0", "--db", str(db_path)]
        for name, value in options.items():
            flag = f"--{name.replace('_', '-')}"
            args += [flag] if value is True else [flag, str(value)]
        self.process = subprocess.Popen(
            args,
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        first_line = self.process.stdout.readline().strip()
        if "listening on " not in first_line:
            self.process.kill()
            rest = self.process.stdout.read()
            raise RuntimeError(f"the sandbox did not start: {first_line}\n{rest}")
        self.url = first_line.rsplit(" ", 1)[-1]
        # Keep draining its output so a chatty server never blocks on a full pipe.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + "/_sandbox/" + path.lstrip("/"),
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def configure(self, **config: Any) -> Any:
        return self.control("POST", "config", config)

    def reset_config(self) -> None:
        self.control("POST", "config/reset", {})

    def request_count(self) -> dict[str, Any]:
        return self.control("GET", "requests")

    def reset_request_count(self) -> None:
        self.control("POST", "requests/reset", {})

    def withhold_scopes(self, *scopes: str) -> Any:
        """From now on the token endpoint grants what is asked minus `scopes` (new tokens only);
        `reset_config()` grants everything again."""
        return self.configure(withheld_scopes=list(scopes))

    def change_reference(self, kind: str, coupa_id: int, **fields: Any) -> dict[str, Any]:
        """Change a Core reference record (kind suppliers|users|uoms|items), e.g.
        `change_reference("suppliers", 8, display_name="Renamed")`; its updated-at becomes now.
        The answer is the changed record. Forgotten on `/_sandbox/reset`."""
        changes = {name.replace("_", "-"): value for name, value in fields.items()}
        return self.control("PATCH", f"reference/{kind}/{coupa_id}", changes)

    def reset_all(self) -> Any:
        """Regenerate the data set and forget tokens, counters, runtime and reference changes."""
        return self.control("POST", "reset", {})

    def advance(self, count: int) -> list[int]:
        return self.control("POST", "advance", {"count": count})["advanced"]

    def start_again(self) -> None:
        """Start a stopped sandbox again on its port and data file: Coupa back after an outage."""
        port = int(self.url.rsplit(":", 1)[1])
        again = SandboxProcess(self.db_path, **{**self.options, "port": port})
        self.__dict__.update(again.__dict__)

    def stop(self) -> None:
        stop_process(self.process)


def wait_until_healthy(url: str, log: Path, seconds: float = 60) -> None:
    """Until `url`/healthz answers 200; a server that never does fails with its log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer:\n{log.read_text()}")


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM, and SIGKILL if it has not exited within `timeout` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
