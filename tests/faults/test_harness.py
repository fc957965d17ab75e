"""The fault harness itself: a private Redis and a real Celery worker that can be SIGKILLed.

The reminder-sweep faults of the offers issue (Redis down while reminders fall due; a
worker killed mid-sweep) are built from these two fixtures.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any

import pytest

from tests.faults.conftest import CeleryWorker, PrivateRedis, wait_until

pytestmark = pytest.mark.usefixtures("postgres_only")


def test_a_worker_on_the_private_redis_answers_and_dies_whole_on_sigkill(
    private_redis: PrivateRedis,
    celery_worker: Callable[..., CeleryWorker],
    broker_at: Callable[[str], None],
) -> None:
    from hiring.celery import app

    broker_at(private_redis.url)
    worker = celery_worker(private_redis.url)
    assert worker.process is not None
    group = worker.process.pid
    replies: list[dict[str, Any]] = app.control.ping(timeout=5)
    assert replies, "the worker did not answer a ping"

    worker.kill(signal.SIGKILL)

    wait_until(lambda: not group_alive(group), timeout=10, what="the pool to be gone")


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True
