"""Celery tasks of imports: they take ids, call the batches' work, are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from hiring.transfer.batches import finished_jobs_forget, import_job_process, stalled_jobs

log = logging.getLogger(__name__)


def import_job_queue(job_id: int) -> None:
    """After the commit, run the job in the worker. With the broker down the job waits
    (queued) and the sweep queues it once the broker is back."""

    def send() -> None:
        try:
            # No publish retries: with the broker down, fail fast and let the sweep queue it.
            import_job_run.apply_async((job_id,), retry=False)
        except Exception:  # the broker is down: the sweep queues it later
            log.warning("import job %s not queued; the sweep queues it", job_id)

    transaction.on_commit(send)


@shared_task(acks_late=True, ignore_result=True)
def import_job_run(job_id: int) -> None:
    """Run an import job to its end, from its first waiting row (redelivered after a killed
    worker, it goes on from where the last whole batch left it)."""
    import_job_process(job_id=job_id)


@shared_task(acks_late=True, ignore_result=True)
def imports_sweep() -> int:
    """The periodic sweep (beat): queue again the import jobs whose worker was lost (a job
    run twice writes nothing twice: hiring.transfer.batches), and forget old finished ones."""
    now = timezone.now()
    finished_jobs_forget(now=now)
    stalled = stalled_jobs(now=now)
    with transaction.atomic():
        for job_id in stalled:
            import_job_queue(job_id)
    return len(stalled)
