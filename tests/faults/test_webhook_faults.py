"""A Celery worker SIGKILLed in the middle of a webhook delivery: nothing lost, nothing
taken twice.

Three hires give six deliveries (stage changed, hired) to a real HTTP receiver on loopback.
The receiver holds the first request open, unanswered, and the test kills the worker there:
the delivery is left "sending", its lease running. A new worker (its clock past the lease)
delivers the five still queued and, at the next sweep, the one whose lease ran out, with the
same event id and a fresh signature. At the receiver each event is answered exactly once;
the cut-off attempt is the only repeat, and it never got an answer (a receiver that keys on
the event id, as the README says, acts on it once).
"""

from __future__ import annotations

import datetime as dt
import signal
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from hiring.notifications.models import EmailStatus, OutboxMessage
from hiring.pipeline.services.applications import application_move
from hiring.webhooks.models import SUBJECT_TYPE
from hiring.webhooks.services.endpoints import endpoint_create
from tests import factories
from tests.faults.conftest import CeleryWorker, PrivateRedis, wait_until
from tests.webhooks.receiver import receiver_check, running_receiver

pytestmark = pytest.mark.usefixtures("postgres_only", "role_groups", "playbook")
SWEEP = "hiring.notifications.tasks.reminders_sweep"


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_nothing_twice(
    private_redis: PrivateRedis,
    broker_at: Callable[[str], None],
    celery_worker: Callable[..., CeleryWorker],
    make_user: Callable[..., Any],
    tmp_path: Any,
) -> None:
    from hiring.celery import app

    broker_at(private_redis.url)
    with running_receiver(hold=True) as receiver:
        admin = make_user("Admin")
        hook = endpoint_create(
            fields={"name": "HR system", "url": receiver.url, "kind": "signed", "active": True,
                    "events": ["application.stage_changed", "application.hired"]},
            actor=admin,
        )  # fmt: skip
        first = celery_worker(private_redis.url, log=tmp_path / "worker-1.log")
        for _ in range(3):
            application = factories.application()
            hired = application.requisition.stages.get(kind="hired")
            application_move(application=application, to_stage=hired, actor=application.owner)
        messages = OutboxMessage.objects.filter(subject_type=SUBJECT_TYPE, subject_id=hook.pk)
        assert messages.count() == 6

        wait_until(receiver.held.is_set, timeout=30, what=f"a delivery (see {first.log})")
        first.kill(signal.SIGKILL)
        cut_off = receiver.requests[0]
        assert cut_off.answered is None
        assert list(messages.values_list("status", flat=True)).count(EmailStatus.SENDING) == 1

        # The next worker's clock is past the ten-minute lease of the cut-off delivery.
        clock = (timezone.now() + dt.timedelta(minutes=11)).isoformat()
        second = celery_worker(private_redis.url, clock=clock, log=tmp_path / "worker-2.log")
        wait_until(
            lambda: messages.filter(status=EmailStatus.SENT).count() == 5,
            timeout=60,
            what=f"the five queued deliveries (see {second.log})",
        )
        app.send_task(SWEEP)  # beat's next sweep finds the delivery whose lease ran out
        wait_until(
            lambda: messages.filter(status=EmailStatus.SENT).count() == 6,
            timeout=60,
            what=f"the cut-off delivery (see {second.log})",
        )
        app.send_task(SWEEP)  # and the one after sends nothing again
        wait_until(
            lambda: second.log.read_text().count("reminders_sweep") >= 4,
            timeout=30,
            what="the second sweep",
        )

        answered = receiver.answered()
        ids = Counter(r.headers["Hiring-Event-Id"] for r in answered)
        assert len(ids) == 6 and set(ids.values()) == {1}  # every event once
        assert cut_off.headers["Hiring-Event-Id"] in ids  # the cut-off one, sent again
        assert len(receiver.requests) == 7  # six answered, one cut off
        # Signed as a receiver checks it (the second worker's clock runs 11 minutes ahead).
        assert all(
            receiver_check(hook.secret, r.headers["Hiring-Signature"], r.body, tolerance=900)
            for r in answered
        )
        again = messages.get(title__endswith=cut_off.headers["Hiring-Event-Id"])
        assert again.attempts == 1 and again.body.encode() == cut_off.body
