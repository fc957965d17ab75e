"""Fault tests: real services on loopback, stopped and started by the test itself.

Every test here is marked `faults` (`make test-faults`; a step of `.ci/run` on
PostgreSQL). They never touch the machine's shared Redis on 6379 or stop PostgreSQL:

- `private_redis`: a redis-server of our own on a free loopback port (no persistence,
  `noeviction` as in production), which a test may stop and start; always stopped at
  the end.
- `drop_connection_on(target, call=N)`: on the Nth call of a function, terminate the
  PostgreSQL backend of the connection the current request runs on, from another
  connection (`pg_terminate_backend`), then let the function go on: the request's next
  query fails as it would if the server or the network dropped it mid-request.
- `celery_worker(broker_url)`: a real `celery worker` subprocess against a broker and
  the test database (for the reminder-sweep faults of the offers issue: Redis down while
  reminders fall due, the worker SIGKILLed mid-sweep); stopped at the end.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in item.path.resolve().parents:
            item.add_marker(pytest.mark.faults)


def skip_or_fail_in_ci(why: str) -> None:
    """A fault test that cannot run is a skip on a laptop and a failure in CI."""
    if os.environ.get("CI"):
        pytest.fail(f"fault test cannot run in CI: {why}")
    pytest.skip(why)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def wait_until(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise TimeoutError(f"gave up waiting for {what} after {timeout:.0f} s")


@dataclass
class PrivateRedis:
    """A redis-server on LOOPBACK:port that only this test run uses."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection((LOOPBACK, self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        if self.process is not None:
            return
        server = shutil.which("redis-server")
        if server is None:
            skip_or_fail_in_ci("redis-server is not installed (apt-get install redis-server)")
        self.process = subprocess.Popen(
            [
                server,
                "--bind",
                LOOPBACK,
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory-policy",
                "noeviction",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        wait_until(lambda: not self.answers(), timeout=5, what="redis-server to stop")


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis()
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


def _postgres_only() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        skip_or_fail_in_ci("needs PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.fixture
def postgres_only(transactional_db: None) -> None:
    _postgres_only()


@pytest.fixture
def role_groups(transactional_db: None) -> None:
    """The role groups: migration 0002 creates them, the flush after a transactional test
    deletes them (the browser tests do the same)."""
    from django.contrib.auth.models import Group

    from hiring.permissions import ROLES

    for name in ROLES:
        Group.objects.get_or_create(name=name)


def terminate_backend_of(connection: Any) -> int:
    """Kill `connection`'s PostgreSQL backend from a separate connection; its pid."""
    import psycopg2

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = int(cursor.fetchone()[0])
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    other = psycopg2.connect(**{**params, "dbname": "postgres"})
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0], f"backend {pid} was not terminated"
    finally:
        other.close()
    return pid


@pytest.fixture
def drop_connection_on(
    monkeypatch: pytest.MonkeyPatch, postgres_only: None
) -> Callable[..., dict[str, Any]]:
    """`drop_connection_on("pkg.module.function", call=N)`: wraps the function so that its
    Nth call first kills the database connection it runs on. Returns a dict that records
    the killed backend pid under "pid" once it happened."""

    def install(target: str, *, call: int = 1) -> dict[str, Any]:
        from django.db import connection

        module_name, _, name = target.rpartition(".")
        module = (
            sys.modules[module_name]
            if module_name in sys.modules
            else __import__(module_name, fromlist=[name])
        )
        original = getattr(module, name)
        state: dict[str, Any] = {"calls": 0, "pid": None}

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            state["calls"] += 1
            if state["calls"] == call:
                state["pid"] = terminate_backend_of(connection)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)
        return state

    return install


@dataclass
class CeleryWorker:
    """`celery -A hiring worker` in a subprocess, on the given broker and the test database."""

    broker_url: str
    database_url: str
    process: subprocess.Popen[str] | None = None
    log: Path = field(default_factory=lambda: ROOT / "test-artifacts" / "celery-worker.log")
    # Optional: the worker's clock (time-machine, ticking from this moment), Python code run
    # before Celery starts (e.g. to connect a signal), and extra environment variables.
    clock: str | None = None
    preamble: str = ""
    env: dict[str, str] = field(default_factory=dict)

    def command(self) -> list[str]:
        if self.clock is None and not self.preamble:
            return [sys.executable, "-m", "celery"]
        travel = (
            f"import time_machine; time_machine.travel({self.clock!r}, tick=True).start()\n"
            if self.clock
            else ""
        )
        main = "import sys; from celery.__main__ import main; sys.argv[0] = 'celery'; main()\n"
        return [sys.executable, "-c", travel + self.preamble + "\n" + main]

    def start(self, *extra: str) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "CELERY_BROKER_URL": self.broker_url,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "hiring.settings",
            **self.env,
        }
        handle = self.log.open("w")
        self.process = subprocess.Popen(
            [
                *self.command(),
                "-A",
                "hiring",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                *extra,
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: kill() reaches the pool too
        )
        wait_until(
            lambda: "ready." in self.log.read_text() or self.process.poll() is not None,  # type: ignore[union-attr]
            timeout=60,
            what="the Celery worker",
        )
        if self.process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited: see {self.log}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to the worker's process group: the main process and its pool."""
        if self.process is None:
            return
        os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None


def database_url_for_subprocess() -> str:
    """The test database as a URL a subprocess can use (it must see committed rows, so
    use it with `transactional_db`)."""
    from django.db import connection

    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or LOOPBACK
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def broker_at(settings: Any) -> Iterator[Callable[[str], None]]:
    """`broker_at(url)`: this test's web code (health check, tasks it queues) uses `url`."""
    from hiring.celery import app

    previous = app.conf.broker_url

    def point(url: str) -> None:
        settings.CELERY_BROKER_URL = url
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
        app.conf.broker_url = url
        forget_connections()

    def forget_connections() -> None:
        # The next task or control message opens connections to the broker now configured.
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    yield point
    app.conf.broker_url = previous
    forget_connections()


@pytest.fixture
def celery_worker(postgres_only: None) -> Iterator[Callable[[str], CeleryWorker]]:
    """`celery_worker(broker_url, *args, clock=..., preamble=..., env=..., log=...)` starts a
    worker; every worker started is stopped."""
    started: list[CeleryWorker] = []

    def start(broker_url: str, *extra: str, **options: Any) -> CeleryWorker:
        worker = CeleryWorker(
            broker_url=broker_url, database_url=database_url_for_subprocess(), **options
        )
        worker.start(*extra)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
