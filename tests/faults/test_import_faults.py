"""A Celery worker SIGKILLed in the middle of a 5,000-row import: nothing lost, nothing
written twice.

The worker is killed (its whole process group) while the job is part done. Its message is
never acknowledged, and Redis would hand it out again only after the visibility timeout (an
hour), so the sweep is what finds the job: a second worker, its clock past the two minutes a
job may stand still, runs the sweep, which queues the job again; it goes on from the first
row no committed batch had taken. The killed batch was rolled back with its connection. At
the end every row is written exactly once, and a further sweep queues nothing.
"""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from hiring.permissions import RECRUITER
from hiring.pipeline.models import Candidate
from hiring.transfer.models import ImportJob, ImportLine
from hiring.transfer.services.imports import import_job_create
from tests.faults.conftest import CeleryWorker, PrivateRedis, wait_until
from tests.transfer.support import HEADER, csv_file, csv_rows

pytestmark = pytest.mark.usefixtures("postgres_only", "role_groups", "playbook")
SWEEP = "hiring.transfer.tasks.imports_sweep"
ROWS = 5_000


def test_a_worker_killed_mid_import_loses_no_row_and_writes_none_twice(
    private_redis: PrivateRedis,
    broker_at: Callable[[str], None],
    celery_worker: Callable[..., CeleryWorker],
    make_user: Callable[..., Any],
    tmp_path: Any,
) -> None:
    from hiring.celery import app

    broker_at(private_redis.url)
    recruiter = make_user(RECRUITER)
    first = celery_worker(private_redis.url, log=tmp_path / "worker-1.log")
    job = import_job_create(uploads=[csv_file(HEADER + csv_rows(ROWS))], actor=recruiter)
    jobs = ImportJob.objects.filter(pk=job.pk)
    wait_until(lambda: jobs.get().done >= 600, timeout=120, what=f"some batches (see {first.log})")
    first.kill(signal.SIGKILL)
    stopped = jobs.get()
    assert stopped.status == "running" and 600 <= stopped.done < ROWS
    # What the committed batches wrote, and not a row more: the cut-off batch rolled back.
    assert Candidate.objects.count() == stopped.written == stopped.done

    clock = (timezone.now() + dt.timedelta(minutes=3)).isoformat()
    second = celery_worker(private_redis.url, clock=clock, log=tmp_path / "worker-2.log")
    app.send_task(SWEEP)
    wait_until(lambda: jobs.get().status == "done", timeout=180, what=f"the job (see {second.log})")
    finished = jobs.get()
    assert (finished.done, finished.written, finished.refused) == (ROWS, ROWS, 0)
    assert Candidate.objects.count() == ROWS
    assert Candidate.objects.values("email").distinct().count() == ROWS
    assert not ImportLine.objects.filter(job=job, outcome="pending").exists()
    app.send_task(SWEEP)  # the next sweep finds nothing to do
    wait_until(
        lambda: second.log.read_text().count("imports_sweep") >= 4,
        timeout=30,
        what="the second sweep",
    )
    assert Candidate.objects.count() == ROWS
