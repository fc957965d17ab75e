"""A real Celery worker, the machine's Redis and PostgreSQL: a due reminder arrives once.

The worker is a separate process (`celery -A hiring worker`), consuming from Redis database
11 and writing e-mails with the file backend. Its clock is set with time-machine to a
Monday afternoon in New York (a wrapper starts the worker inside `time_machine.travel`),
so the test does not depend on when CI runs: the hiring manager's step opened at 10:00 and
its first reminder is due at 14:00. The sweep is queued three times (two beats and a
redelivery, say), and each queues the pending e-mails for delivery again; exactly one
reminder e-mail arrives.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection

from hiring.notifications.models import EmailStatus, Notification
from tests import factories

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("playbook"),
]
NY = ZoneInfo("America/New_York")
SUBMITTED = dt.datetime(2026, 3, 2, 10, tzinfo=NY)
WORKER_CLOCK = dt.datetime(2026, 3, 2, 14, 1, tzinfo=NY)
ROOT = Path(__file__).resolve().parents[2]
WORKER = """
import sys, time_machine
time_machine.travel({moment!r}, tick=True).start()
from celery.__main__ import main
sys.argv = ["celery", "-A", "hiring", "worker", "--pool=solo", "--loglevel=INFO",
            "--without-mingle", "--without-gossip", "--without-heartbeat"]
main()
"""


@pytest.fixture
def broker(real_redis: str) -> str:
    import redis

    url = real_redis.rsplit("/", 1)[0] + "/11"  # a database of its own: nothing else to purge
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def worker(broker: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the worker is another process and must reach the test "
            "database, which on SQLite lives in this process's memory"
        )
    db = connection.settings_dict
    mail = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "EMAIL_URL": f"file://{mail}",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER.format(moment=WORKER_CLOCK.isoformat())],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield {"broker": broker, "mail": mail, "log": tmp_path / "worker.log"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_for(check: Callable[[], bool], seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out; worker log:\n{log.read_text()[-3000:]}")


def reminder_mails(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    texts = [path.read_text() for path in folder.iterdir()]
    return [t for t in texts if "Subject: Reminder: the offer for" in t]


def test_a_real_worker_sends_a_due_reminder_exactly_once(
    worker: dict[str, Any], make_user: Callable[..., Any], time_machine: Any
) -> None:
    from celery import Celery
    from django.contrib.auth.models import Group

    from hiring.permissions import ROLES

    for name in ROLES:  # the flush of an earlier transactional test deletes them
        Group.objects.get_or_create(name=name)
    time_machine.move_to(SUBMITTED, tick=False)
    make_user("Admin")
    application = factories.application()
    factories.decision(application_obj=application, at=SUBMITTED)
    offer = factories.offer(application_obj=application, submit=True)
    manager = application.requisition.hiring_manager

    sender = Celery(broker=worker["broker"])
    for _ in range(3):
        sender.send_task("hiring.notifications.tasks.reminders_sweep")
    reminder = Notification.objects.filter(kind="approver_reminder")
    wait_for(lambda: reminder.filter(email_status=EmailStatus.SENT).exists(), 120, worker["log"])
    # Three sweeps, each queueing the pending e-mails again (the worker runs one task at a
    # time: all sweeps before any delivery): six tasks, and still one reminder e-mail.
    wait_for(lambda: worker["log"].read_text().count("succeeded in") >= 6, 120, worker["log"])

    mails = reminder_mails(worker["mail"])
    assert len(mails) == 1
    assert f"To: {manager.email}" in mails[0]
    assert "/offers/approve/" in mails[0]
    assert reminder.count() == 1
    assert reminder.get().subject_id == offer.steps.get(position=0).pk
