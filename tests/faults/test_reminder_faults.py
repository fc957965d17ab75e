"""Reminder-sweep faults with a real Celery worker, a private Redis and PostgreSQL.

The data is made on a Monday in New York (the hiring manager's approval step opens at
10:00, the debrief decision is at 10:00); the worker's clock runs from Tuesday 10:01, when
three reminders are due: the approver reminder to the hiring manager, and the escalation
(one business day, offer not sent) to the hiring manager and the recruiter. The worker
writes e-mails with the file backend; each test counts them per recipient and subject.

1. Redis stopped while the reminders are due: the sweep cannot be queued (and the worker
   gets nothing); once Redis is back, one sweep delivers each reminder exactly once.
2. The worker SIGKILLed in the middle of a sweep (after the approver reminders are claimed,
   before the clock alerts): a new worker's next sweep sends each reminder exactly once.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import signal
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hiring.notifications.models import EmailStatus, Notification
from hiring.offers.reminders import APPROVER_REMINDER, ESCALATION
from tests import factories
from tests.faults.conftest import CeleryWorker, PrivateRedis, wait_until

pytestmark = pytest.mark.usefixtures("postgres_only", "role_groups", "playbook")

NY = ZoneInfo("America/New_York")
SUBMITTED = dt.datetime(2026, 3, 2, 10, tzinfo=NY)  # a Monday
WORKER_CLOCK = dt.datetime(2026, 3, 3, 10, 1, tzinfo=NY).isoformat()  # Tuesday
NEXT_BEAT = dt.datetime(2026, 3, 3, 10, 6, tzinfo=NY).isoformat()  # the sweep after
REMINDER_KINDS = [APPROVER_REMINDER, ESCALATION]
SWEEP = "hiring.notifications.tasks.reminders_sweep"

# Run in the worker before Celery starts: the first sweep commits the approver reminders,
# then, before claiming the clock alerts, touches FAULT_MARKER and sleeps (to be killed).
PAUSE_MID_SWEEP = """
import os, pathlib, time
from celery.signals import task_prerun

@task_prerun.connect
def _pause_mid_sweep(sender=None, **kwargs):
    if sender is None or sender.name != "hiring.notifications.tasks.reminders_sweep":
        return
    from hiring.notifications import registry
    from hiring.offers.reminders import APPROVER_REMINDER
    if getattr(registry, "_paused", False):
        return
    registry._paused = True

    def pause(now):
        pathlib.Path(os.environ["FAULT_MARKER"]).touch()
        time.sleep(600)
        return 0

    steps = list(registry._steps.values())
    registry._steps.clear()
    for step in steps:
        registry._steps[step.key] = step
        if step.key == APPROVER_REMINDER:
            registry._steps["pause"] = registry.SweepStep("pause", "claim", pause)
"""


def mails(folder: Path) -> Counter[tuple[str, str]]:
    """Every e-mail the file backend wrote, counted by (recipient, subject)."""
    found: Counter[tuple[str, str]] = Counter()
    if not folder.exists():
        return found
    for path in folder.iterdir():
        for text in path.read_text().split("-" * 79):
            if not text.strip():
                continue
            message = email.message_from_string(text.lstrip(), policy=email.policy.default)
            found[(str(message["To"]), str(message["Subject"]))] += 1
    return found


def reminder_rows() -> Any:
    return Notification.objects.filter(kind__in=REMINDER_KINDS)


def offer_waiting_for_approval(time_machine: Any, make_user: Callable[..., Any]) -> dict[str, Any]:
    """An offer submitted on Monday 10:00; what reminders are due on Tuesday 10:01."""
    time_machine.move_to(SUBMITTED, tick=True)
    make_user("Admin")  # the Finance/HR step's approver (a later step: not reminded yet)
    application = factories.application()
    factories.decision(application_obj=application, at=SUBMITTED)
    offer = factories.offer(application_obj=application, submit=True)
    requisition = application.requisition
    candidate = application.candidate.name
    manager, recruiter = requisition.hiring_manager, requisition.recruiter
    reminder = f"Reminder: the offer for {candidate} waits for your approval"
    escalation = f"Offer for {candidate}: one business day left"
    return {
        "offer": offer,
        "expected": Counter(
            {
                (manager.email, reminder): 1,
                (manager.email, escalation): 1,
                (recruiter.email, escalation): 1,
            }
        ),
    }


def reminder_mails(folder: Path, expected: Counter[tuple[str, str]]) -> Counter[tuple[str, str]]:
    subjects = {subject for _, subject in expected}
    return Counter({key: n for key, n in mails(folder).items() if key[1] in subjects})


def settle(worker: CeleryWorker, *, tasks: int, timeout: float = 30) -> None:
    """Wait until the worker has finished `tasks` tasks, then a little more for strays."""
    wait_until(
        lambda: worker.log.read_text().count("succeeded in") >= tasks,
        timeout=timeout,
        what=f"{tasks} finished tasks (see {worker.log})",
    )
    time.sleep(1.5)


def test_reminders_due_while_redis_is_down_go_out_once_when_it_is_back(
    private_redis: PrivateRedis,
    broker_at: Callable[[str], None],
    celery_worker: Callable[..., CeleryWorker],
    time_machine: Any,
    make_user: Callable[..., Any],
    tmp_path: Path,
) -> None:
    from hiring.celery import app

    broker_at(private_redis.url)
    case = offer_waiting_for_approval(time_machine, make_user)
    mail = tmp_path / "mail"
    worker = celery_worker(
        private_redis.url,
        clock=WORKER_CLOCK,
        env={"EMAIL_URL": f"file://{mail}"},
        log=tmp_path / "worker.log",
    )

    private_redis.stop()
    # Beat's sweep cannot be queued while the broker is down; nothing is claimed or sent.
    with pytest.raises(Exception):  # noqa: B017 - kombu/redis raise several kinds
        app.send_task(SWEEP, retry=False)
    wait_until(
        lambda: "Connection to broker lost" in worker.log.read_text(),
        timeout=30,
        what=f"the worker to lose the broker (see {worker.log})",
    )
    assert reminder_rows().count() == 0
    assert reminder_mails(mail, case["expected"]) == Counter()

    private_redis.start()  # same port, empty: the queued work of before is gone
    wait_until(
        lambda: (
            "Connected to redis" in worker.log.read_text().split("Connection to broker lost")[-1]
        ),
        timeout=30,
        what=f"the worker to reconnect (see {worker.log})",
    )
    app.send_task(SWEEP)
    wait_until(
        lambda: reminder_rows().filter(email_status=EmailStatus.SENT).count() == 3,
        timeout=30,
        what=f"three reminders sent (see {worker.log})",
    )
    # A second sweep (the next beat) finds nothing new and sends nothing again.
    app.send_task(SWEEP)
    settle(worker, tasks=3)

    assert reminder_mails(mail, case["expected"]) == case["expected"]
    assert max(mails(mail).values()) == 1  # no e-mail of any kind went twice
    assert reminder_rows().count() == 3
    assert set(reminder_rows().values_list("email_status", flat=True)) == {EmailStatus.SENT}


def test_a_worker_killed_mid_sweep_leaves_the_next_sweep_to_send_each_reminder_once(
    private_redis: PrivateRedis,
    broker_at: Callable[[str], None],
    celery_worker: Callable[..., CeleryWorker],
    time_machine: Any,
    make_user: Callable[..., Any],
    tmp_path: Path,
) -> None:
    from hiring.celery import app

    broker_at(private_redis.url)
    case = offer_waiting_for_approval(time_machine, make_user)
    mail, marker = tmp_path / "mail", tmp_path / "mid-sweep"
    env = {"EMAIL_URL": f"file://{mail}", "FAULT_MARKER": str(marker)}
    first = celery_worker(
        private_redis.url,
        clock=WORKER_CLOCK,
        preamble=PAUSE_MID_SWEEP,
        env=env,
        log=tmp_path / "worker-1.log",
    )
    app.send_task(SWEEP)
    wait_until(marker.exists, timeout=30, what=f"the sweep to pause (see {first.log})")
    # Mid-sweep: the approver reminder is claimed (committed), the escalations are not,
    # and nothing has been handed out for delivery.
    assert list(reminder_rows().values_list("kind", "email_status")) == [
        (APPROVER_REMINDER, EmailStatus.PENDING)
    ]

    first.kill(signal.SIGKILL)
    assert reminder_mails(mail, case["expected"]) == Counter()

    second = celery_worker(
        private_redis.url, clock=NEXT_BEAT, env=env, log=tmp_path / "worker-2.log"
    )
    app.send_task(SWEEP)
    wait_until(
        lambda: reminder_rows().filter(email_status=EmailStatus.SENT).count() == 3,
        timeout=30,
        what=f"three reminders sent (see {second.log})",
    )
    app.send_task(SWEEP)  # the next beat: nothing more to send
    settle(second, tasks=3)

    assert reminder_mails(mail, case["expected"]) == case["expected"]
    assert max(mails(mail).values()) == 1
    assert reminder_rows().count() == 3
    assert set(reminder_rows().values_list("email_status", flat=True)) == {EmailStatus.SENT}
