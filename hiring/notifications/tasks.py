"""Celery tasks: take ids, call a service, safe to run twice.

`acks_late` and `reject_on_worker_lost` come from settings (CELERY_TASK_*): a killed worker's
task is redelivered. That is safe here because every effect is claimed in the database
first (hiring.notifications.services).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.utils import timezone

from hiring.notifications.delivery import (
    due_for_delivery,
    message_send,
    messages_due,
    notification_send,
)
from hiring.notifications.sweep import sweep

log = logging.getLogger(__name__)


QUEUE_PER_SWEEP = 5_000  # e-mails handed to workers per sweep; the rest wait for the next
CHUNK = 100


@shared_task(acks_late=True, ignore_result=True)
def reminders_sweep() -> dict[str, Any]:
    """The periodic sweep (beat, every REMINDER_SWEEP_MINUTES): claim what is due, then hand
    the pending e-mails to `notifications_send` in chunks, so several workers deliver them
    in parallel, each with its own retries. A chunk queued twice (this sweep and the next
    before it ran) sends nothing twice: each e-mail is taken by compare-and-set."""
    now = timezone.now()
    report = sweep(now=now, deliver=False)
    due = due_for_delivery(now=now, limit=QUEUE_PER_SWEEP)
    for start in range(0, len(due), CHUNK):
        notifications_send.delay(due[start : start + CHUNK])
    waiting = messages_due(now=now, limit=QUEUE_PER_SWEEP)
    for start in range(0, len(waiting), CHUNK):
        outbox_send.delay(waiting[start : start + CHUNK])
    log.info(
        "sweep: claimed %s, queued %s e-mails in %.2f s (slowest step: %s)%s",
        report.claimed,
        len(due),
        sum(report.seconds.values()),
        report.slowest(),
        f" ({report.skipped})" if report.skipped else "",
    )
    return {"claimed": report.total_claimed, "queued": len(due), "messages": len(waiting)}


RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 600


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=5)
def notifications_send(self: Any, notification_ids: list[int]) -> None:
    """E-mail these notifications now (queued after the commit that claimed them).

    A failure is recorded on the row (with its own next attempt time) and the task retries
    the failed ones with exponential backoff (30 s, 60 s ... 10 min: short countdowns, far
    below the broker's visibility timeout); the sweep delivers whatever a lost or exhausted
    task left behind.
    """
    failed = [
        notification_id
        for notification_id in notification_ids
        if notification_send(notification_id=notification_id) == "failed"
    ]
    if failed and self.request.retries < self.max_retries:
        # One second past the row's own backoff (delivery.backoff), so it is due.
        countdown = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2**self.request.retries) + 1
        raise self.retry(args=[failed], countdown=countdown)


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=5)
def outbox_send(self: Any, message_ids: list[int]) -> None:
    """Deliver these outbox messages now (queued after the commit that claimed them); the
    failed ones are retried with backoff, and the sweep delivers what a task left behind."""
    failed = [pk for pk in message_ids if message_send(message_id=pk) == "failed"]
    if failed and self.request.retries < self.max_retries:
        countdown = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2**self.request.retries) + 1
        raise self.retry(args=[failed], countdown=countdown)
