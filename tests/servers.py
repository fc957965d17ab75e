"""A real server for tests that need parallel requests: gunicorn in a subprocess, and bursts.

- `Gunicorn(database_url=...)`: the project's gunicorn (`hiring.gunicorn_conf`, threaded
  workers) on a free loopback port, on the given database; `start()` waits until /healthz
  answers, `stop()` ends it. Its log is `test-artifacts/<name>.log`.
- `burst(n, send)`: n threads, each with its own HTTP client (so its own connection),
  released together by a barrier; returns every answer, in order.

Used by tests/concurrency (PostgreSQL, `make test-concurrency`) and by the SQLite
parallel-writers test in tests/hiring.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"
# One line per request at INFO would bury a failing test's own output.
logging.getLogger("httpx").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a server or management command on `database_url`: the tests'
    settings (pytest-env put them in os.environ), no broker to reach, mail kept in memory."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hiring.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": "memory://",
        "EMAIL_URL": "locmem://",
        **extra,
    }


@dataclass
class Gunicorn:
    """gunicorn with `workers` processes of `threads` threads each, on LOOPBACK:port."""

    database_url: str
    name: str = "gunicorn"
    workers: int = 3
    threads: int = 4
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)  # more settings, e.g. a replica's URL
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def log(self) -> Path:
        return ROOT / "test-artifacts" / f"{self.name}.log"

    def command(self) -> list[str]:
        options = {
            "--config": "python:hiring.gunicorn_conf",
            "--bind": f"{LOOPBACK}:{self.port}",
            "--workers": str(self.workers),
            "--worker-class": "gthread",
            "--threads": str(self.threads),
            "--timeout": "60",
            "--access-logfile": "-",
        }
        flags = [part for pair in options.items() for part in pair]
        # --preload: Django is imported once, then the workers fork: a faster start.
        return [sys.executable, "-m", "gunicorn", *flags, "--preload", "hiring.wsgi:application"]

    def start(self, timeout: float = 60) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as handle:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=server_env(self.database_url, **self.env),
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while not self._answers():
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}): see {self.log}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"gunicorn did not answer within {timeout:.0f} s: {self.log}")
            time.sleep(0.1)
        # Every worker has served once (URLconf, templates loaded) before a test measures.
        burst(self.workers * self.threads, lambda client, _: client.get(f"{self.url}/healthz"))

    def _answers(self) -> bool:
        try:
            return httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown: no draining
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def errors_logged(self) -> str:
        """Tracebacks in the server's log (a 500 leaves one)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(line for line in text.splitlines() if "Error" in line)


@dataclass
class Answer:
    status: int
    text: str
    headers: httpx.Headers

    def json(self) -> object:
        return httpx.Response(self.status, text=self.text).json()


def burst(
    n: int, send: Callable[[httpx.Client, int], httpx.Response], timeout: float = 60
) -> list[Answer]:
    """Run `send(client, i)` in n threads at the same moment; every answer, in order.

    Each thread opens its own client (own connection) before the barrier, so the requests
    leave together; none follows a redirect, so a 302 is seen as a 302."""
    barrier = threading.Barrier(n)
    answers: list[Answer | BaseException | None] = [None] * n

    def run(index: int) -> None:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            try:
                barrier.wait(timeout=timeout)
                response = send(client, index)
                answers[index] = Answer(response.status_code, response.text, response.headers)
            except BaseException as error:  # noqa: BLE001 - reported below, with the others
                answers[index] = error

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + 5)
    failed = [a for a in answers if not isinstance(a, Answer)]
    if failed:
        raise AssertionError(f"{len(failed)} of {n} requests got no answer: {failed[:3]!r}")
    return [a for a in answers if isinstance(a, Answer)]
