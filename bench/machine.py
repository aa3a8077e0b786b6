"""How busy this machine was while a benchmark ran (shared by the bench scripts)."""

from __future__ import annotations

import os
import time


def load_average() -> str:
    """Other processes on the machine skew p95 most: say how busy it was."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def cpu_speed() -> str:
    """A fixed pure-Python loop, timed: this 2-core VM's speed varies with its neighbours, and
    the pages' time is mostly the template engine's Python."""
    started = time.process_time()
    total = 0
    for number in range(2_000_000):
        total += number
    return f"a 2 M-step Python loop took {(time.process_time() - started) * 1000:.0f} ms of CPU"
