"""The reminder sweep: what is due, claimed exactly once, then delivered.

Celery beat runs `hiring.notifications.tasks.reminders_sweep` every REMINDER_SWEEP_MINUTES.
Each run:

1. runs every registered `prepare` step (offers past their expiry date expire, offer clocks
   follow the applications they measure);
2. during business hours of a business day only (none at night, on weekends or holidays),
   runs every registered `claim` step, each in one transaction that inserts the notifications
   (unique key: recipient, kind, subject, sequence) and moves its subjects' "next due"
   markers on; a worker killed in the middle rolls the step back, and the next run claims it
   again;
3. delivers pending e-mails (claimed ones, failed ones whose backoff has passed, and sends
   whose lease ran out), each by compare-and-set so no e-mail goes twice. The Celery task
   hands them to `notifications_send` tasks in chunks; `sweep(deliver=True)` sends inline.

The steps are the domains' own (registry): offers (approver reminders, escalations and
breaches), assessments (scorecard reminders), the pipeline (the stalled digest).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from hiring.business_time import company_calendar, is_business_time
from hiring.notifications.delivery import (
    due_for_delivery,
    message_send,
    messages_due,
    notification_send,
)
from hiring.notifications.registry import SweepStep, sweep_steps

DELIVERIES_PER_SWEEP = 500


@dataclass
class SweepReport:
    prepared: dict[str, int] = field(default_factory=dict)
    claimed: dict[str, int] = field(default_factory=dict)
    delivered: int = 0
    failed: int = 0
    skipped: str = ""
    seconds: dict[str, float] = field(default_factory=dict)  # each step's, with its commit

    @property
    def total_claimed(self) -> int:
        return sum(self.claimed.values())

    def slowest(self) -> str:
        """The step that took longest, "offer_clocks_stopped 0.21 s" (the log line)."""
        if not self.seconds:
            return ""
        key = max(self.seconds, key=self.seconds.__getitem__)
        return f"{key} {self.seconds[key]:.2f} s"


def sweep(*, now: dt.datetime | None = None, deliver: bool = True) -> SweepReport:
    """One run: prepare, claim what is due, deliver. Safe to run twice, or in two processes."""
    now = now or timezone.now()
    report = SweepReport()
    for step in sweep_steps("prepare"):
        report.prepared[step.key] = _run(step, now, report)
    if is_business_time(now, company_calendar()):
        for step in sweep_steps("claim"):
            report.claimed[step.key] = _run(step, now, report)
    else:
        report.skipped = "outside business hours: no new reminders"
    if deliver:
        report.delivered, report.failed = deliver_due(now=now)
    return report


def _run(step: SweepStep, now: dt.datetime, report: SweepReport) -> int:
    """One step in its own transaction, timed (a slow one shows in the task's log line)."""
    started = time.perf_counter()
    with transaction.atomic():
        done = step.run(now)
    report.seconds[step.key] = time.perf_counter() - started
    return done


def deliver_due(*, now: dt.datetime, limit: int = DELIVERIES_PER_SWEEP) -> tuple[int, int]:
    """Send what is due inline: notifications' e-mails, then outbox messages."""
    outcomes = [
        *(
            notification_send(notification_id=pk, now=now)
            for pk in due_for_delivery(now=now, limit=limit)
        ),
        *(message_send(message_id=pk, now=now) for pk in messages_due(now=now, limit=limit)),
    ]
    return outcomes.count("sent"), outcomes.count("failed")
