"""Limits for one student's run: wall-clock time, memory and number of processes.

nbgrader runs a student's notebook in a kernel, a child process of the grading process. A
``Watchdog`` thread polls the process tree below the grading process and kills all of it when
one limit is passed; the grading process itself (and the batch) goes on.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import psutil


@dataclass(frozen=True)
class Limits:
    seconds: float = 900.0  # wall-clock time for one student's whole notebook
    memory_gb: float = 4.0  # resident memory of the kernel and everything it starts
    processes: int = 64  # processes the kernel may have at once (fork bombs)


class Watchdog(threading.Thread):
    """Kill every process started below this one after ``start()`` once a limit is passed.

    ``reason`` then says which limit, in words for the report; ``peak_gb`` is the largest
    resident memory seen.
    """

    def __init__(self, limits: Limits, poll: float = 0.1):
        super().__init__(daemon=True)
        self.limits, self.poll = limits, poll
        self.reason: str | None = None
        self.peak_gb = 0.0
        self._stop_event = threading.Event()
        self._before = {p.pid for p in psutil.Process().children(recursive=True)}
        self._t0 = time.monotonic()

    def __enter__(self) -> Watchdog:
        self._t0 = time.monotonic()
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop_event.set()
        self.join()
        self._kill_all()  # a kernel left behind (e.g. after a crash) does not outlive its student

    def _tree(self) -> list[psutil.Process]:
        return [p for p in psutil.Process().children(recursive=True) if p.pid not in self._before]

    def _kill_all(self) -> None:
        for _ in range(20):  # a fork loop may add children while we kill: repeat until none
            tree = self._tree()
            if not tree:
                return
            for process in tree:
                try:
                    process.kill()
                except psutil.Error:
                    pass
            psutil.wait_procs(tree, timeout=1)

    def _memory_gb(self, tree: list[psutil.Process]) -> float:
        total = 0
        for process in tree:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                pass
        return total / 2**30

    def run(self) -> None:
        limits = self.limits
        while not self._stop_event.wait(self.poll):
            tree = self._tree()
            memory = self._memory_gb(tree)
            self.peak_gb = max(self.peak_gb, memory)
            if time.monotonic() - self._t0 > limits.seconds:
                self.reason = f"stopped after the time limit of {limits.seconds:g} s"
            elif len(tree) > limits.processes:
                self.reason = f"stopped at {len(tree)} processes (limit {limits.processes})"
            elif memory > limits.memory_gb:
                self.reason = f"stopped at the memory limit of {limits.memory_gb:g} GB"
            if self.reason:
                self._kill_all()
                return
